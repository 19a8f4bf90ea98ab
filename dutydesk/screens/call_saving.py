"""Saving calls from the calls screen (CallsScreen's base): Ctrl+S queues the call as it stands
and clears the form for the next one; the saves are written one at a time in Ctrl+S order in a
worker; nothing typed is lost on the way (call_pending.PendingCalls keeps the queued and the
handed-back calls on disk, the form's own draft keeps what is being typed).

A save that fails comes back into the form if the form is empty, else waits, handed back, for
Ctrl+R (the officer is typing the next call: it must not be overwritten, nor mixed into)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.screens.call_messages import CallSaved, KeptCallsChecked, SaveFailed
from dutydesk.screens.call_pending import PendingCalls
from dutydesk.widgets.call_form import CallForm
from dutydesk.widgets.call_list import CallTable
from dutydesk.widgets.literal import cut, typed_text

if TYPE_CHECKING:
    from pendulum import DateTime
    from textual import events
    from textual.timer import Timer

    from dutydesk.services.calls import CallDraft

DRAFT_DELAY_S = 0.3
BEGAN_FORMAT = "YYYY-MM-DD HH:mm:ss"  # the time a draft's call began, as the time field takes it
KEYS_SHOWN_CELLS = 20  # the keys typed after a refused Ctrl+S, as the status line shows them


class CallSaving(DeskScreen[None]):
    def __init__(self) -> None:
        super().__init__()
        self._draft_timer: Timer | None = None
        # the form as it stood when Ctrl+N asked (a second Ctrl+N over the same text clears it;
        # compared, not reset by Changed events: those of keys typed just before Ctrl+N came
        # after its question, and it asked again)
        self._clear_asked_for: dict[str, Any] | None = None
        self._early_asked: CallDraft | None = None  # the call whose early time was pointed out
        self._pending: PendingCalls | None = None
        self._duty_began: DateTime | None = None
        self._marked: dict[str, Any] = {}  # marked fields' ids: the value refused
        self._began: str | None = None  # when the call in the form began to be typed
        self.after_save: Callable[[], None] = lambda: None  # the list read again

    @property
    def draft_form(self) -> str:
        """The name of this app's call form draft (pending_files.own_form_draft)."""
        from dutydesk.screens.pending_files import FORM_DRAFT

        own = getattr(self.app, "call_draft", None)
        return FORM_DRAFT if own is None else str(own.form)

    @property
    def pending(self) -> PendingCalls:
        if self._pending is None:
            self._pending = PendingCalls(self.desk.path)
        return self._pending

    def duty_began(self) -> DateTime | None:
        """When this duty began, as the last list read found it (else as the header has it)."""
        return self._duty_began or self.shift_start()

    def action_after_typing(self, action: str) -> None:
        """Ctrl+S: saved after the keys already on their way to the field; the keys typed after
        it wait until the form is cleared for the next call (DeskApp.hold_keys)."""
        if action != "save":
            super().action_after_typing(action)
            return
        self.app.hold_keys()
        (self.focused or self).call_later(self._save_then_release)

    def _save_then_release(self) -> None:
        """In the field's own turn (after the keys it had); the held keys are then given out
        by the app, each once the field it went to has taken it. If the save was refused (the
        form not cleared), they were typed for the next call: shown, never typed into this one
        (breaker, session 12: a burst's next call went into the refused call's fields)."""
        form = self.query_one(CallForm)
        try:
            self.action_save()
        finally:
            if form.nothing_typed():
                self.app.call_later(self.app.release_keys)
            else:
                self.keys_not_applied(self.app.drop_held_keys())

    def keys_not_applied(self, keys: list[events.Key]) -> None:
        """Keys typed after a refused Ctrl+S: shown with the refusal, never typed into it."""
        if not keys:
            return
        refusal = str(self.query_one(self.STATUS_LINE, Static).render())
        typed = cut(typed_text(keys), KEYS_SHOWN_CELLS)
        self.set_status(t("first_calls.keys_not_applied", refusal=refusal, keys=typed), ok=False)

    def action_save(self) -> None:
        from dutydesk.errors import DutyError, ValidationFailed
        from dutydesk.services.calls import validate

        form = self.query_one(CallForm)
        try:
            draft = form.draft(self.desk)
        except DutyError as error:
            self._mark(["received_at"])
            self.set_status(error.message(), ok=False)
            return
        problems = validate(self.desk, draft)  # in memory: the office and its profile
        if problems:
            failure = ValidationFailed(problems)
            self._mark(failure.fields)
            self.set_status(failure.message(), ok=False)
            return
        if self._asks_about_early_time(draft):
            return
        kept = self.pending.add(draft, form.values(), self.desk.now(), self.desk.timezone)
        if kept:  # the call is in the pending file now: the form's draft of it would be a twin
            from dutydesk.services.core import discard_draft

            discard_draft(self.desk.path, self.draft_form)
        self._early_asked = None
        form.clear()  # at once: the next call can be typed while this one is written
        self._marked = {}
        self.app.set_focus(form.query_one("#f-caller"))  # now: Widget.focus waits a refresh
        self.set_status(t("call_form.saving" if kept else "calls_screen.draft_failed"), ok=kept)
        self._save_next()

    def _save_next(self) -> None:
        """One save at a time, in Ctrl+S order (review, session 11: a second one was dropped)."""
        pending = self.pending.next_to_save()
        if pending is not None:
            self.save_in_background(pending.draft, pending.values)

    def _asks_about_early_time(self, draft: CallDraft) -> bool:
        """A time before this duty began is saved only once confirmed by a second Ctrl+S."""
        began = self.duty_began()
        if draft.received_at is None or began is None or draft.received_at >= began:
            return False
        if self._early_asked == draft:
            return False
        self._early_asked = draft
        self._mark(["received_at"])
        at, start = (when.in_timezone(self.desk.timezone) for when in (draft.received_at, began))
        shown = "YYYY-MM-DD HH:mm"
        self.set_status(
            t("call_form.before_shift", at=at.format(shown), start=start.format(shown)), ok=False
        )
        return True

    @work(thread=True, group="calls-save", exit_on_error=False)
    def save_in_background(self, draft: CallDraft, values: dict[str, Any]) -> None:
        from dutydesk.errors import DutyError, ValidationFailed
        from dutydesk.services import calls

        try:
            record = calls.save_call(self.desk, draft, self.recorder())
        except ValidationFailed as failure:
            self.post_message(SaveFailed(failure.message(), values, failure.fields))
        except DutyError as error:
            self.post_message(SaveFailed(t("app.save_failed", reason=error.message()), values))
        except Exception as error:  # the call is kept (handed back); the app goes on
            reason = type(error).__name__
            self.post_message(SaveFailed(t("app.save_failed", reason=reason), values))
        else:
            self.post_message(CallSaved(record.number))

    @on(CallSaved)
    def _saved(self, message: CallSaved) -> None:
        from dutydesk.services.core import discard_draft

        kept = self.pending.saved()  # only now, after the commit returned, is the call saved
        self._save_next()
        if self.query_one(CallForm).nothing_typed():
            discard_draft(self.desk.path, self.draft_form)
        status = t("app.saved", number=message.number)
        if self.pending.handed_back:
            status += " " + t("calls_screen.handed_back", count=len(self.pending.handed_back))
        self.set_status(status if kept else t("calls_screen.draft_failed"), ok=kept)
        # the call just saved chosen in the list, wherever its time puts it (a call written up
        # late sorts below the newer ones: QA, session 13, it seemed lost)
        self.query_one(CallTable).select_when_listed(message.number)
        self.after_save()

    @on(SaveFailed)
    def _save_failed(self, message: SaveFailed) -> None:
        """Handed back, never put into the form by itself: the officer may be typing the next
        call (breaker, session 12: keys typed then went into the call brought back)."""
        self.pending.failed()  # handed back, on disk
        self._save_next()
        self.set_status(self._with_handed_back(message.message), ok=False)

    def _with_handed_back(self, message: str) -> str:
        count = len(self.pending.handed_back)
        return message + (" " + t("calls_screen.handed_back", count=count) if count else "")

    def _bring_back(self, values: dict[str, Any], fields: list[str] | None = None) -> bool:
        """A handed-back call into the empty form (its draft written before it leaves the
        pending file: it is on disk throughout)."""
        from dutydesk.services.core import save_draft

        form = self.query_one(CallForm)
        if not form.nothing_typed():
            return False
        form.load_values(values)
        self._mark(fields or [])
        save_draft(self.desk.path, self.draft_form, form.values())
        self.pending.drop_handed_back(values)
        return True

    def action_recall(self) -> None:
        """Ctrl+R: the oldest call handed back into the form (the form must be empty)."""
        handed_back = self.pending.handed_back
        if not handed_back:
            self.set_status(t("calls_screen.nothing_handed_back"), ok=False)
        elif not self._bring_back(handed_back[0]):
            self.set_status(t("calls_screen.recall_form_busy"), ok=False)
        else:
            left = len(handed_back)
            key = "calls_screen.recalled" if left else "calls_screen.recalled_last"
            self.set_status(t(key, count=left), ok=False)
            self.query_one(CallForm).focus_first()

    def action_new(self) -> None:
        from dutydesk.services.core import discard_draft

        form = self.query_one(CallForm)
        if not form.nothing_typed() and form.values() != self._clear_asked_for:
            self._clear_asked_for = form.values()  # thrown away only on a second Ctrl+N
            self.set_status(t("calls_screen.new_confirm"), ok=False)
            return
        form.clear()
        self._clear_asked_for = None
        self._marked = {}
        self._early_asked = None
        discard_draft(self.desk.path, self.draft_form)  # queued calls are in the pending file
        self.set_status("", ok=True)
        form.focus_first()

    # -- drafts: nothing typed is lost --------------------------------------------------------

    @on(Input.Changed, "#call-form Input")
    @on(TextArea.Changed, "#call-form TextArea")
    @on(Checkbox.Changed, "#call-form Checkbox")
    @on(Select.Changed, "#call-form Select")
    def _form_changed(self, event: Message) -> None:
        self._recheck(getattr(event, "control", None))
        if self.query_one(CallForm).nothing_typed():
            self._began = None
        elif self._began is None:
            self._began = self.desk.now().in_timezone(self.desk.timezone).format(BEGAN_FORMAT)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY_S, self._keep_draft)

    def _mark(self, fields: list[str]) -> None:
        """The refused fields marked, each with the value it was refused with."""
        form = self.query_one(CallForm)
        form.mark_problems(fields)
        self._marked = {w.id: _value_of(w) for w in form.query(".-invalid") if w.id is not None}

    def _recheck(self, changed: Widget | None) -> None:
        """A field the refusal marked changed: no longer marked; once none is, the refusal it
        said is no longer shown (QA: it stayed after every field had been put right). Kept
        by id, not by the class: an Input drops "-invalid" itself when it validates."""
        if changed is None or changed.id not in self._marked:
            return
        if self._marked[changed.id] == _value_of(changed):
            return  # the value the refusal was about, set again (a call loaded back)
        del self._marked[changed.id]
        changed.remove_class("-invalid")
        if not self._marked:
            status = self.query_one(self.STATUS_LINE, Static)
            if status.has_class("error"):
                self.set_status("", ok=True)

    def _keep_draft(self) -> None:
        from dutydesk.services.core import discard_draft, save_draft

        form = self.query_one(CallForm)
        pending_kept = self.pending.on_disk or self.pending.keep()  # again once there is room
        if form.nothing_typed():
            discard_draft(self.desk.path, self.draft_form)  # queued calls are in the pending file
            form_kept = True
        else:
            form_kept = save_draft(self.desk.path, self.draft_form, self._draft_values(form))
        if not (form_kept and pending_kept):
            self.set_status(self._with_handed_back(t("calls_screen.draft_failed")), ok=False)

    def leave_drafts(self) -> None:
        """At Ctrl+Q: the drafts written; a second app's form draft (pending_files.
        own_form_draft) taken away with its lock when the form is empty, as nothing is left."""
        from dutydesk.screens.pending_files import FORM_DRAFT

        self._keep_draft()
        own = getattr(self.app, "call_draft", None)
        if own is not None and own.form != FORM_DRAFT and self.query_one(CallForm).nothing_typed():
            own.remove()

    def _draft_values(self, form: CallForm) -> dict[str, Any]:
        """The form's values, the time left blank ("now") kept as the time typing began: a
        call restored after a crash took the time it was saved at, after the restart (QA,
        session 14). The officer sees it in the time field and may change it."""
        values = form.values()
        if self._began is not None and not str(values.get("received_at") or "").strip():
            values["received_at"] = self._began
        return values

    def restore_drafts(self) -> None:
        """What a run that ended left unsaved: the form's draft into the form, calls that were
        queued or handed back handed back (written or not: the officer checks the list)."""
        from dutydesk.screens.pending_files import set_aside_unreadable
        from dutydesk.services.core import load_draft

        aside = set_aside_unreadable(self.desk.path, self.draft_form)
        if values := load_draft(self.desk.path, self.draft_form):
            self.query_one(CallForm).load_values(values)
            self.set_status(t("calls_screen.draft_restored"), ok=False)  # to be seen
        from dutydesk.screens.pending_files import FORM_DRAFT, shared_draft_orphaned

        orphaned = self.draft_form != FORM_DRAFT and shared_draft_orphaned(self.desk.path)
        saved, typed = self.pending.restore(orphaned)
        said = []  # one line for all (breaker: the draft's was lost)
        if aside is not None:
            said.append(t("calls_screen.draft_set_aside", path=str(aside)))
        if saved:
            key = "pending_restored_with_draft" if values else "pending_restored"
            said.append(t(f"calls_screen.{key}", count=saved))
        if typed:  # another window's call, typed and never saved (new officer, session 21)
            key = "typed_restored_with_draft" if values and not saved else "typed_restored"
            said.append(t(f"calls_screen.{key}", count=typed))
        if said:
            self.set_status(" ".join(said), ok=False)
        # and the corrections being typed when it ended (amend_draft.py)
        self.check_kept_calls(list(self.pending.handed_back))

    @work(thread=True, group="calls-kept", exit_on_error=False)
    def check_kept_calls(self, kept: list[dict[str, Any]]) -> None:
        """Those of the kept calls already in the register (written just before the app that
        kept them ended): not to be saved twice. And the corrections left, looked up too."""
        from dutydesk.screens.amend_draft import look_up
        from dutydesk.services.calls import already_saved

        found = already_saved(self.desk, kept) if kept else {}
        saved = [(kept[i], number) for i, number in found.items()]
        self.post_message(KeptCallsChecked(saved, look_up(self.desk)))

    @on(KeptCallsChecked)
    def _kept_calls_checked(self, message: KeptCallsChecked) -> None:
        for values, _number in message.saved:
            self.pending.drop_handed_back(values)
        if message.saved:
            numbers = t("entry_form.list_separator").join(n for _v, n in message.saved)
            said = t("calls_screen.kept_already_saved", count=len(message.saved), numbers=numbers)
            self.set_status(self._with_handed_back(said), ok=not self.pending.handed_back)
        if said := message.corrections.said():  # after what the start said of the calls
            shown = str(self.query_one(self.STATUS_LINE, Static).render())
            self.set_status(f"{shown} {said}".strip(), ok=False)


def _value_of(widget: Widget) -> Any:
    return widget.text if isinstance(widget, TextArea) else getattr(widget, "value", None)
