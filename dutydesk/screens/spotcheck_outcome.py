"""Dialogs of the spot-check screen: one unit's outcome (or its correction, with a reason), and
closing a round. The dialog scrolls, so at 80x24 every field, the note included, can be
reached and is seen while typed; the save runs in a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Footer, Input, Select, SelectionList, Static

from dutydesk.i18n import t
from dutydesk.screens.base import TypingDialog
from dutydesk.screens.spotcheck import after_queued_keys
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskCheckbox, DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.models import Person
    from dutydesk.services.core import Desk
    from dutydesk.services.spotcheck import DrawnUnit
    from dutydesk.services.spotcheck.spotcheck_views import OutcomeView

TITLE_WIDTH = 72  # cells: the dialogs are 80 wide
SAVE_KEYS = [
    Key("ctrl+s", "after_typing('save')", "spotcheck_screen.save", priority=True),
    Key("escape", "cancel", "spotcheck_screen.cancel"),
]


class StatedCheckbox(DeskCheckbox):
    """A check box whose label says its state in words (“有人接听：是”), not by colour alone."""

    def __init__(self, label_key: str, value: bool, *, id: str) -> None:  # noqa: A002
        self.label_key = label_key
        super().__init__(self.stated(value), value=value, id=id)

    def stated(self, value: bool) -> str:
        state = t("spotcheck_screen.yes" if value else "spotcheck_screen.no")
        return t("spotcheck_screen.stated", label=t(self.label_key), state=state)

    def watch_value(self) -> None:
        self.label = self.stated(self.value)
        super().watch_value()


class _SavingDialog(TypingDialog[Any]):
    """Collect on the UI thread, write in a worker; a refusal stays in the dialog."""

    busy = False

    def save_in_worker(self, write: Callable[[Desk, Person], str]) -> None:
        if self.busy:
            return
        self.busy = True
        desk = self.desk

        def _work() -> None:
            from dutydesk.errors import DutyError, ValidationFailed
            from dutydesk.services.core import thread_desk
            from dutydesk.services.roster import resolve_recorder

            try:
                with thread_desk(desk) as own:
                    message = write(own, resolve_recorder(own, None))
            except DutyError as error:
                fields = error.fields if isinstance(error, ValidationFailed) else []
                self.app.call_from_thread(self._failed, error.message(), fields)
                return
            self.app.call_from_thread(self.dismiss, message)

        # the app's worker: closing the dialog must not cancel the write it is finishing
        self.app.run_worker(_work, thread=True, group="spotcheck-save")

    def _failed(self, message: str, fields: list[str]) -> None:
        self.busy = False
        self.set_status(message, ok=False)
        self.mark_fields(fields)

    def mark_fields(self, fields: list[str]) -> None:
        """Mark the inputs of the fields refused (none by default)."""

    _as_opened: object = None  # what the officer can change, as opened

    def on_mount(self) -> None:
        self.call_after_refresh(self._keep_as_opened)  # after the subclass has filled it in

    def _keep_as_opened(self) -> None:
        self._as_opened = self.typed()

    def holds_unsaved_text(self) -> bool:
        """What was typed would be lost by closing (Esc, Ctrl+Q ask first: breaker, session 15:
        one Esc dropped a typed answerer and note)."""
        return not self.busy and self._as_opened not in (None, self.typed())


class OutcomeScreen(_SavingDialog):
    """Method, answered or not, who answered (or 未问姓名; on the roster?), faults (Tianjin art.
    18), note. With `correcting`, the unit's result as it stands is filled in, and the reason
    for the correction is asked first; dismissed with the message to show."""

    STATUS_LINE = "#outcome-status"
    BINDINGS = bindings(SAVE_KEYS)
    FIELD_INPUTS = {
        "spotcheck_correction_reason": "#outcome-reason",
        "spotcheck_method": "#outcome-method",
        "spotcheck_answered_by": "#outcome-by",
        "spotcheck_fault": "#outcome-faults",
        "note": "#outcome-note",
    }

    def __init__(self, round_id: int, unit: DrawnUnit, *, correcting: bool = False) -> None:
        super().__init__()
        self.round_id = round_id
        self.unit = unit
        self.current: OutcomeView | None = unit.latest if correcting else None

    def compose(self) -> ComposeResult:
        from dutydesk.services.spotcheck import result_label

        profile = self.desk.profile
        now = self.current
        with VerticalScroll(id="outcome-box") as box:
            key = "correct_title" if now else "outcome_title"
            if not now and self.unit.outcomes:
                key = "retry_title"
            title = t("spotcheck_screen." + key, unit=self.unit.name,
                      attempt=len(self.unit.outcomes) + 1)  # fmt: skip
            box.border_title = literal(title, width=TITLE_WIDTH)
            if now is not None:
                yield Static(literal(self._now_line(now, result_label(now))), id="outcome-now")
                yield self._titled(
                    DeskInput(id="outcome-reason"), "field.spotcheck_correction_reason"
                )
            methods = [(literal(t("spotcheck_method." + c)), c) for c in profile.spotcheck.methods]
            with Horizontal(classes="outcome-row"):
                yield Static(literal(t("field.spotcheck_method")), classes="outcome-label")
                yield DeskSelect(methods, value=now.method if now else methods[0][1],
                             allow_blank=False, id="outcome-method")  # fmt: skip
            answered = now.answered if now else True
            yield StatedCheckbox("spotcheck_screen.answered", answered, id="outcome-answered")
            with Horizontal(classes="outcome-row"):
                by = DeskInput(now.answered_by if now else "", id="outcome-by")
                yield self._titled(by, "field.spotcheck_answered_by")
                no_name = bool(now and now.answered and not now.answered_by)
                yield StatedCheckbox(
                    "field.spotcheck_name_not_asked", no_name, id="outcome-no-name"
                )
            on_roster = now.on_roster is not False if now else True
            yield StatedCheckbox("spotcheck_screen.on_roster", on_roster, id="outcome-roster")
            faults: SelectionList[str] = SelectionList(
                *[(t("spotcheck_fault." + code), code, bool(now and code in now.faults))
                  for code in profile.spotcheck.faults],
                id="outcome-faults",
            )  # fmt: skip
            yield self._titled(faults, "field.spotcheck_fault")
            yield Static("", id="outcome-faults-chosen")
            yield self._titled(DeskInput(now.note if now else "", id="outcome-note"), "field.note")
            yield Static("", id="outcome-status")
        yield Footer()

    @staticmethod
    def _titled(widget: Any, key: str) -> Any:
        widget.border_title = literal(t(key))
        return widget

    def _now_line(self, now: OutcomeView, result: str) -> str:
        at = now.checked_at.in_timezone(self.desk.timezone).format("HH:mm")
        by = now.answered_by or (t("spotcheck_table.name_not_given") if now.answered else "")
        return t("spotcheck_screen.correct_now", result=result, at=at, by=by,
                 method=t("spotcheck_method." + now.method))  # fmt: skip

    def on_mount(self) -> None:
        self._answered_changed()
        self._faults_changed()
        first = "#outcome-reason" if self.current else "#outcome-by"
        self.query_one(first, Input).focus()

    @on(Checkbox.Changed, "#outcome-answered")
    @on(Checkbox.Changed, "#outcome-no-name")
    def _answered_changed(self) -> None:
        """Nobody answered: no name, no roster question; the name not asked: neither."""
        answered = self.query_one("#outcome-answered", Checkbox).value
        no_name = self.query_one("#outcome-no-name", Checkbox).value
        self.query_one("#outcome-no-name").disabled = not answered
        for selector in ("#outcome-by", "#outcome-roster"):
            self.query_one(selector).disabled = not answered or no_name

    @on(SelectionList.SelectedChanged, "#outcome-faults")
    def _faults_changed(self) -> None:
        """The faults chosen, in words: a ticked box differs from an empty one by colour only."""
        faults: SelectionList[str] = self.query_one("#outcome-faults", SelectionList)
        chosen = t("spotcheck.list_separator").join(
            t("spotcheck_fault." + code) for code in faults.selected
        )
        line = t("spotcheck_screen.faults_chosen", faults=chosen or t("spotcheck_screen.none"))
        self.query_one("#outcome-faults-chosen", Static).update(literal(line))

    @on(Checkbox.Changed, "#outcome-no-name")
    def _no_name_changed(self, event: Checkbox.Changed) -> None:
        if event.value:
            self.query_one("#outcome-by", Input).value = ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; in the note (the last) it saves."""
        if event.input.id == "outcome-note":
            self.action_save()
        else:
            self.focus_next()

    def mark_fields(self, fields: list[str]) -> None:
        """Mark the fields refused and take the cursor to the one the message names first (the
        dialog scrolls to it), not the first on screen (QA: a correction's reason was named
        and the cursor stayed in the name of who answered)."""
        for field, selector in self.FIELD_INPUTS.items():
            for widget in self.query(selector):
                widget.set_class(field in fields, "-invalid")
        for field in fields:
            if field not in self.FIELD_INPUTS:  # a refusal of no field here (the check time)
                continue
            widgets = self.query(self.FIELD_INPUTS[field])
            if widgets and widgets.first().focusable:
                widgets.first().focus()
                return

    def _entry(self) -> dict[str, Any]:
        answered = self.query_one("#outcome-answered", Checkbox).value
        no_name = answered and self.query_one("#outcome-no-name", Checkbox).value
        named = answered and not no_name
        return {
            "method": str(self.query_one("#outcome-method", Select).value),
            "answered": answered,
            "answered_by": self.query_one("#outcome-by", Input).value if named else "",
            "name_not_asked": no_name,
            "on_roster": self.query_one("#outcome-roster", Checkbox).value if named else None,
            "faults": list(self.query_one("#outcome-faults", SelectionList).selected),
            "note": self.query_one("#outcome-note", Input).value,
        }

    def action_save(self) -> None:
        """Ctrl+S is a priority key: the fields are read once the keys before it are in."""
        after_queued_keys(self, self._save_now)

    def _save_now(self) -> None:
        entry, unit, round_id = self._entry(), self.unit.name, self.round_id
        if self.current is None:
            self.save_in_worker(lambda desk, who: _record(desk, who, round_id, unit, entry))
            return
        reason = self.query_one("#outcome-reason", Input).value
        self.save_in_worker(lambda desk, who: _correct(desk, who, round_id, unit, entry, reason))


def _record(desk: Desk, who: Person, round_id: int, unit: str, entry: dict[str, Any]) -> str:
    from dutydesk.services.spotcheck import record_outcome, result_label

    view = record_outcome(desk, round_id, unit, who, **entry)
    drawn = next(u for u in view.units if u.name == unit)
    assert drawn.latest is not None
    return t("spotcheck_screen.recorded", unit=unit, result=result_label(drawn.latest),
             left=len(view.missing))  # fmt: skip


def _correct(
    desk: Desk, who: Person, round_id: int, unit: str, entry: dict[str, Any], reason: str
) -> str:
    from dutydesk.services.spotcheck import correct_outcome, result_label

    view = correct_outcome(desk, round_id, unit, who, reason=reason, **entry)
    latest = next(u for u in view.units if u.name == unit).latest
    assert latest is not None and latest.corrects is not None
    return t("spotcheck_screen.corrected", unit=unit, original=result_label(latest.corrects),
             result=result_label(latest))  # fmt: skip


class CloseRoundScreen(_SavingDialog):
    """A unit left without an outcome needs a written reason before the round can close."""

    STATUS_LINE = "#close-status"
    BINDINGS = bindings(SAVE_KEYS)

    def __init__(self, round_id: int, missing: list[str]) -> None:
        super().__init__()
        self.round_id = round_id
        self.missing = missing

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="close-round-box") as box:
            box.border_title = literal(t("spotcheck_screen.close_title"))
            if self.missing:
                units = t("spotcheck_screen.separator").join(self.missing)
                yield Static(literal(t("spotcheck_screen.close_missing", units=units)))
                reason = DeskInput(id="close-reason")
                reason.border_title = literal(t("spotcheck_screen.close_reason"))
                yield reason
            else:
                yield Static(literal(t("spotcheck_screen.close_confirm")))
            yield Static("", id="close-status")
        yield Footer()

    def on_mount(self) -> None:
        for reason in self.query("#close-reason"):  # the only field: typing goes there (QA)
            reason.focus()

    def on_input_submitted(self) -> None:
        self.action_save()

    def mark_fields(self, fields: list[str]) -> None:
        for reason in self.query("#close-reason"):  # the reason refused: the cursor back in it
            reason.set_class("spotcheck_reason" in fields, "-invalid")
            if "spotcheck_reason" in fields:
                reason.focus()

    def action_save(self) -> None:
        """Read once the keys typed before Ctrl+S are in."""
        after_queued_keys(self, self._save_now)

    def _save_now(self) -> None:
        round_id = self.round_id
        reasons: dict[str | int, str] = {}  # by unit name (the service also takes positions)
        if self.missing:
            text = self.query_one("#close-reason", Input).value
            reasons = {unit: text for unit in self.missing}

        def _close(desk: Desk, who: Person) -> str:
            from dutydesk.services.spotcheck import close_round

            close_round(desk, round_id, who, reasons)
            return t("spotcheck_screen.closed")

        self.save_in_worker(_close)
