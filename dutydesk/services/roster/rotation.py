"""The rotation generator (轮班): from the eligible people of each role, a fair month.

Reproducible: the same people, month and seed give the same roster (ties are broken by a
random.Random(seed) drawn in a fixed order). Fair: each seat goes to the candidate with the
fewest shifts of the kind being filled (statutory holidays, then days off, then nights, then
shifts in all), so each count spreads evenly. Rest (the profile's [roster]): nobody on two
night shifts in a row, and at least min_rest_hours off between two shifts; when nobody is left
who keeps them, the seat goes to the fairest person anyway and the grid shows the conflict; when
nobody at all is left (too few people), the seat stays empty and the grid says so. A standby
seat the profile makes optional is filled the same way when there are standby people, but only
by someone who keeps the rest rules: otherwise (or with nobody) it stays empty, no conflict. The result is
adjusted by hand afterwards (rosters.assign)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.models import Person, Roster
from dutydesk.services.roster.duty_hours import days_off_in
from dutydesk.services.roster.people import ineligibilities
from dutydesk.services.roster.rosters import (
    Cell,
    Seat,
    cells_of,
    filings_of,
    get_roster,
    month_roster_id,
    person_by_name,
    roster_rules,
    seats_of,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.profiles import Profile
    from dutydesk.services.core import Desk

LEAD = 2


@dataclass
class _Load:
    """One person's shifts so far in the generation."""

    total: int = 0
    nights: int = 0
    days_off: int = 0
    holidays: int = 0
    worked: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class Generated:
    roster_id: int
    seed: int
    plan: dict[Seat, int]  # who holds each seat
    empty: list[Seat]  # seats nobody could fill (too few eligible people)


def _rests(profile: Profile, load: _Load, cell: Cell) -> bool:
    rules = roster_rules(profile)
    if not load.worked:
        return True
    last = load.worked[-1]
    if (
        rules.no_consecutive_nights
        and last.nights == 1
        and cell.nights == 1
        and cell.day == last.day + timedelta(days=1)
    ):
        return False
    return cell.start_ts - last.end_ts >= rules.min_rest_hours * 3600


class _Rotation:
    """The generator's state through one run: each person's load, the day's leaders."""

    def __init__(self, profile: Profile, people: list[Person], seed: int) -> None:
        self.profile = profile
        self.rng = random.Random(seed)
        self.people = sorted(people, key=lambda p: p.id or 0)
        self.loads = {p.id: _Load() for p in self.people}
        self.day_leader: dict[date, int | None] = {}
        self.eligible: dict[tuple[int | None, date], bool] = {}

    def can_sit(self, person: Person, day: date) -> bool:
        key = (person.id, day)
        if key not in self.eligible:
            self.eligible[key] = not ineligibilities(person, self.profile.eligibility, day)
        return self.eligible[key]

    def choose(self, role: str, cell: Cell, taken: set[int | None], kind: tuple[int, int],
               rest: bool, optional: bool = False) -> Person | None:  # fmt: skip
        """The fairest free, eligible, rested person of `role` (`kind`: its days off, its
        holidays); for an `optional` seat only someone rested (else nobody)."""
        off, holiday = kind
        pool = [p for p in self.people
                if p.role == role and p.id not in taken and self.can_sit(p, cell.day)]  # fmt: skip
        rested = [p for p in pool if _rests(self.profile, self.loads[p.id], cell)] if rest else pool
        pool = rested if optional else (rested or pool)
        if not pool:
            return None

        def kinds(load: _Load) -> tuple[int, ...]:
            """The counts this shift adds to: in all, and of its kinds."""
            return (load.total, load.holidays if holiday else 0, load.days_off if off else 0,
                    load.nights if cell.nights else 0)  # fmt: skip

        counts = [kinds(self.loads[p.id]) for p in pool]
        fewest = [min(column) for column in zip(*counts, strict=True)]

        def weight(mine: tuple[int, ...]) -> tuple[float, ...]:
            # Someone already LEAD ahead of the least loaded in any count this shift adds to
            # waits: each count spreads evenly without another drifting apart.
            leads = sum(have - least >= LEAD for have, least in zip(mine, fewest, strict=True))
            return (leads, *mine[1:], mine[0], self.rng.random())

        ranked = [(weight(mine), p) for mine, p in zip(counts, pool, strict=True)]
        return min(ranked, key=lambda pair: pair[0])[1]

    def seat(self, role: str, cell: Cell, taken: set[int | None], kind: tuple[int, int],
             day_leader: bool, optional: bool = False) -> int | None:  # fmt: skip
        """Who takes one seat: the day's leader (chosen once a day), or the fairest person."""
        if day_leader:
            if cell.day not in self.day_leader:
                person = self.choose(role, cell, taken, kind, rest=False)
                self.day_leader[cell.day] = person.id if person else None
                if person is not None:
                    _count(self.loads[person.id], cell, *kind, keep=False)
            return self.day_leader[cell.day]
        person = self.choose(role, cell, taken, kind, rest=True, optional=optional)
        if person is None:
            return None
        _count(self.loads[person.id], cell, *kind, keep=True)
        return person.id


def plan_cells(
    profile: Profile, cells: list[Cell], people: list[Person], seed: int
) -> tuple[dict[Seat, int], list[Seat]]:
    """The rotation for `cells` (in order) from `people`, without the store."""
    rules = roster_rules(profile)
    rotation = _Rotation(profile, people, seed)
    plan: dict[Seat, int] = {}
    empty: list[Seat] = []
    day_kinds: dict[date, tuple[bool, bool]] = {}  # the calendar read once a day
    for cell in cells:
        kind = days_off_in(cell, day_kinds)
        taken: set[int | None] = set()
        for role, seat in seats_of(rules):
            key = (cell.day, cell.slot_code, role, seat)
            by_day = role == "leader" and rules.leader_per == "day"
            optional = role == "standby" and rules.standby == "optional"
            person_id = rotation.seat(role, cell, taken, kind, by_day, optional)
            if person_id is None:
                if not optional:  # an optional seat nobody rested can take stays empty
                    empty.append(key)
                continue
            plan[key] = person_id
            taken.add(person_id)
    return plan, empty


def _count(load: _Load, cell: Cell, off: int, holiday: int, keep: bool) -> None:
    load.total += 1
    load.nights += cell.nights
    load.days_off += off
    load.holidays += holiday
    if keep:
        load.worked.append(cell)


def write_plan(session: Session, desk: Desk, roster_id: int, cells: list[Cell],
               plan: dict[Seat, int], by_id: int, seed: int) -> None:  # fmt: skip
    """One new assignment row per seat of `cells` (empty seats cleared), chained in order:
    written in one statement, as a month is a few hundred rows."""
    from dutydesk.models.types import to_storage
    from dutydesk.services.core.audit import append_many

    now = desk.now()
    stamp = to_storage(now)  # as AwareDateTime stores it
    rows = [
        (roster_id, cell.day.isoformat(), cell.slot_code, role, seat,
         plan.get((cell.day, cell.slot_code, role, seat)), "generated", seed, stamp, by_id)
        for cell in cells
        for role, seat in seats_of(roster_rules(desk.profile))
    ]  # fmt: skip
    # Plain DB-API executemany: the ORM's bulk insert ran one statement per row here. The
    # write lock is held, so the new rows are exactly those after the highest id before.
    cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # an open connection
    before = cursor.execute("SELECT coalesce(max(id), 0) FROM roster_assignment").fetchone()[0]
    cursor.executemany(
        "INSERT INTO roster_assignment (roster_id, day, slot_code, role, seat, person_id, "
        "source, seed, set_at, set_by_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    ids = [row[0] for row in cursor.execute(
        "SELECT id FROM roster_assignment WHERE id > ? ORDER BY id", (before,))]  # fmt: skip
    append_many(session, "roster_assignment", ids, now)


def generate(desk: Desk, roster_id: int, *, seed: int, by: str) -> Generated:
    """Fill every seat of a roster not yet filed with the rotation (one new assignment row per
    seat; the rows before it stay, superseded). Days a holiday or sensitive-period roster
    governs are left to that roster."""
    from dutydesk.services.roster.roster_grid import _governing

    profile = desk.profile
    with read_session(desk.engine) as session:
        roster = get_roster(session, roster_id)
        people = list(session.exec(select(Person).where(Person.role != "admin")))
        overlapping = select(Roster).where(
            col(Roster.starts_on) <= roster.ends_on, col(Roster.ends_on) >= roster.starts_on
        )
        others = list(session.exec(overlapping))

    def governed_here(day: date) -> bool:
        governing = _governing(others, day)
        return governing is None or governing.id == roster.id

    cells = [
        cell
        for cell in cells_of(profile, roster.kind, roster.starts_on, roster.ends_on)
        if governed_here(cell.day)
    ]
    plan, empty = plan_cells(profile, cells, people, seed)

    def _save() -> None:
        with write_session(desk.engine) as session:
            if filings_of(session, roster_id):
                raise DutyError("roster.filed_use_change", label=roster.label)
            by_id = person_by_name(session, by).id
            assert by_id is not None
            write_plan(session, desk, roster_id, cells, plan, by_id, seed)

    with_lock_retry(_save, desk.path)
    return Generated(roster_id, seed, plan, empty)


def generate_month(desk: Desk, year: int, month: int, *, seed: int, by: str) -> Generated:
    """The month's roster (made if there is none) filled by the rotation."""
    roster_id = month_roster_id(desk, year, month, by)
    return generate(desk, roster_id, seed=seed, by=by)
