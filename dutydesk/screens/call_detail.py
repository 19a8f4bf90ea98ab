"""One call in full, with its correction history; and the correction form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.call_form import CallForm
from dutydesk.widgets.literal import literal, visible

if TYPE_CHECKING:
    from dutydesk.services.calls import CallView

DETAIL_FIELDS = (
    "direction",
    "caller",
    "unit",
    "phone",
    "verified",
    "category",
    "place",
    "summary",
    "handling",
)


def _describe(view: CallView, timezone: str) -> str:
    received = view.received_at.in_timezone(timezone).format("YYYY-MM-DD HH:mm")
    lines = [
        t("detail.line", label=t("field.number"), value=view.number),
        t("detail.line", label=t("field.received_at"), value=received),
    ]
    for name in DETAIL_FIELDS:
        value = getattr(view, name)
        if name == "direction":
            value = t("direction." + value)
        elif name == "category":
            value = t("category." + value)
        elif isinstance(value, bool):
            value = t("detail.yes") if value else t("detail.no")
        lines.append(t("detail.line", label=t("field." + name), value=value))
    recorded = view.recorded_at.in_timezone(timezone).format("YYYY-MM-DD HH:mm:ss")
    lines.append(t("detail.recorded", who=view.recorded_by, at=recorded))
    return "\n".join(lines)


def _as_loaded(view: CallView, name: str) -> object:
    """A field of the call as the form shows it (text through `visible()`): a field left as it
    was is not a change, even if the register holds characters the form cannot show."""
    value = getattr(view, name)
    return visible(value) if isinstance(value, str) else value


class CallDetailScreen(DeskModal[str | None]):
    """Dismissed with the number of a correction made from here, or None."""

    KEYS = [
        Key("escape", "close", "detail.close"),
        Key("ctrl+e", "amend", "calls_screen.amend", priority=True),
        Key("ctrl+o", "entry_form", "entry_form.open", priority=True),
    ]
    BINDINGS = bindings(KEYS)

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.view: CallView | None = None

    def compose(self) -> ComposeResult:
        from dutydesk.services.calls import get_call

        desk = self.desk
        view, history = get_call(desk, self.number)
        self.view = view
        with VerticalScroll(id="detail-box") as box:
            box.border_title = literal(t("detail.title", number=view.number))
            yield Static(literal(_describe(view, desk.timezone)), id="detail-current")
            if len(history) > 1:
                yield Static(literal(t("detail.history")), classes="section-title")
                for line in history:
                    heading = (
                        t("detail.original", number=line.number)
                        if line.amends is None
                        else t("detail.amendment", number=line.number, reason=line.amend_reason)
                    )
                    yield Static(literal(heading), classes="history-heading")
                    yield Static(literal(_describe(line, desk.timezone)), classes="history-line")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_amend(self) -> None:
        self.app.push_screen(AmendScreen(self.number), callback=self._amended)

    def action_entry_form(self) -> None:
        """The incident, 核报 or 批示 form for this call, prefilled from it."""
        from dutydesk.screens.entry_form import form_for_call, no_form_message

        assert self.view is not None  # composed
        form = form_for_call(self.view)
        if form is None:
            self.notify(no_form_message(self.view), severity="warning", markup=False)
            return
        self.app.push_screen(form, callback=self._after_entry_form)

    def _after_entry_form(self, message: str | None) -> None:
        if message:
            self.notify(message, markup=False)

    def _amended(self, number: str | None) -> None:
        if number:
            self.dismiss(number)


class AmendScreen(DeskModal[str | None]):
    """The call form prefilled with the call as it stands; saving records a new linked line."""

    STATUS_LINE = "#amend-status"
    KEYS = [
        Key("ctrl+s", "save", "amend.save", priority=True),
        Key("escape", "cancel", "amend.cancel"),
    ]
    BINDINGS = bindings(KEYS)

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.original: CallView | None = None

    def compose(self) -> ComposeResult:
        from dutydesk.services.calls import get_call

        desk = self.desk
        self.original, _history = get_call(desk, self.number)
        with Vertical(id="amend-box") as box:
            box.border_title = literal(t("amend.title", number=self.original.number))
            yield CallForm(desk.profile.calls.categories, [], id="amend-form")
            reason = Input(placeholder=t("amend.reason_placeholder"), id="amend-reason")
            reason.border_title = literal(t("field.reason"))
            yield reason
            yield Static("", id="amend-status")
        yield Footer()

    def on_mount(self) -> None:
        assert self.original is not None
        self.query_one(CallForm).load_call(self.original, self.desk.timezone)
        self.query_one("#amend-reason", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        from dutydesk.errors import DutyError, ValidationFailed
        from dutydesk.services.calls import AMENDABLE, amend_call

        assert self.original is not None
        desk = self.desk
        form = self.query_one(CallForm)
        try:
            draft = form.draft(desk, self.shift_start())
            changes = {
                name: getattr(draft, name)
                for name in AMENDABLE
                if name != "received_at" and getattr(draft, name) != _as_loaded(self.original, name)
            }
            original_minute = self.original.received_at.in_timezone(desk.timezone).format(
                "YYYY-MM-DD HH:mm"
            )
            if (
                draft.received_at is not None
                and draft.received_at.format("YYYY-MM-DD HH:mm") != original_minute
            ):
                changes["received_at"] = draft.received_at
            record = amend_call(
                desk,
                self.number,
                self.query_one("#amend-reason", Input).value,
                changes,
                self.recorder(),
            )
        except ValidationFailed as failure:
            form.mark_problems(failure.fields)
            self.query_one("#amend-reason", Input).set_class("reason" in failure.fields, "-invalid")
            if "reason" in failure.fields:
                self.query_one("#amend-reason", Input).focus()
            self.say(failure.message())
            return
        except DutyError as error:
            self.say(error.message())
            return
        self.dismiss(record.number)
