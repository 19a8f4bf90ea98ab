"""The app as its screens and widgets see it: the open register, the shift on duty, and the live
state the header and the deadline board show.

It lives here, below the screens, so that a screen or a widget can check at run time that it is
in this app (Textual's `getters.app`) without importing `dutydesk.app`, which imports the screens
(layers: app > screens > widgets). DutyDeskApp (app.py) is its one subclass.

The live state: a few times a second the app asks the register whether anyone (this app, another
terminal, the CLI) has committed since it last looked (`PRAGMA data_version`, a counter in shared
memory: no I/O, never waits). Only then does a worker thread load the shift and the open deadlines,
once, and post them back; the header and the board are both repainted from that one load, in the
same step, so they never disagree, and neither reads the register on the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.app import App
from textual.message import Message
from textual.signal import Signal

from dutydesk.i18n import t

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import ChangeWatch, Desk
    from dutydesk.services.incidents import DeadlineView
    from dutydesk.services.roster import OnDuty, ShiftWindow
    from dutydesk.services.roster.schedule import ShiftHeading

CHANGE_CHECK_S = 0.25  # how often the register is asked whether anyone has committed
RELOAD_ANYWAY_S = 60.0  # and a reload regardless: the date (calendar warning) moves on


@dataclass(frozen=True)
class ShiftStatus:
    window: ShiftWindow
    duty: OnDuty | None
    heading: ShiftHeading | None = None  # the shift the header names, until its due handover
    crew: dict[str, str] = field(default_factory=dict)  # role -> name (second_officer, standby)


@dataclass(frozen=True)
class LiveState:
    """One load of everything the header and the board show, read together in a worker."""

    status: ShiftStatus
    deadlines: tuple[DeadlineView, ...]  # open, soonest first (the board's order)
    handover_due: DateTime | None  # the open shift's handover, None when no shift is open
    calendar_warning: str | None  # the calendar's data ends soon, or today is past it
    loaded_at: DateTime


def load_live(desk: Desk) -> LiveState:
    """Read the shift, its crew, its handover and every open deadline (in a worker thread)."""
    from dutydesk.errors import DutyError
    from dutydesk.services.core import data_ends_soon
    from dutydesk.services.incidents import open_deadlines
    from dutydesk.services.roster import (
        crew_names,
        handover_due,
        on_duty,
        open_shift_to_hand_over,
        shift_heading,
        shift_window,
    )

    now = desk.now()
    window = shift_window(desk.profile, now)
    duty = on_duty(desk)
    crew = crew_names(desk, duty.shift.id) if duty and duty.shift.id is not None else {}
    heading = shift_heading(desk, window, duty.shift if duty else None)
    try:
        due: DateTime | None = handover_due(desk, open_shift_to_hand_over(desk)).at
    except DutyError:
        due = None
    deadlines = tuple(open_deadlines(desk, now))
    if window.calendar == "beyond_data":  # a holiday shift cannot be told apart
        warning: str | None = t("header.calendar_beyond")
    else:
        ends = data_ends_soon(now.date())
        if ends is None:
            warning = None
        elif ends[1] < 0:
            warning = t("header.calendar_beyond")
        else:
            warning = t("calendar_view.header_soon", last=ends[0].isoformat(), days=ends[1])
    status = ShiftStatus(window, duty, heading, crew)
    return LiveState(status, deadlines, due, warning, now)


# App[object], not App[None]: Textual types every app it is handed as App[object] (`self.app`,
# CommandPalette.is_open), and its type parameter is invariant. This app returns no result.
class DeskApp(App[object]):
    class LiveLoaded(Message):
        """A worker has loaded the live state (posted from its thread); None when the register
        could not be read this time."""

        def __init__(self, state: LiveState | None) -> None:
            super().__init__()
            self.state = state

    def __init__(self) -> None:
        super().__init__()
        self.desk: Desk | None = None  # None until the register is open (in a worker)
        self.shift_status: ShiftStatus | None = None
        self.live: LiveState | None = None  # the latest load; the header and the board show it
        self.live_changed: Signal[LiveState] = Signal(self, "live_changed")
        self._loading = False  # a load is running in a worker
        self._load_again = False  # something changed while it ran: load once more after it

    def start_live(self, watch: ChangeWatch) -> None:
        """Once the register is open and first loaded: load again whenever `watch` says anyone
        (this app included) has committed to it."""

        def check() -> None:
            if watch.changed():
                self.refresh_live()

        self.set_interval(CHANGE_CHECK_S, check)
        self.set_interval(RELOAD_ANYWAY_S, self.refresh_live)

    def refresh_live(self) -> None:
        """Load the live state again, in a worker; the header and the board repaint when it
        comes. Call it after any write this app makes, to show it at once. Loads never overlap:
        one asked for while another runs starts when that one has posted its result."""
        if self.desk is None:
            return
        if self._loading:
            self._load_again = True
            return
        self._loading = True
        self.run_worker(self._load_live, thread=True, group="live")

    def refresh_shift(self) -> None:
        """Read the shift and who is on duty again (after a shift is opened or handed over)."""
        self.refresh_live()

    def _load_live(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk

        assert self.desk is not None
        try:
            with thread_desk(self.desk) as own:  # SQLite connections of this thread only
                state: LiveState | None = load_live(own)
        except DutyError:  # the register busy past the retries: the next change or timer retries
            state = None
        self.post_message(self.LiveLoaded(state))

    def on_desk_app_live_loaded(self, message: LiveLoaded) -> None:
        self._loading = False
        if message.state is not None:
            self.show_live(message.state)
        if self._load_again:
            self._load_again = False
            self.refresh_live()

    def show_live(self, state: LiveState) -> None:
        self.live = state
        self.shift_status = state.status
        self.live_changed.publish(state)  # the header and the board, in this same step
