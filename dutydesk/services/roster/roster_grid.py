"""What the roster screen and the CLI show: a month as a grid of dates × slots with the names
in each role, the changes after filing (with the original), the conflicts in place and each
person's counts; and who is rostered for a shift window (the shift-opening proposal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import Person, Roster, RosterChange, RosterFiling, RosterKind
from dutydesk.services.roster.roster_checks import Conflict, conflicts
from dutydesk.services.roster.rosters import (
    Cell,
    Seat,
    assignments_in_force,
    cells_of,
    month_bounds,
    roster_rules,
)

if TYPE_CHECKING:
    from pendulum import DateTime
    from sqlmodel import Session

    from dutydesk.services.core import Desk
    from dutydesk.services.roster.duty_hours import PersonCounts
    from dutydesk.services.roster.shifts import ShiftWindow


@dataclass(frozen=True)
class ChangeView:
    change_id: int
    kind: str  # swap | substitution
    role: str
    seat: int
    original: str  # who was rostered (roster.vacant_seat where nobody was)
    substitute: str  # who sits the shift now
    reason: str
    approved_by: str
    tell_upper_by: DateTime | None
    told_at: DateTime | None
    rest_override: str | None = None  # why it stands though it breaks a rest rule


@dataclass(frozen=True)
class GridCell:
    roster_id: int
    roster_kind: str
    day: date
    slot_code: str
    starts_at: DateTime
    ends_at: DateTime
    leader: str | None
    officers: tuple[str | None, ...]
    standby: str | None
    changes: tuple[ChangeView, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def blocking(self) -> bool:
        return any(conflict.blocks for conflict in self.conflicts)


@dataclass(frozen=True)
class GridDay:
    day: date
    weekday: int  # ISO, 1 = Monday
    workday: bool | None  # None: past the calendar's data
    holiday: str | None  # the statutory holiday (HolidayCode) the day is off for
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class RosterInfo:
    id: int
    kind: str
    label: str
    starts_on: date
    ends_on: date
    filed_at: DateTime | None  # the latest filing


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    month_roster_id: int | None
    rosters: tuple[RosterInfo, ...]  # every roster with a day in the month
    days: tuple[GridDay, ...]
    counts: tuple[PersonCounts, ...]  # each rostered person's shifts, nights, days off


@dataclass(frozen=True)
class Effective:
    """The shifts in force over some dates: each cell from the roster that governs its day (a
    holiday or sensitive period's over the month's), and who holds each seat after changes."""

    cells: list[tuple[Roster, Cell]]
    held: dict[Seat, int]  # across rosters: a day's cells come from one roster
    originals: dict[Seat, list[RosterChange]]
    people: dict[int, Person]
    filings: dict[int, list[RosterFiling]]


def _governing(rosters: list[Roster], day: date) -> Roster | None:
    covering = [r for r in rosters if r.starts_on <= day <= r.ends_on]
    special = [r for r in covering if r.kind != RosterKind.month.value]
    chosen = special or covering
    return max(chosen, key=lambda r: r.id or 0) if chosen else None


def effective(session: Session, desk: Desk, first: date, last: date) -> Effective:
    rosters = list(
        session.exec(
            select(Roster).where(col(Roster.starts_on) <= last, col(Roster.ends_on) >= first)
        )
    )
    ids = [r.id for r in rosters if r.id is not None]
    by_roster = assignments_in_force(session, ids)
    changes = session.exec(
        select(RosterChange).where(col(RosterChange.roster_id).in_(ids)).order_by(
            col(RosterChange.id))
    ).all()  # fmt: skip
    cells: list[tuple[Roster, Cell]] = []
    held: dict[Seat, int] = {}
    originals: dict[Seat, list[RosterChange]] = {}
    for roster in rosters:
        by_cell: dict[tuple[date, str], list[tuple[Seat, int]]] = {}
        for seat, person_id in by_roster[roster.id or 0].items():
            by_cell.setdefault(seat[:2], []).append((seat, person_id))
        for cell in cells_of(desk.profile, roster.kind, max(first, roster.starts_on),
                             min(last, roster.ends_on)):  # fmt: skip
            if _governing(rosters, cell.day) is roster:
                cells.append((roster, cell))
                held.update(by_cell.get((cell.day, cell.slot_code), []))
    wanted = {(c.day, c.slot_code) for _r, c in cells}
    for change in changes:
        seat = (change.day, change.slot_code, change.role, change.seat)
        if seat[:2] in wanted:
            held[seat] = change.to_person_id
            originals.setdefault(seat, []).append(change)
    cells.sort(key=lambda pair: (pair[1].starts_at, pair[1].slot_code))
    people = {p.id: p for p in session.exec(select(Person)) if p.id is not None}
    filings: dict[int, list[RosterFiling]] = {roster_id: [] for roster_id in ids}
    for filing in session.exec(
        select(RosterFiling).where(col(RosterFiling.roster_id).in_(ids)).order_by(
            col(RosterFiling.id))
    ):  # fmt: skip
        filings[filing.roster_id].append(filing)
    return Effective(cells, held, originals, people, filings)


def _original(names: dict[int, str], person_id: int | None) -> str:
    """Who was rostered, or "empty seat" where a 替岗 filled a seat nobody held."""
    return t("roster.vacant_seat") if person_id is None else names.get(person_id, "?")


def _change_views(eff: Effective, seat: Seat) -> list[ChangeView]:
    if seat not in eff.originals:
        return []
    names = {pid: p.name for pid, p in eff.people.items()}
    views = []
    for change in eff.originals.get(seat, []):
        told = [f for f in eff.filings.get(change.roster_id, []) if f.change_id == change.id]
        views.append(ChangeView(
            change.id or 0, change.kind, change.role, change.seat,
            _original(names, change.from_person_id), names.get(change.to_person_id, "?"),
            change.reason, names.get(change.approved_by_id, "?"), change.tell_upper_by,
            told[-1].sent_at if told else None, change.rest_override,
        ))  # fmt: skip
    return views


def grid_cell(desk: Desk, eff: Effective, roster: Roster, cell: Cell,
              found: dict[tuple[date, str], list[Conflict]]) -> GridCell:  # fmt: skip
    rules = roster_rules(desk.profile)
    key = (cell.day, cell.slot_code)

    def who(role: str, seat: int = 0) -> str | None:
        person_id = eff.held.get((*key, role, seat))
        return eff.people[person_id].name if person_id in eff.people else None

    changes: list[ChangeView] = []
    for role, seat in [("leader", 0), ("standby", 0)] + [
        ("officer", n) for n in range(rules.min_officers)
    ]:
        changes += _change_views(eff, (*key, role, seat))
    return GridCell(
        roster.id or 0, roster.kind, cell.day, cell.slot_code, cell.starts_at, cell.ends_at,
        who("leader"), tuple(who("officer", n) for n in range(rules.min_officers)),
        who("standby"), tuple(changes), tuple(found.get(key, [])),
    )  # fmt: skip


def _day_facts(day: date) -> tuple[bool | None, str | None]:
    from dutydesk.services.core import day_info

    try:
        info = day_info(day)
    except DutyError:
        return None, None
    return info.workday, info.holiday if info.reason == "holiday" else None


def month_roster(desk: Desk, year: int, month: int) -> MonthGrid:
    """The month as the screen shows it (read in one transaction)."""
    from dutydesk.services.roster.duty_hours import tally

    first, last = month_bounds(year, month)
    with read_session(desk.engine) as session:
        eff = effective(session, desk, first, last)
    plain = [cell for _roster, cell in eff.cells]
    found = conflicts(desk, plain, eff.held, eff.people)
    by_day: dict[date, list[GridCell]] = {}
    for roster, cell in eff.cells:
        by_day.setdefault(cell.day, []).append(grid_cell(desk, eff, roster, cell, found))
    days = []
    day = first
    while day <= last:
        workday, holiday = _day_facts(day)
        days.append(GridDay(day, day.isoweekday(), workday, holiday, tuple(by_day.get(day, []))))
        day += timedelta(days=1)
    rosters = sorted({id(r): r for r, _c in eff.cells}.values(), key=lambda r: r.starts_on)
    infos = tuple(
        RosterInfo(
            r.id or 0,
            r.kind,
            r.label,
            r.starts_on,
            r.ends_on,
            _latest_filing(eff.filings.get(r.id or 0, [])),
        )  # fmt: skip
        for r in rosters
    )
    month_id = next((i.id for i in infos if i.kind == RosterKind.month.value
                     and i.starts_on == first), None)  # fmt: skip
    if month_id is None:
        with read_session(desk.engine) as session:
            from dutydesk.services.roster.rosters import month_record

            record = month_record(session, year, month)
            month_id = record.id if record is not None else None
    counts = tally(desk, eff.cells, eff.held, eff.people)
    return MonthGrid(year, month, month_id, infos, tuple(days), tuple(counts))


def _latest_filing(filings: list[RosterFiling]) -> DateTime | None:
    own = [f for f in filings if f.change_id is None]
    return own[-1].sent_at if own else None


@dataclass(frozen=True)
class Rostered:
    """Who the roster puts on a shift window (after changes), to propose when it opens."""

    roster_id: int
    cell: GridCell

    @property
    def leader(self) -> str | None:
        return self.cell.leader

    @property
    def officers(self) -> tuple[str, ...]:
        return tuple(name for name in self.cell.officers if name)

    @property
    def standby(self) -> str | None:
        return self.cell.standby


def rostered_for(desk: Desk, window: ShiftWindow) -> Rostered | None:
    """The rostered shift that covers the window's start (one starting then first), or None
    when no roster covers it."""
    start = window.starts_at.in_timezone(desk.timezone)
    first = start.date() - timedelta(days=7)
    with read_session(desk.engine) as session:
        eff = effective(session, desk, first, start.date())
    covering = [(r, c) for r, c in eff.cells if c.starts_at <= start < c.ends_at]
    if not covering:
        return None
    roster, cell = max(covering, key=lambda pair: (pair[1].starts_at == start, pair[1].starts_at))
    found = conflicts(desk, [cell], eff.held, eff.people)
    return Rostered(roster.id or 0, grid_cell(desk, eff, roster, cell, found))
