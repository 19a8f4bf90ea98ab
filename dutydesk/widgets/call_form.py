"""The call form: every field of a register line, laid out for fast keyboard entry.
Used to log a call and, prefilled, to correct one.

Every field carries its label in its top border (a dropdown's on the box that shows its value),
a check box says its state in words, and `clear()` puts every field back to its default: the
direction and category of one call never carry over to the next."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, TextArea
from textual.widgets._select import SelectCurrent

from dutydesk.i18n import t
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.form_choices import DigitSelect, StatedCheckbox
from dutydesk.widgets.form_lines import ChangingLine
from dutydesk.widgets.inline_keys import DeskInput, DeskTextArea
from dutydesk.widgets.literal import literal, visible

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.calls import CallDraft, CallView
    from dutydesk.services.core import Desk
    from dutydesk.services.documents import PhoneOwner

TEXT_FIELDS = ("received_at", "caller", "unit", "phone", "place", "handling")
FIELD_WIDGETS = {
    "received_at": "#f-time",
    "direction": "#f-direction",
    "category": "#f-category",
    "verified": "#f-verified",
    "caller": "#f-caller",
    "unit": "#f-unit",
    "phone": "#f-phone",
    "summary": "#f-summary",
    "place": "#f-place",
    "handling": "#f-handling",
    "follow_up": "#f-follow-up",
}
# each text field's hint: the full one, and the short one shown when the full one would be cut;
# an outgoing call's own where it names the other side (OUT_HINTS)
HINTS = {
    "f-time": "form.time_placeholder",
    "f-caller": "form.caller_placeholder",
    "f-unit": "form.unit_placeholder",
    "f-phone": "call_form.phone_placeholder",
    "f-handling": "form.handling_placeholder",
    "f-place": "form.place_placeholder",
}
OUT_HINTS = {"f-unit": "form.unit_placeholder_out"}
DEFAULT_DIRECTION = "in"
DEFAULT_CATEGORY = "other"


class CallForm(Vertical):
    """Fields only: saving is the screen's job."""

    BINDINGS = bindings([Key("ctrl+t", "take_owner", "phone_owner.take")])
    DEFAULT_CSS = """
    #f-owner { height: auto; padding: 0 1; color: $accent; display: none; }
    #f-owner.-shown { display: block; }
    """

    def __init__(self, categories: list[str], units: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.categories = categories
        self.units = units
        # the phone list's names and phones, and whose each number is: read once a caller, a
        # unit or a phone is typed
        self.known_phones: dict[str, str] | None = None
        self.phone_owners: dict[str, list[PhoneOwner]] = {}
        self.proposed: PhoneOwner | None = None  # the phone list's owner of the number typed
        self._list_seq: int | None = None  # the hash chain's last link when the list was read
        self._shown_for: dict[str, tuple[str, str]] = {}  # field: (as shown, as stored) (values)

    def compose(self) -> ComposeResult:
        """Tab goes through what nearly every call needs, in the order it is said: caller,
        unit, phone, content, category, handling; the time and direction (now, incoming) sit
        before the caller, a Shift+Tab away."""
        with Horizontal(classes="form-row"):
            yield self._input("f-time", "received_at", t("form.time_placeholder"))
            yield self._select(
                "f-direction",
                [(t("direction.in"), "in"), (t("direction.out"), "out")],
                DEFAULT_DIRECTION,
            )
            yield self._input("f-caller", "caller", t("form.caller_placeholder"))
            unit = self._input("f-unit", "unit", t("form.unit_placeholder"))
            shown_units = [visible(name) for name in self.units]
            unit.suggester = SuggestFromList(shown_units, case_sensitive=False)
            yield unit
            yield self._input("f-phone", "phone", t("call_form.phone_placeholder"))
        yield ChangingLine(id="f-owner")
        summary = DeskTextArea(id="f-summary", soft_wrap=True, tab_behavior="focus")
        summary.border_title = literal(t("field.summary"))
        yield summary
        with Horizontal(classes="form-row"):
            yield self._select(
                "f-category",
                [(t("category." + code), code) for code in self.categories],
                self.default_category,
            )
            yield self._input("f-handling", "handling", t("form.handling_placeholder"))
            yield self._input("f-place", "place", t("form.place_placeholder"))
            yield StatedCheckbox("verified", id="f-verified", short="call_form.verified_short")
            yield StatedCheckbox("follow_up", id="f-follow-up", short="call_form.follow_up_short")

    def on_mount(self) -> None:
        """A dropdown's label goes on the box that shows its value: Select draws no border."""
        for field in ("direction", "category"):
            current = self.query_one(FIELD_WIDGETS[field]).query_one(SelectCurrent)
            current.border_title = literal(t("field." + field))
        changed = getattr(self.app, "register_changed", None)  # the desk app's signal
        if changed is not None:
            changed.subscribe(self, self._register_changed)

    def on_select_changed(self, event: Select.Changed) -> None:
        """An outgoing call names whom the desk called (受话人), not a caller (QA, session 13),
        and the unit's hint says the unit called (new officer: it said 来电单位)."""
        if event.select.id == "f-direction":
            label = "field.caller_out" if event.value == "out" else "field.caller"
            self.query_one("#f-caller", Input).border_title = literal(t(label))
            self._fit_hints()

    def on_resize(self) -> None:
        self._fit_hints()

    def _fit_hints(self) -> None:
        """A hint that does not fit its field (80 columns) gives way to its short form: Textual
        cuts a hint at a word, unmarked ("where it")."""
        outgoing = self.query_one("#f-direction", Select).value == "out"
        for widget_id, key in (HINTS | OUT_HINTS if outgoing else HINTS).items():
            field = self.query_one(f"#{widget_id}", Input)
            full = t(key)
            short = "call_form_narrow." + key.split(".")[1]
            field.placeholder = full if cell_len(full) <= field.content_region.width else t(short)

    # -- the phone list (常用电话号码表): the caller's or unit's known phone -------------------

    def _register_changed(self, _: None) -> None:
        """A commit anywhere: the list is read again if a contact was written (QA #9)."""
        if self.known_phones is not None and self._list_seq is not None:
            self.run_worker(partial(self._read_phone_list, since=self._list_seq), thread=True,
                            group="call-form-phones", exit_on_error=False)  # fmt: skip

    def _read_phone_list(self, since: int | None = None) -> None:
        """The list's names and numbers; with `since`, only if a contact was written since."""
        desk = getattr(self.app, "desk", None)
        if desk is None:  # the first look's form (the register not open): not the ORM's imports
            return
        from dutydesk.services.core import kinds_written_since, thread_desk
        from dutydesk.services.documents import known_phones, owners_by_number

        with thread_desk(desk) as own:
            seq, kinds = kinds_written_since(own, since)
            if since is not None and kinds is not None and "contact" not in kinds:
                return
            phones, owners = known_phones(own), owners_by_number(own)
        self.app.call_from_thread(self._phone_list_read, phones, owners, seq)

    def _phone_list_read(
        self, phones: dict[str, str], owners: dict[str, list[PhoneOwner]], seq: int
    ) -> None:
        if self._list_seq is not None and seq < self._list_seq:
            return  # an older read, overtaken
        self.known_phones, self.phone_owners, self._list_seq = phones, owners, seq
        caller = self.query_one("#f-caller", Input)
        caller.suggester = SuggestFromList([visible(n) for n in phones], case_sensitive=False)
        self._show_known_phone()
        self._propose_owner()

    def on_input_changed(self, event: Input.Changed) -> None:
        """The phone the list holds for the caller (or else the unit) typed: shown on the phone
        field, never typed into it (the number calling may be another). The unit (and caller)
        the list gives the number typed: proposed, taken only with Ctrl+T."""
        if event.input.id not in ("f-caller", "f-unit", "f-phone"):
            return
        if self.known_phones is None and event.value:
            self.known_phones = {}  # asked once; the worker fills it
            self.run_worker(self._read_phone_list, thread=True, group="call-form-phones",
                            exit_on_error=False)  # fmt: skip
            return
        self._show_known_phone()
        self._propose_owner()

    def _show_known_phone(self) -> None:
        if not self.known_phones:
            return
        caller = self.query_one("#f-caller", Input).value.strip()
        unit = self.query_one("#f-unit", Input).value.strip()
        known = (
            self.known_phones.get(caller)
            or self.known_phones.get(f"{unit} {caller}")
            or self.known_phones.get(unit)
        )
        field = self.query_one("#f-phone", Input)
        field.border_subtitle = literal(t("contact.known_phone", phone=known)) if known else None

    # -- the number's owner by the phone list: proposed, taken with a key ---------------------

    def _propose_owner(self) -> None:
        phone = self.query_one("#f-phone", Input).value
        if not self.phone_owners:  # none read (yet): nothing to import on the UI thread (the
            self._show_proposal(None)  # services' import loads SQLModel: ~1 s under load)
            return
        from dutydesk.services.documents import owner_of

        owner = owner_of(self.phone_owners, phone)
        unit = self.query_one("#f-unit", Input).value.strip()
        caller = self.query_one("#f-caller", Input).value.strip()
        if owner is not None and unit == owner.unit and caller == (owner.caller or caller):
            owner = None  # the fields already say it
        self._show_proposal(owner, phone.strip())

    def _show_proposal(self, owner: PhoneOwner | None, phone: str = "") -> None:
        text = t("phone_owner.proposal", phone=phone, owner=owner_label(owner)) if owner else None
        self.query_one("#f-owner", ChangingLine).say(text)
        if owner != self.proposed:
            self.proposed = owner
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+T is in the footer only while there is something to take."""
        return self.proposed is not None if action == "take_owner" else True

    def action_take_owner(self) -> None:
        """The officer takes what the phone list says: the unit, and the caller when it names
        one (what was typed there is replaced, by the officer's own key)."""
        owner = self.proposed
        if owner is None:
            return
        replaced = []  # what the officer had typed there, named (breaker #9)
        for name, value in (("unit", owner.unit), ("caller", owner.caller)):
            field = self.query_one(f"#f-{name}", Input)
            if not value:
                continue
            if field.value.strip() and field.value.strip() != visible(value):
                replaced.append(t(f"phone_owner_replaced.{name}", typed=field.value.strip()))
            field.value = visible(value)
        self._show_proposal(None)
        said = t("phone_owner.taken", owner=owner_label(owner))
        if replaced:
            said += t(
                "phone_owner_replaced.line", replaced=t("phone_owner_replaced.sep").join(replaced)
            )
        set_status = getattr(self.screen, "set_status", None)  # a desk screen's status line
        if callable(set_status):
            set_status(said, ok=True)
        else:
            self.notify(said, markup=False)

    @property
    def default_category(self) -> str:
        return DEFAULT_CATEGORY if DEFAULT_CATEGORY in self.categories else self.categories[0]

    @staticmethod
    def _input(widget_id: str, field: str, placeholder: str) -> Input:
        widget = DeskInput(placeholder=placeholder, id=widget_id)
        widget.border_title = literal(t("field." + field))
        return widget

    @staticmethod
    def _select(widget_id: str, options: list[tuple[str, str]], value: str) -> Select:
        numbered = [(f"{index} {label}", code) for index, (label, code) in enumerate(options, 1)]
        return DigitSelect(numbered, value=value, allow_blank=False, id=widget_id)

    # -- reading and writing the fields -------------------------------------------------------

    def _widget(self, field: str) -> Widget:
        return self.query_one(FIELD_WIDGETS[field])

    def values(self) -> dict[str, Any]:
        """The raw contents, as typed (for drafts and for building a CallDraft)."""
        values: dict[str, Any] = {
            name: self.query_one(FIELD_WIDGETS[name], Input).value for name in TEXT_FIELDS
        }
        values["summary"] = self.query_one("#f-summary", TextArea).text
        values["direction"] = self.query_one("#f-direction", Select).value
        values["category"] = self.query_one("#f-category", Select).value
        values["verified"] = self.query_one("#f-verified", Checkbox).value
        values["follow_up"] = self.query_one("#f-follow-up", Checkbox).value
        for name, (shown, stored) in self._shown_for.items():
            if values[name] == shown:  # as loaded: the text itself, not how it was shown
                values[name] = stored  # (a saved <U+200B> was text the officer never typed)
        return values

    def load_values(self, values: dict[str, Any]) -> None:
        """Stored text goes into the fields as `visible()` shows it: a field would otherwise send
        an old register's terminal escapes straight to the terminal."""
        self._shown_for = {}
        for name in (*TEXT_FIELDS, "summary"):
            if isinstance(stored := values.get(name), str):
                shown = visible(stored)
                if name == "summary":
                    self.query_one("#f-summary", TextArea).text = shown
                else:
                    self.query_one(FIELD_WIDGETS[name], Input).value = shown
                if shown != stored.replace("\r\n", "\n"):  # values(): the stored text, then
                    self._shown_for[name] = (shown, stored)
        if values.get("direction") in ("in", "out"):
            self.query_one("#f-direction", Select).value = values["direction"]
        if values.get("category") in self.categories:
            self.query_one("#f-category", Select).value = values["category"]
        for name in ("verified", "follow_up"):
            if isinstance(values.get(name), bool):
                self.query_one(FIELD_WIDGETS[name], Checkbox).value = values[name]

    def load_call(self, view: CallView, timezone: str) -> None:
        values = {name: getattr(view, name) for name in FIELD_WIDGETS if name != "received_at"}
        values["received_at"] = view.received_at.in_timezone(timezone).format("YYYY-MM-DD HH:mm")
        self.load_values(values)

    def nothing_typed(self) -> bool:  # not `is_empty`: that is DOMNode's, read by `:empty`
        values = self.values()
        return not any(values[name] for name in (*TEXT_FIELDS, "summary"))

    def clear(self) -> None:
        """Every field back to its default, as for a new call."""
        for name in TEXT_FIELDS:
            self.query_one(FIELD_WIDGETS[name], Input).value = ""
        self.query_one("#f-summary", TextArea).text = ""
        self.query_one("#f-direction", Select).value = DEFAULT_DIRECTION
        self.query_one("#f-category", Select).value = self.default_category
        self.query_one("#f-verified", Checkbox).value = False
        self.query_one("#f-follow-up", Checkbox).value = False
        self._show_proposal(None)
        self.mark_problems([])
        self._shown_for = {}

    def received_at(self, desk: Desk) -> DateTime | None:
        """The time typed, read (None when blank: now). Raises DutyError for a bad time. A short
        time is the most recent such time not in the future (so 17:40 typed at 05:13 is last
        evening's); one before the duty began is shown in full and asked about before it is
        saved (CallsScreen). Four digits are HHMM."""
        from dutydesk.services.core import parse_time

        typed = self.query_one("#f-time", Input).value.strip()
        if not typed:
            return None
        now = desk.now()
        return parse_time(typed, desk.timezone, now=now, back_to=now.subtract(days=1))

    def show_time_in_full(self, desk: Desk) -> None:
        """Write the time typed back as YYYY-MM-DD HH:mm (seconds kept when typed), so what
        `23:55` or `2150` was read as is seen before saving. Raises DutyError for a bad time."""
        when = self.received_at(desk)
        if when is None:
            return
        shown = when.in_timezone(desk.timezone)
        pattern = "YYYY-MM-DD HH:mm:ss" if shown.second else "YYYY-MM-DD HH:mm"
        field = self.query_one("#f-time", Input)
        if field.value != shown.format(pattern):
            field.value = shown.format(pattern)

    def draft(self, desk: Desk) -> CallDraft:
        """A CallDraft from the fields. Raises DutyError (field received_at) for a bad time."""
        from dutydesk.services.calls import CallDraft

        values = self.values()
        values.pop("received_at")
        return CallDraft(**values, received_at=self.received_at(desk))

    def mark_problems(self, fields: list[str]) -> None:
        for name, selector in FIELD_WIDGETS.items():
            self.query_one(selector).set_class(name in fields, "-invalid")
        if fields and fields[0] in FIELD_WIDGETS:
            self.query_one(FIELD_WIDGETS[fields[0]]).focus()

    def focus_first(self) -> None:
        self.query_one("#f-caller", Input).focus()


def owner_label(owner: PhoneOwner | None) -> str:
    if owner is None:
        return ""
    if owner.caller:
        return t("phone_owner.proposal_both", unit=owner.unit, caller=owner.caller)
    return t("phone_owner.proposal_unit", unit=owner.unit)
