"""The handover schedule: the shift on duty, when it is due to be handed over, by when the
incoming officer must be at the desk, and which window the incoming shift covers.

Tianjin art. 12: day 08:30–18:00, night 18:00–08:30; from 18:00 on the day before a statutory
holiday the shifts are holiday shifts (shifts.shift_window, with the office calendar).
District 工作制度 6: weekly, Monday 08:30; after a statutory holiday, 08:30 on the first working
day — applied when the office calendar service (dutydesk/services/core/calendar.py, the deadlines
issue) is there, and said when it is not."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import Shift, ShiftClosure
from dutydesk.services.roster.shifts import ShiftWindow, shift_window

if TYPE_CHECKING:
    from dutydesk.profiles import HandoverRules
    from dutydesk.services.core import Desk

CALENDAR_NOTES = ("unavailable", "beyond_data")  # calendar states the form and screens explain
HOLIDAY_SCAN_DAYS = 60  # the longest run of days the after-holiday rule looks through


@dataclass(frozen=True)
class Due:
    at: DateTime  # when the handover is due
    arrive_by: DateTime  # the incoming officer at the desk (Tianjin art. 14(2))
    cite: str
    after_holiday: bool  # moved by the after-holiday rule
    calendar: str  # "applied" | "not_needed" | "unavailable" | "beyond_data"


def open_shift_to_hand_over(desk: Desk) -> Shift:
    """The shift to hand over: the latest one opened at the desk and not yet closed."""
    with read_session(desk.engine) as session:
        closed = select(ShiftClosure.shift_id)
        shift = session.exec(
            select(Shift)
            .where(col(Shift.id).not_in(closed))
            .order_by(col(Shift.id).desc())
            .limit(1)
        ).first()
    if shift is None:
        raise DutyError("handover.no_shift")
    return shift


def _calendar() -> Any | None:
    """The office calendar service, if it has landed; None otherwise."""
    try:
        module = importlib.import_module("dutydesk.services.core.calendar")
    except ImportError:
        return None
    if hasattr(module, "is_workday") and hasattr(module, "holiday_name"):
        return module
    return None


def _first_working_day_after_holiday(calendar: Any, start: date, end: date) -> date | None:
    """If a statutory holiday falls on a day in [start, end], the first working day after its
    run of days off; else None."""
    day = start
    while day <= end:
        if calendar.holiday_name(day):
            after = day
            for _ in range(HOLIDAY_SCAN_DAYS):
                after += timedelta(days=1)
                if calendar.is_workday(after):
                    return after
            raise DutyError("handover_schedule.calendar_gap", date=day.isoformat())
        day += timedelta(days=1)
    return None


def handover_due(desk: Desk, shift: Shift) -> Due:
    profile = desk.profile
    rules = profile.handover
    zone = desk.timezone
    ends_at = shift.ends_at.in_timezone(zone)
    due_at, cite, moved = ends_at, profile.shifts.cite, False
    calendar_state = "not_needed"
    if profile.shifts.after_holiday_handover is not None:
        calendar = _calendar()
        if calendar is None:
            calendar_state = "unavailable"
        else:
            calendar_state = "applied"
            start = shift.starts_at.in_timezone(zone).date()
            try:
                first = _first_working_day_after_holiday(calendar, start, ends_at.date())
            except DutyError:
                # Dates past the calendar's data: the regular time, said plainly.
                first, calendar_state = None, "beyond_data"
            if first is not None:
                hour, minute = (int(x) for x in profile.shifts.after_holiday_handover.split(":"))
                due_at = ends_at.set(
                    year=first.year, month=first.month, day=first.day, hour=hour, minute=minute
                )
                cite = profile.shifts.after_holiday_cite or cite
                moved = True
    arrive_by = due_at.subtract(minutes=rules.incoming_early_minutes)
    return Due(due_at, arrive_by, cite, moved, calendar_state)


def incoming_window(
    desk: Desk, outgoing: Shift, now: DateTime, incoming: str | None = None
) -> tuple[ShiftWindow, DateTime]:
    """The window the incoming shift covers, and when it starts: at the sign-off, always (until
    then the outgoing shift was on duty, however late). Handed over early, the incoming shift is
    the one due next (it runs to the shift change after the one brought forward) when the
    sign-off is within the handover's warning time before it was due
    (`handover.warn_before_minutes`), when the incoming officer (`incoming`) is rostered on it
    and it is due within `handover.rostered_early_minutes` (an office setting, two hours),
    or when less than the profile's `handover.shortest_shift_minutes` (an office setting, an
    hour) of the slot that holds now would be left: QA found a
    31-minute shift opened for an officer not rostered, handed over 31 minutes early, just
    outside the warning time, which itself had to be handed over half an hour later. Earlier
    than that (a substitute taking over mid-shift), the rest of the slot that holds now, as on
    time or late: the night shift handed over at 02:37 stays the night shift until 08:30,
    never a day shift from 02:37 (nor a 12-day week)."""
    due = handover_due(desk, outgoing).at
    soon = due.subtract(minutes=desk.profile.handover.warn_before_minutes)
    rest = shift_window(desk.profile, now)
    if now < due and (
        soon <= now
        or rest.ends_at.diff(now).in_minutes() < desk.profile.handover.shortest_shift_minutes
        or (
            due.diff(now).in_minutes() <= desk.profile.handover.rostered_early_minutes
            and rostered_next(desk, due, incoming)
        )
    ):
        return shift_window(desk.profile, due), now
    return rest, now


def rostered_next(desk: Desk, due: DateTime, name: str | None) -> bool:
    """Whether `name` is an officer the roster puts on the shift that starts at `due`."""
    from dutydesk.services.roster.roster_grid import rostered_for

    if name is None:
        return False
    rostered = rostered_for(desk, shift_window(desk.profile, due))
    return rostered is not None and name in rostered.cell.officers


def incoming_runs(desk: Desk, shift: Shift) -> str:
    """ "夜班，至 11-24 08:30 交接": the shift a sign-off opened and its handover's due time,
    said on signing (an early handover may open the next shift at once)."""
    due = handover_due(desk, shift).at.in_timezone(desk.timezone)
    return t("handover_runs.until", shift=t("shift." + shift.slot_code),
             due=due.format("MM-DD HH:mm"))  # fmt: skip


@dataclass(frozen=True)
class ShiftHeading:
    """The shift the header and `shift status` name: the one on duty, from its start to its
    due handover; or, with nobody on duty, the profile's slot that holds now."""

    code: str
    starts_at: DateTime
    ends_at: DateTime
    cite: str
    on_duty: bool


def shift_heading(desk: Desk, window: ShiftWindow, shift: Shift | None) -> ShiftHeading:
    if shift is None:
        return ShiftHeading(window.code, window.starts_at, window.ends_at, window.cite, False)
    due = handover_due(desk, shift)
    starts = shift.starts_at.in_timezone(desk.timezone)
    return ShiftHeading(shift.slot_code, starts, due.at, due.cite, True)


def early_handover_warning(desk: Desk, shift: Shift | None = None) -> str | None:
    """Said before an early sign-off: how long before its due time the shift is handed over."""
    shift = shift or open_shift_to_hand_over(desk)
    due = handover_due(desk, shift).at
    seconds = (due - desk.now()).total_seconds()
    if seconds <= 0:
        return None
    minutes = int(-(-seconds // 60))
    hours, rest = divmod(minutes, 60)
    shown = due.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm")
    return t("handover.early", due=shown, hours=hours, minutes=rest)


@dataclass(frozen=True)
class Schedule:
    window: ShiftWindow  # the profile's shift that holds now
    shift: Shift | None  # the shift opened at the desk and not yet handed over
    due: Due | None
    minutes_left: int | None  # until the handover is due (negative: overdue)


def schedule(desk: Desk) -> Schedule:
    now = desk.now()
    window = shift_window(desk.profile, now)
    try:
        shift = open_shift_to_hand_over(desk)
    except DutyError:
        return Schedule(window, None, None, None)
    due = handover_due(desk, shift)
    minutes_left = int((due.at - now).total_seconds() // 60)
    return Schedule(window, shift, due, minutes_left)


@dataclass(frozen=True)
class HandoverAlert:
    """What the header says about the next handover."""

    due_at: DateTime
    state: str  # "upcoming" | "warning" (within the profile's warn_before_minutes) | "overdue"
    minutes: int  # minutes left (upcoming, warning, rounded up) or past due (overdue)
    cite: str  # the article the warning serves


def handover_alert(desk: Desk) -> HandoverAlert | None:
    """The open shift's handover: upcoming, nearing (the profile's warning window) or overdue
    (its time has passed and it is not handed over). None when no shift is open."""
    plan = schedule(desk)
    if plan.due is None:
        return None
    return alert_at(plan.due.at, desk.now(), desk.profile.handover)


def alert_at(due_at: DateTime, now: DateTime, rules: HandoverRules) -> HandoverAlert:
    """The alert for a handover due at `due_at`, seen at `now`, without the store (the header
    re-reads it each second from the due time it last loaded)."""
    seconds = (due_at - now).total_seconds()
    if seconds <= 0:
        return HandoverAlert(due_at, "overdue", int(-seconds // 60), rules.warn_before_cite)
    minutes = int(-(-seconds // 60))
    state = "warning" if minutes <= rules.warn_before_minutes else "upcoming"
    return HandoverAlert(due_at, state, minutes, rules.warn_before_cite)


def span_label(minutes: int) -> str:
    """Minutes under an hour, else hours and two-digit minutes, as the deadline board counts
    them (header.span_minutes / header.span_hours)."""
    if minutes < 60:
        return t("header.span_minutes", minutes=minutes)
    hours, rest = divmod(minutes, 60)
    return t("header.span_hours", h=hours, m=f"{rest:02d}")
