"""The shift leader away (Tianjin art. 16(2): 清楚带班领导所在位置): where, the contact, the
leader standing in (art. 12(5)) and until when; or back at the post. Opened from the calls
screen (Ctrl+L) and the palette; the header shows the absence once it is recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import Desk

TITLE_WIDTH = 66  # cells: the dialog is 74 wide
FIELDS = ("stands_in", "whereabouts", "contact", "until", "reason")


class LeaderAbsenceDialog(DeskModal[str | None]):
    """Dismissed with the line to show once an absence or a return is recorded, else None."""

    DEFAULT_CSS = """
    LeaderAbsenceDialog { align: center middle; }
    #absence-box { width: 74; height: auto; max-height: 95%; border: round $primary;
                   background: $surface; padding: 0 1; }
    #absence-box Input { margin: 0; }
    #absence-status { color: $error; height: auto; }
    #absence-now { color: $warning; height: auto; }
    """
    STATUS_LINE = "#absence-status"
    BINDINGS = bindings([
        Key("ctrl+s", "after_typing('save')", "absence_dialog.save", priority=True),
        Key("ctrl+r", "back", "absence_dialog.back", priority=True),
        Key("escape", "cancel", "absence_dialog.cancel"),
    ])  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self._busy = False

    def compose(self) -> ComposeResult:
        status = self.app.shift_status
        duty = status.duty if status is not None else None
        leader = duty.leader if duty is not None and duty.leader else "—"
        with VerticalScroll(id="absence-box") as box:
            box.border_title = literal(t("absence_dialog.title"), width=TITLE_WIDTH)
            rules = self.desk.profile.roster
            cite = rules.whereabouts_cite if rules else ""
            yield Static(literal(t("absence_dialog.explain", leader=leader, cite=cite)))
            yield Static("", id="absence-now")
            for name in FIELDS:
                field = DeskInput(id=f"absence-{name}")
                field.border_title = literal(t(f"absence_dialog.{name}"))
                yield field
            yield Static("", id="absence-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#absence-stands_in", Input).focus()
        self.run_worker(self._load, thread=True, group="absence")

    def _load(self) -> None:
        """The leaders who may stand in (for completion) and the absence in force, if any."""
        from dutydesk.services.core import thread_desk
        from dutydesk.services.roster import describe_away, leader_whereabouts, list_people

        with thread_desk(self.desk) as desk:
            leaders = [person.name for person in list_people(desk) if person.role == "leader"]
            away = leader_whereabouts(desk)
            shown = describe_away(desk, away) if away is not None else ""
        self.app.call_from_thread(self._loaded, leaders, shown)

    def _loaded(self, leaders: list[str], away: str) -> None:
        self.query_one("#absence-stands_in", Input).suggester = SuggestFromList(leaders)
        if away:
            self.query_one("#absence-now", Static).update(
                literal(t("absence_dialog.away_now", text=away))
            )

    def _values(self) -> dict[str, str]:
        return {name: self.query_one(f"#absence-{name}", Input).value for name in FIELDS}

    def action_save(self) -> None:
        self._start(self._save_absence, self._values())

    def action_back(self) -> None:
        self._start(self._save_return, {})

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _start(self, work: Callable[[dict[str, str]], None], values: dict[str, str]) -> None:
        if self._busy:
            return
        self._busy = True
        self.set_status(t("absence_dialog.working"), ok=True)
        self.app.run_worker(lambda: work(values), thread=True, group="absence")

    def _save_absence(self, values: dict[str, str]) -> None:
        from dutydesk.services.roster import (
            AbsenceDraft,
            describe_away,
            record_absence,
            resolve_recorder,
        )

        def save(desk: Desk) -> str:
            draft = AbsenceDraft(
                stands_in=values["stands_in"],
                whereabouts=values["whereabouts"],
                contact=values["contact"],
                until=self._until(desk, values["until"]),
                reason=values["reason"],
            )
            away = record_absence(desk, draft, resolve_recorder(desk, None))
            return describe_away(desk, away, "absence.recorded")

        self._finish(save)

    @staticmethod
    def _until(desk: Desk, typed: str) -> DateTime | None:
        """`until` as typed; blank is None, said with the other fields' problems."""
        from dutydesk.services.roster import parse_until

        return parse_until(desk, typed) if typed.strip() else None

    def _save_return(self, _values: dict[str, str]) -> None:
        from dutydesk.services.roster import record_return, resolve_recorder

        def save(desk: Desk) -> str:
            away = record_return(desk, resolve_recorder(desk, None))
            return t("absence.returned", leader=away.leader)

        self._finish(save)

    def _finish(self, save: Callable[[Desk], str]) -> None:
        """Run `save` (in this worker thread, on an engine of its own) and say how it went."""
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk

        try:
            with thread_desk(self.desk) as desk:
                done = save(desk)
        except DutyError as error:  # bad input: said here, nothing written
            self.app.call_from_thread(self._refused, error.message())
            return
        self.app.call_from_thread(self.dismiss, done)

    def _refused(self, message: str) -> None:
        self._busy = False
        self.set_status(message, ok=False)
