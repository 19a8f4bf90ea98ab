"""The live state the header and the deadline board show (see widgets/desk_app.py): the shift
on duty, its crew and handover, and every open item of the board, read together in a worker
thread; when a load goes stale by time alone; which commits need no load at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dutydesk.i18n import t

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import Desk
    from dutydesk.services.incidents import DeadlineView
    from dutydesk.services.roster import LeaderAway, OnDuty, ShiftWindow
    from dutydesk.services.roster.schedule import ShiftHeading

# Records that change nothing the header or the board show: a commit of only these (another
# terminal saving calls, ten a second in the bench) is not followed by a load.
QUIET_KINDS = frozenset({"call_record"})


@dataclass(frozen=True)
class ShiftStatus:
    window: ShiftWindow
    duty: OnDuty | None
    heading: ShiftHeading | None = None  # the shift the header names, until its due handover
    crew: dict[str, str] = field(default_factory=dict)  # role -> name (second_officer, standby)
    leader_away: LeaderAway | None = None  # the shift leader recorded as away now (art. 16(2))


@dataclass(frozen=True)
class LiveState:
    """One load of everything the header and the board show, read together in a worker."""

    status: ShiftStatus
    deadlines: tuple[DeadlineView, ...]  # open, soonest first (the board's order)
    handover_due: DateTime | None  # the open shift's handover, None when no shift is open
    calendar_warning: str | None  # the calendar's data ends soon, or today is past it
    loaded_at: DateTime
    stale_at: DateTime  # the first moment something shown can change with no commit


def stale_at(desk: Desk, status: ShiftStatus, now: DateTime) -> DateTime:
    """When a load read at `now` goes stale by time alone: the next midnight (the calendar's
    warning counts days; next month's roster filing is due from the 1st), the end of the shift
    slot that holds now, the end of the leader's recorded absence. Everything else the header and
    the board show changes only by a commit, or is counted down from memory."""
    moments = [now.in_timezone(desk.timezone).start_of("day").add(days=1), status.window.ends_at]
    if status.leader_away is not None:
        moments.append(status.leader_away.until)
    return min(moments)


def read_live(desk: Desk, seq: int | None, force: bool) -> tuple[int, LiveState | None]:
    """(the hash chain's last link, the live state), the state None when nothing it shows can
    have changed since link `seq` (unless `force`)."""
    from dutydesk.services.core import kinds_written_since

    last, kinds = kinds_written_since(desk, seq)
    if not force and kinds is not None and kinds <= QUIET_KINDS:
        return last, None
    return last, load_live(desk)


def load_live(desk: Desk) -> LiveState:
    """Read the shift, its crew, its handover and every open item of the board (in a worker
    thread)."""
    from dutydesk.errors import DutyError
    from dutydesk.services.board import board_items
    from dutydesk.services.core import data_ends_soon
    from dutydesk.services.roster import (
        crew_names,
        handover_due,
        leader_whereabouts,
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
    deadlines = tuple(board_items(desk, now))
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
    away = leader_whereabouts(desk) if duty is not None and duty.leader else None
    status = ShiftStatus(window, duty, heading, crew, away)
    return LiveState(status, deadlines, due, warning, now, stale_at(desk, status, now))


def shift_on_duty(state: LiveState) -> int | None:
    duty = state.status.duty
    return None if duty is None else duty.shift.id
