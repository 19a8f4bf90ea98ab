"""The rotation generator (轮班): from the eligible people of each role, a fair month.

Reproducible: the same people, month and seed give the same roster (ties are broken by a
random.Random(seed) drawn in a fixed order). Fair: each seat goes to the candidate with the
fewest shifts of the kind being filled (statutory holidays, then days off, then nights, then
shifts in all), so each count spreads evenly. Rest (the profile's [roster]): nobody on two
night shifts in a row, and at least min_rest_hours off between two shifts; when nobody is left
who keeps them, the seat goes to the fairest person anyway and the grid shows the conflict; when
nobody at all is left (too few people), the seat stays empty and the grid says so. The result is
adjusted by hand afterwards (rosters.assign)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.models import Person, Roster, RosterAssignment
from dutydesk.services.roster.duty_hours import _day_kind
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


def plan_cells(
    profile: Profile, cells: list[Cell], people: list[Person], seed: int
) -> tuple[dict[Seat, int], list[Seat]]:
    """The rotation for `cells` (in order) from `people`, without the store."""
    rules = roster_rules(profile)
    rng = random.Random(seed)
    people = sorted(people, key=lambda p: p.id or 0)
    loads = {p.id: _Load() for p in people}
    plan: dict[Seat, int] = {}
    empty: list[Seat] = []
    day_kinds: dict[date, tuple[bool, bool]] = {}
    day_leader: dict[date, int | None] = {}
    eligible: dict[tuple[int | None, date], bool] = {}

    def can_sit(person: Person, day: date) -> bool:
        key = (person.id, day)
        if key not in eligible:
            eligible[key] = not ineligibilities(person, profile.eligibility, day)
        return eligible[key]

    def choose(role: str, cell: Cell, taken: set[int | None], off: bool, holiday: bool,
               rest: bool) -> Person | None:  # fmt: skip
        pool = [p for p in people if p.role == role and p.id not in taken and can_sit(p, cell.day)]
        rested = [p for p in pool if _rests(profile, loads[p.id], cell)] if rest else pool
        pool = rested or pool
        if not pool:
            return None

        def kinds(load: _Load) -> tuple[int, ...]:
            """The counts this shift adds to: in all, and of its kinds."""
            return (load.total, load.holidays if holiday else 0, load.days_off if off else 0,
                    load.nights if cell.nights else 0)  # fmt: skip

        fewest = [min(column) for column in zip(*(kinds(loads[p.id]) for p in pool), strict=True)]

        def weight(p: Person) -> tuple[float, ...]:
            # Someone already LEAD ahead of the least loaded in any count this shift adds to
            # waits: each count spreads evenly without another drifting apart.
            mine = kinds(loads[p.id])
            leads = sum(have - least >= LEAD for have, least in zip(mine, fewest, strict=True))
            return (leads, *mine[1:], mine[0], rng.random())

        ranked = [(weight(p), p) for p in pool]
        return min(ranked, key=lambda pair: pair[0])[1]

    for cell in cells:
        off, holiday = _day_kind(cell.day, day_kinds)
        taken: set[int | None] = set()
        for role, seat in seats_of(rules):
            if role == "standby" and rules.standby != "required":
                continue
            key = (cell.day, cell.slot_code, role, seat)
            if role == "leader" and rules.leader_per == "day":
                if cell.day not in day_leader:
                    person = choose(role, cell, taken, off, holiday, rest=False)
                    day_leader[cell.day] = person.id if person else None
                    if person is not None:
                        _count(loads[person.id], cell, off, holiday, keep=False)
                person_id = day_leader[cell.day]
            else:
                person = choose(role, cell, taken, off, holiday, rest=True)
                person_id = person.id if person else None
                if person is not None:
                    _count(loads[person.id], cell, off, holiday, keep=True)
            if person_id is None:
                empty.append(key)
                continue
            plan[key] = person_id
            taken.add(person_id)
    return plan, empty


def _count(load: _Load, cell: Cell, off: bool, holiday: bool, keep: bool) -> None:
    load.total += 1
    load.nights += cell.nights
    load.days_off += int(off)
    load.holidays += int(holiday)
    if keep:
        load.worked.append(cell)


def write_plan(session: Session, desk: Desk, roster_id: int, cells: list[Cell],
               plan: dict[Seat, int], by_id: int, seed: int) -> None:  # fmt: skip
    """One new assignment row per seat of `cells` (empty seats cleared), chained in order:
    written in one statement, as a month is a few hundred rows."""
    from sqlalchemy import insert

    from dutydesk.services.core.audit import append_many

    now = desk.now()
    rows = [
        {"roster_id": roster_id, "day": cell.day, "slot_code": cell.slot_code, "role": role,
         "seat": seat, "person_id": plan.get((cell.day, cell.slot_code, role, seat)),
         "source": "generated", "seed": seed, "set_at": now, "set_by_id": by_id}
        for cell in cells
        for role, seat in seats_of(roster_rules(desk.profile))
    ]  # fmt: skip
    statement = insert(RosterAssignment).returning(
        col(RosterAssignment.id), sort_by_parameter_order=True
    )
    ids = [row[0] for row in session.execute(statement, rows)]
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
