"""One call in full, with its correction history; and the correction form, whose typing is
kept on disk until the correction is known to be saved (amend_draft.py)."""

from __future__ import annotations

import contextlib
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Footer, Input, Select, Static, TextArea

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal, DeskScreen, TypingDialog
from dutydesk.screens.call_messages import CallRead, CallSaved, KeptCorrection, SaveFailed
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.call_form import CallForm
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal, visible

if TYPE_CHECKING:
    from textual.timer import Timer

    from dutydesk.screens.amend_draft import Kept, OwnDraft
    from dutydesk.services.calls import CallDraft, CallView

DRAFT_DELAY_S = 0.3  # a correction's draft is written this long after the last key

DETAIL_FIELDS = (
    "direction",
    "caller",
    "unit",
    "phone",
    "verified",
    "follow_up",
    "category",
    "place",
    "summary",
    "handling",
)
# Labels other than the field's own (the form's 需跟进 says what ticking it does)
DETAIL_LABELS = {"follow_up": "call_form.follow_up_short"}


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
        key = DETAIL_LABELS.get(name, "field." + name)
        if name == "caller" and view.direction == "out":
            key = "field.caller_out"  # the person called, as the form names them (受话人)
        label = t(key)
        lines.append(t("detail.line", label=label, value=value))
    recorded = view.recorded_at.in_timezone(timezone).format("YYYY-MM-DD HH:mm:ss")
    lines.append(t("detail.recorded", who=view.recorded_by, at=recorded))
    return "\n".join(lines)


def _as_loaded(view: CallView, name: str) -> object:
    """A field of the call as the form shows it (text through `visible()`): a field left as it
    was is not a change, even if the register holds characters the form cannot show."""
    value = getattr(view, name)
    return visible(value) if isinstance(value, str) else value


@work(thread=True, exclusive=True, group="call-read")
def read_call(screen: DeskScreen[str | None], number: str, kept: bool = False) -> None:
    """Read call `number` and its history off the UI thread; `screen` gets a CallRead. With
    `kept` (the correction dialog), then a KeptCorrection: what programs that ended left of a
    correction of it, looked up in the register."""
    from dutydesk.errors import DutyError
    from dutydesk.services.calls import get_call

    try:
        view, history = get_call(screen.desk, number)
    except DutyError as error:
        screen.post_message(CallRead(None, [], error.message()))
        return
    screen.post_message(CallRead(view, history))
    if kept:
        from dutydesk.screens.amend_draft import look_up

        screen.post_message(KeptCorrection(look_up(screen.desk, number)))


class CallDetailScreen(DeskModal[str | None]):
    """Dismissed with what to say of a correction made from here (AmendScreen's), or None."""

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
        with VerticalScroll(id="detail-box") as box:
            box.border_title = literal(t("detail.title", number=self.number))
            yield Static(literal(t("calls_list.loading")), id="detail-current")
        yield Footer()

    def on_mount(self) -> None:
        read_call(self, self.number)

    @on(CallRead)
    async def _call_read(self, message: CallRead) -> None:
        current = self.query_one("#detail-current", Static)
        if message.view is None:
            current.update(literal(message.problem))
            return
        self.view = message.view
        timezone = self.desk.timezone
        current.update(literal(_describe(message.view, timezone)))
        if len(message.history) < 2:
            return
        lines: list[Static] = [Static(literal(t("detail.history")), classes="section-title")]
        for line in message.history:
            heading = (
                t("detail.original", number=line.number)
                if line.amends is None
                else t("detail.amendment", number=line.number, reason=line.amend_reason)
            )
            lines.append(Static(literal(heading), classes="history-heading"))
            lines.append(Static(literal(_describe(line, timezone)), classes="history-line"))
        await self.query_one("#detail-box").mount_all(lines)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_amend(self) -> None:
        self.app.push_screen(AmendScreen(self.number), callback=self._amended)

    def action_entry_form(self) -> None:
        """The incident, 核报 or 批示 form for this call, prefilled from it."""
        from dutydesk.screens.entry_form import open_form_for_call

        if self.view is None:  # still being read: the key does nothing yet
            return
        refuse = partial(self.notify, severity="warning", markup=False)
        open_form_for_call(self, self.view, refuse, self._after_entry_form)

    def _after_entry_form(self, message: str | None) -> None:
        if message:
            self.notify(message, markup=False)

    def _amended(self, said: str | None) -> None:
        if said:
            self.dismiss(said)


class AmendScreen(TypingDialog[str | None]):
    """The call form prefilled with the call as it stands; saving records a new linked line.
    Dismissed with what to say of it: its number, and what became of the call's pending item
    when 需跟进 was ticked or unticked (services/calls/call_follow.py)."""

    STATUS_LINE = "#amend-status"
    keeps_draft_at_quit = True  # Ctrl+Q over typed text says so (amend_draft.py)
    KEYS = [
        Key("ctrl+s", "after_typing('save')", "amend.save", priority=True),
        Key("escape", "cancel", "amend.cancel"),
        # priority: the focus moves as the key is read, so what is typed next lands in the next
        # field (the calls screen does the same)
    ]  # fmt: skip
    BINDINGS = bindings(KEYS)

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.original: CallView | None = None  # read in a worker once the dialog is up
        self._saving = False
        self._as_opened: dict[str, object] = {}  # the form as loaded (holds_unsaved_text)
        self._seen: list[str] = []  # the call's lines as read (the draft names them)
        self._draft: OwnDraft | None = None  # what is typed, on disk (amend_draft.py)
        self._draft_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        desk = self.desk
        with Vertical(id="amend-box") as box:
            box.border_title = literal(t("amend.title", number=self.number))
            yield CallForm(desk.profile.calls.categories, [], id="amend-form")
            reason = DeskInput(placeholder=t("amend.reason_placeholder"), id="amend-reason")
            reason.border_title = literal(t("field.reason"))
            yield reason
            yield Static("", id="amend-status")
        yield Footer()

    def on_mount(self) -> None:
        from dutydesk.screens.amend_draft import OwnDraft

        self.query_one("#amend-reason", Input).focus()
        self._draft = OwnDraft(self.desk.path, self.number)
        self.app.before_quit.append(self._keep_draft)  # Ctrl+Q: written first
        read_call(self, self.number, kept=True)

    def on_unmount(self) -> None:
        with contextlib.suppress(ValueError):
            self.app.before_quit.remove(self._keep_draft)

    @on(CallRead)
    def _call_read(self, message: CallRead) -> None:
        if message.view is None:
            self.say(message.problem)
            return
        self.original = message.view
        self._seen = [line.number for line in message.history]
        form = self.query_one(CallForm)
        form.load_call(message.view, self.desk.timezone)
        self._as_opened = form.values()
        self._typed()  # a reason typed while it was read: kept too

    @on(KeptCorrection)
    def _kept_correction(self, message: KeptCorrection) -> None:
        """A correction of this call left by a program that ended: in the register (said), or
        handed back into the dialog, on disk as this dialog's before its file goes."""
        found, said = message.found, []
        if found.saved:
            numbers = t("entry_form.list_separator").join(n for _call, n in found.saved)
            said.append(t("amend.kept_saved", numbers=numbers))
        if (kept := found.handed_back) is not None:
            if self.original is None:  # the call could not be read: left for the next opening
                kept.hand_over(False)
            else:
                self._bring_back(kept)
                said.append(t("amend.kept_unsaved" if kept.saving else "amend.kept_restored"))
        if said:
            self.set_status(" ".join(said), ok=False)

    def _bring_back(self, kept: Kept) -> None:
        reason = self.query_one("#amend-reason", Input)
        if not reason.value.strip():
            reason.value = visible(kept.reason)  # a file changed by hand: never raw
        form = self.query_one(CallForm)
        form.load_values({**form.values(), **kept.changes})
        kept.hand_over(self._keep_draft())

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _typed(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY_S, self._keep_draft)

    def _keep_draft(self) -> bool:
        """The reason and the fields changed, on disk (nothing typed: no file); False if the
        disk refused them (said: the dialog still holds them)."""
        if self._draft is None or self.original is None:
            return False
        reason = self.query_one("#amend-reason", Input).value
        values = self.query_one(CallForm).values()
        changes = {name: v for name, v in values.items() if v != self._as_opened.get(name)}
        if not reason.strip() and not changes:
            self._draft.drop()
            return True
        if self._draft.keep(reason, changes, self._seen, self._saving):
            return True
        self.set_status(t("calls_screen.draft_failed"), ok=False)
        return False

    def _drop_draft(self) -> None:
        """Saved, or thrown away: nothing left on disk, nor written later."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self._draft is not None:
            self._draft.drop()
        self._draft = None

    def throw_away(self) -> None:
        self._drop_draft()
        super().throw_away()

    def action_cancel(self) -> None:
        if not self._saving:  # being saved: the save's answer closes it, or says why not
            super().action_cancel()

    def holds_unsaved_text(self) -> bool:
        """A reason or a change typed (Esc and Ctrl+Q ask first: breaker, session 14)."""
        if self.original is None or self._saving:
            return False
        reason = self.query_one("#amend-reason", Input).value.strip()
        return bool(reason) or self.query_one(CallForm).values() != self._as_opened

    def action_save(self) -> None:
        from dutydesk.errors import DutyError

        if self.original is None or self._saving:
            return  # still being read, or being saved
        form = self.query_one(CallForm)
        try:
            changes = self._changes(form.draft(self.desk))
        except DutyError as error:
            form.mark_problems(["received_at"])
            self.say(error.message())
            return
        self._saving = True
        self._keep_draft()  # Ctrl+S noted on disk before the save starts (amend_draft.py)
        self.amend_in_background(self.query_one("#amend-reason", Input).value, changes)

    def _changes(self, draft: CallDraft) -> dict[str, object]:
        """The fields the form changes, a field left as loaded being no change."""
        from dutydesk.services.calls import AMENDABLE

        assert self.original is not None
        changes = {
            name: getattr(draft, name)
            for name in AMENDABLE
            if name != "received_at" and getattr(draft, name) != _as_loaded(self.original, name)
        }
        minute = "YYYY-MM-DD HH:mm"
        original = self.original.received_at.in_timezone(self.desk.timezone).format(minute)
        if draft.received_at is not None and draft.received_at.format(minute) != original:
            changes["received_at"] = draft.received_at
        return changes

    @work(thread=True, group="amend-save")
    def amend_in_background(self, reason: str, changes: dict[str, object]) -> None:
        from dutydesk.errors import DutyError, ValidationFailed
        from dutydesk.services.calls import record_correction

        try:
            done = record_correction(self.desk, self.number, reason, changes, self.recorder())
        except ValidationFailed as failure:
            self.post_message(SaveFailed(failure.message(), {}, failure.fields))
        except DutyError as error:
            self.post_message(SaveFailed(error.message(), {}))
        else:
            self.post_message(CallSaved(done.record.number, done.pending_said()))

    @on(CallSaved)
    def _amended(self, message: CallSaved) -> None:
        self._saving = False
        self._drop_draft()  # only now, the save having returned, is the correction saved
        said = t("calls_screen.amended", number=message.number)
        self.dismiss(f"{said} {message.said}" if message.said else said)

    @on(SaveFailed)
    def _not_amended(self, message: SaveFailed) -> None:
        self._saving = False
        self._keep_draft()  # no longer being saved: handed back as typed if the app ends
        self.query_one(CallForm).mark_problems(message.fields)
        reason = self.query_one("#amend-reason", Input)
        reason.set_class("reason" in message.fields, "-invalid")
        if "reason" in message.fields:
            reason.focus()
        self.say(message.message)
