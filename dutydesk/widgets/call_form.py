"""The call form: every field of a register line, laid out for fast keyboard entry.
Used to log a call and, prefilled, to correct one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, TextArea

from dutydesk.i18n import t
from dutydesk.widgets.literal import literal, visible

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.calls import CallDraft, CallView
    from dutydesk.services.core import Desk

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


class CallForm(Vertical):
    """Fields only: saving is the screen's job."""

    def __init__(self, categories: list[str], units: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.categories = categories
        self.units = units

    def compose(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield self._input("f-time", "received_at", t("form.time_placeholder"))
            yield self._select(
                "f-direction",
                "direction",
                [(t("direction.in"), "in"), (t("direction.out"), "out")],
                "in",
            )
            yield self._select(
                "f-category",
                "category",
                [(t("category." + code), code) for code in self.categories],
                "other" if "other" in self.categories else self.categories[0],
            )
            yield Checkbox(t("field.verified"), id="f-verified")
        with Horizontal(classes="form-row"):
            yield self._input("f-caller", "caller", t("form.caller_placeholder"))
            unit = self._input("f-unit", "unit", t("form.unit_placeholder"))
            shown_units = [visible(name) for name in self.units]
            unit.suggester = SuggestFromList(shown_units, case_sensitive=False)
            yield unit
            yield self._input("f-phone", "phone", "0371-66000000")
        summary = TextArea(id="f-summary", soft_wrap=True, tab_behavior="focus")
        summary.border_title = literal(t("field.summary"))
        yield summary
        with Horizontal(classes="form-row"):
            yield self._input("f-place", "place", t("form.place_placeholder"))
            yield self._input("f-handling", "handling", t("form.handling_placeholder"))
            yield Checkbox(t("field.follow_up"), id="f-follow-up")

    @staticmethod
    def _input(widget_id: str, field: str, placeholder: str) -> Input:
        widget = Input(placeholder=placeholder, id=widget_id)
        widget.border_title = literal(t("field." + field))
        return widget

    @staticmethod
    def _select(widget_id: str, field: str, options: list[tuple[str, str]], value: str) -> Select:
        widget: Select[str] = Select(options, value=value, allow_blank=False, id=widget_id)
        widget.border_title = literal(t("field." + field))
        return widget

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
        return values

    def load_values(self, values: dict[str, Any]) -> None:
        """Stored text goes into the fields as `visible()` shows it: a field would otherwise send
        an old register's terminal escapes straight to the terminal."""
        for name in TEXT_FIELDS:
            if isinstance(values.get(name), str):
                self.query_one(FIELD_WIDGETS[name], Input).value = visible(values[name])
        if isinstance(values.get("summary"), str):
            self.query_one("#f-summary", TextArea).text = visible(values["summary"])
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
        for name in TEXT_FIELDS:
            self.query_one(FIELD_WIDGETS[name], Input).value = ""
        self.query_one("#f-summary", TextArea).text = ""
        self.query_one("#f-verified", Checkbox).value = False
        self.query_one("#f-follow-up", Checkbox).value = False
        self.mark_problems([])

    def draft(self, desk: Desk, shift_start: DateTime | None = None) -> CallDraft:
        """A CallDraft from the fields. Raises DutyError (field received_at) for a bad time.
        `shift_start`: a short time ahead of now is the day before's when that is in the shift."""
        from dutydesk.services.calls import CallDraft
        from dutydesk.services.core import parse_time

        values = self.values()
        typed_time = values.pop("received_at").strip()
        when = (
            parse_time(typed_time, desk.timezone, now=desk.now(), back_to=shift_start)
            if typed_time
            else None
        )
        return CallDraft(**values, received_at=when)

    def mark_problems(self, fields: list[str]) -> None:
        for name, selector in FIELD_WIDGETS.items():
            self.query_one(selector).set_class(name in fields, "-invalid")
        if fields and fields[0] in FIELD_WIDGETS:
            self.query_one(FIELD_WIDGETS[fields[0]]).focus()

    def focus_first(self) -> None:
        self.query_one("#f-caller", Input).focus()
