"""The rotation generator (轮班): from the eligible people of each role, a fair month.

Reproducible: the same people, month and seed give the same roster (ties are broken by a
random.Random drawn from the seed and the role). Fair: each seat goes to the candidate with the
fewest shifts of the kind being filled (statutory holidays, then days off, then nights, then
shifts in all), so each count spreads evenly. Rest (the profile's [roster]): nobody on two
night shifts in a row, and at least min_rest_hours off between two shifts. rotation_search
goes back over earlier seats when the fairest choice would leave a later seat with nobody
rested, so every rest conflict an assignment can avoid is avoided (breaker #9), counting the
shifts other rosters hold around these days; where too few people make conflicts unavoidable,
it keeps as few as it finds, those that leave the most rest (not a day shift and its night
back to back, QA), which the grid shows and generating says (roster_checks.rest_warning). With
nobody at all left, the seat stays empty and the grid says so. A standby seat the profile makes
optional is filled only by someone who keeps the rest rules (otherwise it stays empty, no
conflict). The result is adjusted by hand afterwards (rosters.assign)."""

from __future__ import annotations

import random
from dataclasses import dataclass
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
from dutydesk.services.roster.rotation_search import Position, RoleSearch

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


@dataclass(frozen=True)
class Generated:
    roster_id: int
    seed: int
    plan: dict[Seat, int]  # who holds each seat
    empty: list[Seat]  # seats nobody could fill (too few eligible people)


class _Rotation:
    """The fairness of one role's seats through a run: each person's load so far."""

    def __init__(self, profile: Profile, people: list[Person], seed: int, role: str,
                 timeline: list[Cell], kinds: list[tuple[int, int]]) -> None:  # fmt: skip
        self.profile = profile
        self.rng = random.Random(f"{seed}/{role}")  # str seeds are hashed reproducibly
        self.people = sorted((p for p in people if p.role == role), key=lambda p: p.id or 0)
        self.loads = {p.id: _Load() for p in self.people}
        self.timeline = timeline
        self.kinds = kinds
        self.eligible: dict[tuple[int | None, date], bool] = {}

    def can_sit(self, person: Person, day: date) -> bool:
        key = (person.id, day)
        if key not in self.eligible:
            self.eligible[key] = not ineligibilities(person, self.profile.eligibility, day)
        return self.eligible[key]

    def candidates(self, role: str, index: int, taken: set[int]) -> list[Person]:
        """The free, eligible people of the role, fairest first: fewest shifts of the kinds
        this one adds to (someone LEAD ahead of the least loaded in any of them waits)."""
        return [person for _leads, person in self.ranked(role, index, taken)]

    def ranked(
        self, role: str, index: int, taken: set[int]
    ) -> list[tuple[tuple[float, ...], Person]]:
        """candidates(), each with its fairness weight (the leads and the counts of the kinds
        this shift adds to, the shifts in all left out)."""
        cell, (off, holiday) = self.timeline[index], self.kinds[index]
        pool = [p for p in self.people if p.id not in taken and self.can_sit(p, cell.day)]
        if not pool:
            return []

        def counts(load: _Load) -> tuple[int, ...]:
            return (load.total, load.holidays if holiday else 0, load.days_off if off else 0,
                    load.nights if cell.nights else 0)  # fmt: skip

        mine = [counts(self.loads[p.id]) for p in pool]
        fewest = [min(column) for column in zip(*mine, strict=True)]

        def weight(have: tuple[int, ...]) -> tuple[float, ...]:
            leads = sum(n - least >= LEAD for n, least in zip(have, fewest, strict=True))
            return (leads, *have[1:], have[0], self.rng.random())

        ranked = sorted(zip([weight(m) for m in mine], range(len(pool)), strict=True))
        return [(weight[:-2], pool[n]) for weight, n in ranked]

    def take(self, person: Person, index: int) -> None:
        _count(self.loads[person.id], self.timeline[index], *self.kinds[index], step=1)

    def give_back(self, person: Person, index: int) -> None:
        _count(self.loads[person.id], self.timeline[index], *self.kinds[index], step=-1)


def _day_leaders(rotation: _Rotation, generated: list[int]) -> dict[int, int]:
    """Where one leader covers a day: the fairest leader each day, among those rested under
    the profile's [leader_rest] (not on duty the days just before) while any is."""
    rest = rotation.profile.leader_rest
    days_off = rest.days_off if rest is not None else 0
    chosen: dict[int, int] = {}
    by_day: dict[date, int | None] = {}
    for index in generated:
        day = rotation.timeline[index].day
        if day not in by_day:
            ranked = rotation.ranked("leader", index, set())
            recent = {by_day.get(day - timedelta(days=n)) for n in range(1, days_off + 1)}
            # rested first, but only one as fair as the fairest in every kind this day adds to
            # (the spread the rotation keeps): else the rest conflict is shown in the grid
            rested = [(lead, p) for lead, p in ranked if p.id not in recent]
            fair = bool(rested) and _as_fair(rested[0][0], ranked[0][0])
            pool = [p for _lead, p in (rested if fair else ranked)]
            by_day[day] = pool[0].id if pool else None
            if pool:
                rotation.take(pool[0], index)
        if by_day[day] is not None:
            chosen[index] = by_day[day]  # type: ignore[assignment]  # checked just above
    return chosen


def _as_fair(rested: tuple[float, ...], fairest: tuple[float, ...]) -> bool:
    """A rested leader is taken over the fairest only as fair in every kind this day adds to
    (weekends, holidays): a looser choice broke the spread the rotation keeps (its property
    test); the rest conflict it leaves is shown in the grid."""
    return rested == fairest


def plan_cells(
    profile: Profile,
    cells: list[Cell],
    people: list[Person],
    seed: int,
    fixed: dict[Cell, dict[str, tuple[int, ...]]] | None = None,
) -> tuple[dict[Seat, int], list[Seat]]:
    """The rotation for `cells` from `people`, without the store; `fixed`: neighbouring
    shifts other rosters hold (their crews by role), whose rest counts too."""
    rules = roster_rules(profile)
    fixed = fixed or {}
    timeline = sorted([*cells, *fixed], key=lambda c: (c.start_ts, c.slot_code))
    own = {(c.day, c.slot_code) for c in cells}
    generated = [i for i, c in enumerate(timeline) if (c.day, c.slot_code) in own]
    day_kinds: dict[date, tuple[bool, bool]] = {}  # the calendar read once a day
    kinds = [days_off_in(cell, day_kinds) for cell in timeline]
    plan: dict[Seat, int] = {}
    empty: list[Seat] = []
    for role in ("leader", "officer", "standby"):
        seats = [seat for held_role, seat in seats_of(rules) if held_role == role]
        if not seats:
            continue
        optional = role == "standby" and rules.standby == "optional"
        positions = [
            Position(i, None, fixed[timeline[i]].get(role, ())) if i not in generated
            else Position(i, seat, optional=optional)
            for i in range(len(timeline))
            for seat in (seats if i in generated else [None])
        ]  # fmt: skip
        positions = [p for p in positions if p.seat is not None or p.crew]

        def make(role: str = role) -> _Rotation:
            return _Rotation(profile, people, seed, role, timeline, kinds)

        if role == "leader" and rules.leader_per == "day":
            chosen = {i: pid for i, pid in _day_leaders(make(), generated).items()}
            filled = {(i, 0): pid for i, pid in chosen.items()}
        else:
            found = RoleSearch(rules, timeline, positions, role).solve(make)
            filled = {(positions[n].index, positions[n].seat or 0): pid for n, pid in found.items()}
        for index in generated:
            cell = timeline[index]
            for seat in seats:
                key = (cell.day, cell.slot_code, role, seat)
                if (index, seat) in filled:
                    plan[key] = filled[(index, seat)]
                elif not optional:  # an optional seat nobody rested can take stays empty
                    empty.append(key)
    return plan, empty


def _count(load: _Load, cell: Cell, off: int, holiday: int, step: int) -> None:
    load.total += step
    load.nights += cell.nights * step
    load.days_off += off * step
    load.holidays += holiday * step


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


NEIGHBOUR_DAYS = 3  # other rosters' shifts this close to the roster's own count for rest


def _neighbours(session: Session, desk: Desk, roster: Roster,
                own: set[tuple[date, str]]) -> dict[Cell, dict[str, tuple[int, ...]]]:  # fmt: skip
    """The crews other rosters hold next to (or, for a holiday roster, inside) this one."""
    from dutydesk.services.roster.roster_grid import effective

    near = timedelta(days=NEIGHBOUR_DAYS)
    eff = effective(session, desk, roster.starts_on - near, roster.ends_on + near)
    crews: dict[Cell, dict[str, tuple[int, ...]]] = {}
    for _other, cell in eff.cells:
        if (cell.day, cell.slot_code) in own:
            continue
        held = sorted((seat[2:], pid) for seat, pid in eff.held.items()
                      if seat[:2] == (cell.day, cell.slot_code))  # fmt: skip
        by_role: dict[str, tuple[int, ...]] = {}
        for (role, _seat), pid in held:
            by_role[role] = (*by_role.get(role, ()), pid)
        if by_role:
            crews[cell] = by_role
    return crews


def generate(desk: Desk, roster_id: int, *, seed: int, by: str) -> Generated:
    """Fill every seat of a roster not yet filed with the rotation (one new assignment row per
    seat; the rows before it stay, superseded). Days a holiday or sensitive-period roster
    governs are left to that roster, and the shifts other rosters hold around these days
    count for rest."""
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
        fixed = _neighbours(session, desk, roster, {(c.day, c.slot_code) for c in cells})
    plan, empty = plan_cells(profile, cells, people, seed, fixed)

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
