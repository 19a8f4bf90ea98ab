"""The terminal app. `make_app()` is the one factory the CLI and the tests use.

How it starts (the first look, keys typed early, the register opened behind it) is
startup_app.py's StartingApp; this module adds the screens, the keys and the palette."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen

from dutydesk.i18n import set_language, t
from dutydesk.startup_app import DeskOpened, StartingApp
from dutydesk.widgets.throttle import TYPING_PAUSE_S

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.worker import Worker

    from dutydesk.clock import Clock
    from dutydesk.services.core import ChangeWatch


# Screens built ahead, hidden, once the app has been idle (no key) this long after start: their
# first open is then as quick as a later one (else it mounts, styles, lays out and paints the
# screen's ~40 widgets and its month while the officer waits).
BUILT_AHEAD = ("roster",)
BUILD_AHEAD_AFTER_S = 1.5


def _calls_screen() -> Screen:
    from dutydesk.screens.calls import CallsScreen

    return CallsScreen()


def _deadlines_screen() -> Screen:
    from dutydesk.screens.deadlines import DeadlinesScreen

    return DeadlinesScreen()


def _spotcheck_screen() -> Screen:
    from dutydesk.screens.spotcheck import SpotCheckScreen

    return SpotCheckScreen()


def _handover_screen() -> Screen:
    from dutydesk.screens.handover import HandoverScreen

    return HandoverScreen()


def _people_screen() -> Screen:
    from dutydesk.screens.people import PeopleScreen

    return PeopleScreen()


def _roster_screen() -> Screen:
    from dutydesk.screens.roster import RosterScreen

    return RosterScreen()


def _documents_screen() -> Screen:
    from dutydesk.screens.documents import DocumentsScreen

    return DocumentsScreen()


# The screens that work, in footer order: (mode, key, catalogue key of the name, factory).
SCREENS = [
    ("calls", "f2", "nav.calls", _calls_screen),
    ("deadlines", "f3", "board.nav", _deadlines_screen),
    ("spotcheck", "f4", "spotcheck_screen.nav", _spotcheck_screen),
    ("handover", "f5", "handover_screen.nav", _handover_screen),
    ("people", "f6", "people_screen.nav", _people_screen),
    ("roster", "f7", "roster_screen.nav", _roster_screen),
    ("documents", "f8", "documents_screen.nav", _documents_screen),
]


class DutyDeskApp(StartingApp):
    CSS_PATH = "dutydesk.tcss"
    MODES = {mode: factory for mode, _key, _label, factory in SCREENS}

    def __init__(self, db_path: Path, clock: Clock | None = None, lang: str = "zh") -> None:
        set_language(lang)
        super().__init__(db_path, clock)
        self.change_watch: ChangeWatch | None = None
        self._upkept_at: int | None = None  # register_changes when upkeep last started
        self._upkeep_timer: Timer | None = None  # upkeep is due when it fires
        self._build_ahead: Timer | None = None  # restarted by each key until it fires
        self.title = t("app.title")
        for mode, key, label, _factory in SCREENS:
            self.bind(key, f"switch_mode('{mode}')", description=t(label))
        self.bind("ctrl+q", "quit", description=t("nav.quit"))
        self.bind("f9", "search_all", description=t("lookup.nav"), show=False)

    async def on_event(self, event: events.Event) -> None:
        """A key puts off building screens ahead (the officer is typing)."""
        key = isinstance(event, events.Key) and not event.is_forwarded
        if key and self._build_ahead is not None:
            self._build_ahead.reset()
        await super().on_event(event)

    async def on_desk_opened(self, message: DeskOpened) -> None:
        """The register is open: the calls screen takes over from the first look. Awaited in
        this handler, so keys pressed meanwhile wait in the app's queue for the new form."""
        from dutydesk.runtime import settle_heap
        from dutydesk.services.core import RUN_EVERY_S, UpkeepState

        first = message.first
        self.desk = message.desk
        self.upkeep_state = UpkeepState()
        self._upkeep_timer = self.set_timer(RUN_EVERY_S, self._upkeep_fired)  # the first run
        self.register_changed.subscribe(self, self._upkeep_soon)
        self.change_watch = message.watch
        self.start_live(message.watch, first, message.seq)
        await self.take_over()
        if first.status.duty is None:
            self.ask_open_shift()
        self.call_after_refresh(settle_heap)  # after the first screen of the register is up
        self._build_ahead = self.set_timer(BUILD_AHEAD_AFTER_S, self._build_screens_ahead)
        self._taken_over.set()

    def _build_screens_ahead(self) -> None:
        """Mount each of BUILT_AHEAD's screens in its mode, hidden (Textual's first-switch step
        without the switch): the month is read and laid out while nothing else happens."""
        self._build_ahead = None
        if not self.is_running:  # shutting down: Textual is closing every mode's screens
            return
        typing = self.last_key_at + TYPING_PAUSE_S - time.monotonic()
        if typing > 0:  # ~120 ms of the UI thread: not between two keys (QA, session 15)
            self._build_ahead = self.set_timer(typing, self._build_screens_ahead)
            return
        for mode in BUILT_AHEAD:
            try:
                self.get_screen_stack(mode)
            except KeyError:  # not opened yet
                self._init_mode(mode)

    def _upkeep_soon(self, _changed: None = None) -> None:
        """A commit was seen: upkeep runs RUN_EVERY_S later (one timer then, rather than a
        wake-up every RUN_EVERY_S while nothing is written: the idle screen's CPU)."""
        from dutydesk.services.core import RUN_EVERY_S

        if self._upkeep_timer is None:
            self._upkeep_timer = self.set_timer(RUN_EVERY_S, self._upkeep_fired)

    def _upkeep_fired(self) -> None:
        self._upkeep_timer = None
        self._upkeep_due()

    def _upkeep_due(self) -> Worker[None] | None:
        """Upkeep, unless no one has committed since it last started: a worker every few seconds
        for nothing was most of an idle screen's wake-ups (bench, py-spy)."""
        if self._upkept_at == self.register_changes:
            return None
        self._upkept_at = self.register_changes
        return self._start_upkeep()

    def _start_upkeep(self) -> Worker[None]:
        return self.run_worker(
            self._upkeep, thread=True, exclusive=True, group="upkeep", exit_on_error=False
        )

    def _upkeep(self) -> None:
        """Index merging and journal checkpoints, off the UI thread and off the save path."""
        from contextlib import suppress

        from dutydesk.errors import DutyError
        from dutydesk.services.core import run_upkeep

        if self.desk is None:
            return
        with suppress(DutyError):  # the register is busy or the disk full: the next run retries
            run_upkeep(self.desk, self.upkeep_state)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The screens' keys wait for the register (F3 pressed while it opened mounted a board
        with nothing to read, and stopped the app)."""
        if action == "switch_mode" and self.desk is None:
            return None  # shown, greyed out
        return super().check_action(action, parameters)

    def ask_open_shift(self) -> None:
        from dutydesk.screens.open_shift import OpenShiftScreen

        self.push_screen(OpenShiftScreen(), callback=lambda _opened: self.refresh_shift())

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from dutydesk.widgets.palette import command_palette

        # Not while the register opens: the palette would stay behind on the loading screen's
        # stack when the first screen's mode starts, and the next one would clash with it.
        if self.desk is not None and self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(command_palette())

    def search_themes(self) -> None:
        from dutydesk.widgets.palette import theme_palette

        self.push_screen(theme_palette())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from dutydesk.widgets.palette import translated_system_commands

        yield from translated_system_commands(self, screen, super().get_system_commands(screen))
        if self.desk is None:
            return
        for mode, _key, label, _factory in SCREENS:
            yield SystemCommand(t(label), t(label + "_help"), lambda m=mode: self.switch_mode(m))
        yield SystemCommand(t("nav.open_shift"), t("nav.open_shift_help"), self.ask_open_shift)
        yield SystemCommand(
            t("calendar_view.palette"), t("calendar_view.palette_help"), self.show_calendar
        )
        yield SystemCommand(
            t("absence_dialog.palette"), t("absence_dialog.palette_help"), self.action_leader_away
        )
        # the incident view (with its orders) and the phone list
        yield SystemCommand(t("incident_view.palette"), t("incident_view.palette_help"),
                            self.ask_incident)  # fmt: skip
        yield SystemCommand(t("contacts_screen.palette"), t("contacts_screen.palette_help"),
                            self.show_contacts)  # fmt: skip
        yield SystemCommand(t("lookup.nav"), t("lookup.nav_help"), self.action_search_all)

    def action_leader_away(self) -> None:
        """The shift leader away or back (screens/leader_absence.py); the header shows it."""
        from dutydesk.screens.leader_absence import LeaderAbsenceDialog

        def done(said: str | None) -> None:
            if said:
                self.notify(said, title=t("absence_dialog.title"), markup=False)
                self.refresh_live()

        if self.desk is not None:
            self.push_screen(LeaderAbsenceDialog(), callback=done)

    def ask_incident(self) -> None:
        from dutydesk.screens.incident_view import IncidentAsk, open_incident_view

        def _open(incident_id: int | None) -> None:
            if incident_id is not None:
                open_incident_view(self, incident_id)

        self.push_screen(IncidentAsk(), _open)

    def action_search_all(self) -> None:
        """Search all registers (screens/lookup.py), once: F9 in the dialog does nothing."""
        from dutydesk.screens.lookup import LookupDialog

        if self.desk is not None and not isinstance(self.screen, LookupDialog):
            self.push_screen(LookupDialog())

    def show_contacts(self) -> None:
        from dutydesk.screens.contacts import ContactsScreen

        if self.desk is not None:
            self.push_screen(ContactsScreen())

    def show_calendar(self) -> None:
        from dutydesk.screens.calendar import CalendarScreen

        if self.desk is not None:
            self.push_screen(CalendarScreen(self.desk.now().year))

    def on_unmount(self) -> None:
        self.stop_waiting()
        self._end_on_sigterm(False)
        from dutydesk.runtime import release_heap

        if self.change_watch is not None:
            self.change_watch.close()
        self.close_live()
        if self.desk is not None:
            self.desk.close()
        self.call_draft.release()  # the process's end would; an app run in a test does not end it
        release_heap()


def make_app(db_path: Path, clock: Clock | None = None, lang: str = "zh") -> DutyDeskApp:
    return DutyDeskApp(db_path, clock=clock, lang=lang)


def run_app(app: App[object]) -> int:
    """Run `app` to its end; its exit status: 0, else non-zero after a crash (Textual sets the
    return code to 1 on an unhandled exception) or a failure it reported itself."""
    app.run()
    return app.return_code or 0


__all__ = ["DutyDeskApp", "make_app", "run_app"]
