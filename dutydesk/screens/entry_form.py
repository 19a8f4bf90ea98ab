"""What the incident, verification-request (核报) and instruction (批示) forms share: a dialog
of fields that scrolls (80x24), the call it was opened from shown on top, Ctrl+S saving in a
worker thread (the service call, the time parsing and the reads after it never run on the UI
thread), refusals said in the user's language with the fields marked, and Esc asked twice when
something was typed. `form_for_call` picks the form that matches a call's category."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Input, Select, Static, TextArea

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen, TypingDialog
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskInput, DeskTextArea
from dutydesk.widgets.literal import literal, one_line, visible

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.calls import CallView
    from dutydesk.services.core import Desk
    from dutydesk.services.incidents import DeadlineView

T = TypeVar("T")
TITLE_WIDTH = 70  # cells of the box title (the box is at most 100 wide, 80 at 80x24)
ERROR_FIELDS = {"incident.unknown": "incident_id"}  # a refusal that names one field's value
KEYS = [
    Key("ctrl+s", "after_typing('save')", "entry_form.save", priority=True),
    Key("escape", "cancel", "entry_form.cancel"),
]


class FieldRefused(Exception):
    """A value typed into one field could not be read (a time, a number): said, field marked."""

    def __init__(self, field: str, error: DutyError) -> None:
        super().__init__(field)
        self.field = field
        self.error = error


def read_field(field: str, read: Callable[[], T]) -> T:
    """`read()`, its DutyError tied to `field` (run in the worker thread)."""
    try:
        return read()
    except ValidationFailed:
        raise
    except DutyError as error:
        raise FieldRefused(field, error) from error


def record_time(desk: Desk, field: str, text: str) -> DateTime | None:
    """A typed record time (a short one ahead of now is this duty's, as the call form's), None
    when blank. Reads the shift: called in the worker thread."""
    from dutydesk.services.roster import typed_record_time

    if not text.strip():
        return None
    return read_field(field, lambda: typed_record_time(desk, text))


def whole(field: str, text: str) -> int | None:
    """A count or an id typed into `field`; None when blank."""
    from dutydesk.services.incidents import whole_number

    return read_field(field, lambda: whole_number(text.strip() or None, field))


def text_input(field: str, value: str = "", placeholder: str = "") -> Input:
    """An input whose label (the catalogue's `field.<field>`) is on its border."""
    widget = DeskInput(visible(value), placeholder=placeholder, id=f"e-{field}")
    widget.border_title = literal(t(f"field.{field}"))
    return widget


def text_area(field: str, value: str = "") -> TextArea:
    widget = DeskTextArea(visible(value), id=f"e-{field}", soft_wrap=True, tab_behavior="focus")
    widget.border_title = literal(t(f"field.{field}"))
    return widget


def picker(field: str, options: list[tuple[str, str]], value: str | None) -> Vertical:
    """A Select with its label on the line above it (a Select shows no border title)."""
    select: Select[str] = DeskSelect(
        [(literal(label), code) for label, code in options],
        value=value if value is not None else Select.NULL,
        allow_blank=value is None,
        prompt=t("entry_form.choose"),
        id=f"e-{field}",
    )
    box = Vertical(Static(literal(t(f"field.{field}")), classes="entry-label"), select)
    box.add_class("entry-picker")
    return box


def picked(select: Select[str]) -> str:
    value = select.value
    return value if isinstance(value, str) else ""


def deadline_lines(desk: Desk, views: list[DeadlineView]) -> str:
    """The deadlines just set, e.g. "核报电话反馈 10:20；上级要求…" (for the status line)."""
    if not views:
        return t("entry_form.no_deadline")
    zone = desk.timezone
    today = desk.now().in_timezone(zone).date()

    def due(view: DeadlineView) -> str:
        if view.due_at is None:
            return t("entry_form.no_limit")
        local = view.due_at.in_timezone(zone)  # another day's time carries its date (QA)
        return local.format("HH:mm" if local.date() == today else "MM-DD HH:mm")

    parts = [t("entry_form.deadline_line", what=view.kind_label, due=due(view)) for view in views]
    return t("entry_form.list_separator").join(parts)


class EntryForm(TypingDialog[str | None]):
    """A form dismissed with the status line to show after its record was saved, or None."""

    STATUS_LINE = "#entry-status"
    BINDINGS = bindings(KEYS)
    TITLE_KEY: ClassVar[str]
    DEFAULT_CSS = """
    EntryForm { align: center middle; }
    #entry-box { width: 100; max-width: 100%; height: 1fr; border: round $primary;
                 background: $surface; padding: 0 1; }
    #entry-fields { height: 1fr; }
    #entry-fields Input { width: 1fr; }
    #entry-fields TextArea { height: 5; }
    .entry-row { height: auto; }
    .entry-row > * { width: 1fr; }
    .entry-picker { height: auto; width: 1fr; }
    .entry-label { padding: 0 1; text-style: bold; }
    #entry-source { color: $text-muted; }
    #entry-note { color: $warning; text-style: bold; }
    #entry-status { color: $error; text-style: bold; }
    """

    def __init__(self, call: CallView | None = None) -> None:
        super().__init__()
        self.call = call
        self._saving = False
        self._as_opened: dict[str, Any] = {}  # the fields as prefilled: Esc asks if they changed

    def compose(self) -> ComposeResult:
        with Vertical(id="entry-box") as box:
            box.border_title = literal(t(self.TITLE_KEY), width=TITLE_WIDTH)
            if self.call is not None:
                yield Static(literal(self._source_line(self.call)), id="entry-source")
            with VerticalScroll(id="entry-fields", can_focus=False):
                yield from self.fields()
            yield Static("", id="entry-note")
            yield Static("", id="entry-status")
        yield Footer()

    def _source_line(self, call: CallView) -> str:
        return t(
            "entry_form.from_call",
            number=call.number,
            time=call.received_at.in_timezone(self.desk.timezone).format("YYYY-MM-DD HH:mm"),
            caller=one_line(call.caller) or "—",
            unit=one_line(call.unit) or "—",
            phone=one_line(call.phone) or "—",
        )

    def call_time(self) -> str:
        """The call's time as the form shows it (in full: it is never read as another day's)."""
        if self.call is None:
            return ""
        return self.call.received_at.in_timezone(self.desk.timezone).format("YYYY-MM-DD HH:mm")

    def on_mount(self) -> None:
        self._as_opened = self.values()
        self.first_field().focus()
        self.update_note()

    def first_field(self) -> Widget:
        """The field the cursor starts in: the first input still to fill, so typing never
        replaces the prefilled time (QA). A form may name another (an order's text area)."""
        empty = [field for field in self.query(Input) if not field.value]
        return empty[0] if empty else self.query(Input).first()

    # -- what each form provides --------------------------------------------------------------

    def fields(self) -> ComposeResult:
        """The form's own fields: each form (incident, 核报, 批示) defines them."""
        raise NotImplementedError  # abstract: EntryForm itself is never shown

    def values(self) -> dict[str, Any]:
        """Every field's raw value, read on the UI thread (keyed by field name)."""
        values: dict[str, Any] = {}
        for widget in self.query(
            "#entry-fields Input, #entry-fields TextArea, #entry-fields Select"
        ):
            name = (widget.id or "").removeprefix("e-")
            if isinstance(widget, Input):
                values[name] = widget.value
            elif isinstance(widget, TextArea):
                values[name] = widget.text
            elif isinstance(widget, Select):
                values[name] = picked(widget)
        return values

    def save_values(self, values: dict[str, Any]) -> str:
        """Save through the service (in the worker thread); the status line to show after.
        Each form defines it."""
        raise NotImplementedError  # abstract: EntryForm itself is never shown

    def note(self, values: dict[str, Any]) -> str:
        """A line kept up to date as the fields change (the incident form's missing 要素)."""
        return ""

    # -- keeping the note current -------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self.update_note()

    def update_note(self) -> None:
        self.query_one("#entry-note", Static).update(literal(self.note(self.values())))

    # -- saving -------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        self._saving = True
        values = self.values()
        self.mark([])
        self.say(t("entry_form.saving"))
        self.run_worker(
            lambda: self._save_in_thread(values),
            thread=True,
            exclusive=True,
            group="entry-save",
            exit_on_error=False,
        )

    def _save_in_thread(self, values: dict[str, Any]) -> None:
        try:
            message = self.save_values(values)
        except FieldRefused as refused:
            self.app.call_from_thread(self._refused, refused.error.message(), [refused.field])
        except ValidationFailed as failure:
            self.app.call_from_thread(self._refused, failure.message(), failure.fields)
        except DutyError as error:
            field = ERROR_FIELDS.get(error.key)
            self.app.call_from_thread(self._refused, error.message(), [field] if field else [])
        else:
            self.app.call_from_thread(self._saved, message)

    def _refused(self, message: str, fields: list[str]) -> None:
        """Bad input: said here, the fields marked, nothing written."""
        self._saving = False
        self.say(message)
        self.mark(fields)

    def _saved(self, message: str) -> None:
        self.dismiss(message)

    def mark(self, fields: list[str]) -> None:
        """Mark the fields refused; the cursor goes to the one the message names first, not
        the first on screen (QA: a bad count was named after a text field's problem)."""
        marked: dict[str, Widget] = {}
        for widget in self.query(
            "#entry-fields Input, #entry-fields TextArea, #entry-fields Select"
        ):
            name = (widget.id or "").removeprefix("e-")
            widget.set_class(name in fields, "-invalid")
            marked[name] = widget
        named = [marked[field] for field in fields if field in marked]
        if named:
            named[0].focus()
            named[0].scroll_visible(animate=False)

    def holds_unsaved_text(self) -> bool:
        """What was typed would be lost by quitting (the app asks first: breaker, session 14)."""
        return not self._saving and self.values() != self._as_opened

    def action_cancel(self) -> None:
        if self._saving:  # the worker will dismiss the form, or say why it cannot
            return
        super().action_cancel()  # asks first over typed text (TypingDialog)


def _forms() -> dict[str, type[EntryForm]]:
    """The form of each call category that has one."""
    from dutydesk.screens.incident_form import IncidentForm
    from dutydesk.screens.instruction_form import InstructionForm
    from dutydesk.screens.verification_form import VerificationForm

    return {
        "incident": IncidentForm,
        "verification": VerificationForm,
        "instruction": InstructionForm,
    }


def form_for_call(call: CallView) -> EntryForm | None:
    """The form that records what a call of this category brought, or None (no such form)."""
    form = _forms().get(call.category)
    return form(call) if form is not None else None


def board_form(kind: str) -> EntryForm:
    """An empty form of `kind` (incident | verification | instruction), with no call."""
    return _forms()[kind]()


def no_form_message(call: CallView) -> str:
    return t("entry_form.no_form", number=call.number, category=t(f"category.{call.category}"))


def open_form_for_call(
    screen: DeskScreen[Any], view: CallView, refuse: Callable[[str], None],
    done: Callable[[str | None], None],
) -> None:  # fmt: skip
    """Ctrl+O on a call: its form, prefilled. A call already recorded as an incident is said so
    at once, read in a worker (its blank incident form was filled in whole only to be refused
    at Ctrl+S: new officer, session 16); `refuse` shows a refusal, `done` the form's result."""
    form = form_for_call(view)
    if form is None:
        refuse(no_form_message(view))
        return
    app = screen.app
    if view.category != "incident":
        app.push_screen(form, callback=done)
        return

    def check() -> None:
        from dutydesk.services.incidents import incident_of_call

        existing = incident_of_call(screen.desk, view.id)
        if existing is None:
            app.call_from_thread(app.push_screen, form, done)
        else:
            said = t("incident.call_has_incident", number=view.number, id=existing)
            app.call_from_thread(refuse, said)

    screen.run_worker(check, thread=True, exclusive=True, group="entry-form-open")
