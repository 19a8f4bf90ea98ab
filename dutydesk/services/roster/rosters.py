"""Rosters (排班表) as records: a month's, a holiday's or a sensitive period's, its cells (date
× slot of the profile) and who holds each role in them.

A holiday or sensitive-period roster replaces the regular arrangement for its days (a weekly
desk keeps daily shifts through Spring Festival: the profile's [roster] holiday_slots). An
assignment is a new row each time (the latest in force) until the roster is filed; after that
a change is a swap or substitution record (roster_changes.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.models import Person, Roster, RosterAssignment, RosterFiling, RosterKind
from dutydesk.services.core import audit

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.profiles import Profile, RosterRules, ShiftSlot
    from dutydesk.services.core import Desk

ROSTER_ROLES = ("leader", "officer", "standby")
KINDS = tuple(kind.value for kind in RosterKind)
MAX_SPAN_DAYS = 62  # a holiday or sensitive period longer than this is a typing error
Seat = tuple[date, str, str, int]  # (day, slot code, role, seat)


@dataclass(frozen=True)
class Cell:
    """One shift of a roster: a date and a slot, with its times."""

    day: date
    slot_code: str
    starts_at: DateTime
    ends_at: DateTime
    cite: str
    # Nights the shift covers (midnights it runs through): 0 for a day shift, 1 for a night or
    # a 24-hour shift, 7 for a week. Worked out once: pendulum arithmetic is slow in the
    # generator's inner loop, so it compares these plain numbers.
    nights: int
    start_ts: float
    end_ts: float

    @property
    def hours(self) -> float:
        return (self.end_ts - self.start_ts) / 3600


def make_cell(day: date, slot_code: str, start: DateTime, end: DateTime, cite: str) -> Cell:
    nights = (date(end.year, end.month, end.day) - date(start.year, start.month, start.day)).days
    return Cell(day, slot_code, start, end, cite, nights, start.timestamp(), end.timestamp())


def named(section: str, code: str) -> str:
    """A code's name from the catalogue (白班 for the slot `day`); what was typed where it names
    no code, so a refusal shows it back."""
    from dutydesk.i18n import has, t

    return t(f"{section}.{code}") if has(f"{section}.{code}") else code


def listing(section: str, codes: tuple[str, ...], prefix: str = "") -> str:
    """The choices by name, for a refusal (传真、值班系统、…)."""
    return "、".join(named(section, prefix + code) for code in codes)


def roster_rules(profile: Profile) -> RosterRules:
    if profile.roster is None:
        raise DutyError("roster.no_rules", profile=profile.id)
    return profile.roster


def slots_for(profile: Profile, kind: str) -> list[ShiftSlot]:
    """The slots a roster of `kind` fills: the profile's own for a month; a holiday or
    sensitive period's (holiday_slots) where the profile has them."""
    rules = roster_rules(profile)
    if kind != RosterKind.month.value and rules.holiday_slots:
        return list(rules.holiday_slots)
    return sorted(profile.shifts.slots, key=lambda slot: slot.start)


def _at(day: date, hm: tuple[int, int], zone: str) -> DateTime:
    import pendulum

    return pendulum.datetime(day.year, day.month, day.day, hm[0], hm[1], tz=zone)


def cells_of(profile: Profile, kind: str, starts_on: date, ends_on: date) -> list[Cell]:
    """The roster's shifts in order: each day's slots, or for a weekly slot each week that
    starts on its weekday within the dates."""
    zone = profile.profile.timezone
    cells: list[Cell] = []
    day = starts_on
    while day <= ends_on:
        for slot in slots_for(profile, kind):
            if slot.weekday is not None and day.isoweekday() != slot.weekday:
                continue
            start = _at(day, slot.start_hm, zone)
            end = _at(day, slot.end_hm, zone)
            if slot.weekday is not None:
                end = end.add(weeks=1)
            elif end <= start:
                end = end.add(days=1)
            cells.append(make_cell(day, slot.code, start, end, slot.cite))
        day += timedelta(days=1)
    return cells


def seats_of(rules: RosterRules) -> list[tuple[str, int]]:
    """The roles (and seats) of a cell: a leader unless none is required, the officers, a
    standby unless the profile has none."""
    seats = [("leader", 0)] if rules.leader_per != "none" else []
    seats += [("officer", n) for n in range(rules.min_officers)]
    if rules.standby != "none":
        seats.append(("standby", 0))
    return seats


def month_bounds(year: int, month: int) -> tuple[date, date]:
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise DutyError("roster.bad_month", year=year, month=month)
    first = date(year, month, 1)
    after = date(year + (month == 12), month % 12 + 1, 1)
    return first, after - timedelta(days=1)


def person_by_name(session: Session, name: str) -> Person:
    from dutydesk.services.roster.people import person_named

    person = person_named(session, name)
    if person is None:
        raise DutyError("people.unknown", name=name)
    return person


def get_roster(session: Session, roster_id: int) -> Roster:
    roster = session.get(Roster, roster_id)
    if roster is None:
        raise DutyError("roster.unknown", id=roster_id)
    return roster


def month_record(session: Session, year: int, month: int) -> Roster | None:
    first, _last = month_bounds(year, month)
    return session.exec(
        select(Roster).where(Roster.kind == RosterKind.month.value, Roster.starts_on == first)
    ).first()


def filings_of(session: Session, roster_id: int) -> list[RosterFiling]:
    return list(
        session.exec(
            select(RosterFiling)
            .where(RosterFiling.roster_id == roster_id, col(RosterFiling.change_id).is_(None))
            .order_by(col(RosterFiling.id))
        )
    )


def create_roster(
    desk: Desk, kind: str, starts_on: date, ends_on: date, label: str, by: str
) -> Roster:
    """A new roster. A month's is one per month; a holiday's must hold a statutory holiday
    (the official calendar); none may overlap another of its kind."""
    from dutydesk.services.core import holiday_name

    roster_rules(desk.profile)
    if kind not in KINDS:
        raise DutyError("roster.bad_kind", kind=kind,
                        kinds=listing("roster_cli", KINDS, prefix="kind_"))  # fmt: skip
    label = label.strip()
    if not label or len(label) > 60:
        raise DutyError("roster.bad_label")
    if ends_on < starts_on or (ends_on - starts_on).days >= MAX_SPAN_DAYS:
        raise DutyError("roster.bad_dates", start=starts_on.isoformat(), end=ends_on.isoformat())
    if kind == RosterKind.holiday.value:
        days = [starts_on + timedelta(days=n) for n in range((ends_on - starts_on).days + 1)]
        if not any(holiday_name(day) for day in days):
            raise DutyError("roster.not_a_holiday", start=starts_on.isoformat(),
                            end=ends_on.isoformat())  # fmt: skip

    def _save() -> Roster:
        with write_session(desk.engine) as session:
            creator = person_by_name(session, by)
            overlapping = session.exec(
                select(Roster).where(
                    Roster.kind == kind,
                    col(Roster.starts_on) <= ends_on,
                    col(Roster.ends_on) >= starts_on,
                )
            ).first()
            if overlapping is not None:
                raise DutyError("roster.overlaps", label=overlapping.label,
                                start=overlapping.starts_on.isoformat(),
                                end=overlapping.ends_on.isoformat())  # fmt: skip
            creator_id = creator.id
            assert creator_id is not None
            roster = Roster(
                kind=kind,
                label=label,
                starts_on=starts_on,
                ends_on=ends_on,
                created_at=desk.now(),
                created_by_id=creator_id,
            )
            session.add(roster)
            session.flush()
            assert roster.id is not None
            audit.append(session, "roster", roster.id, desk.now())
            return roster

    return with_lock_retry(_save, desk.path)


def find_month_roster(desk: Desk, year: int, month: int) -> int:
    """The month's roster, refused if there is none (nothing is made)."""
    with read_session(desk.engine) as session:
        found = month_record(session, year, month)
    if found is None or found.id is None:
        raise DutyError("roster.no_month_roster", year=year, month=month)
    return found.id


def month_roster_id(desk: Desk, year: int, month: int, by: str) -> int:
    """The month's roster, made if there is none yet."""
    with read_session(desk.engine) as session:
        found = month_record(session, year, month)
    if found is not None:
        assert found.id is not None
        return found.id
    first, last = month_bounds(year, month)
    made = create_roster(desk, RosterKind.month.value, first, last, f"{year}-{month:02d}", by)
    assert made.id is not None
    return made.id


def assignments_in_force(session: Session, roster_ids: list[int]) -> dict[int, dict[Seat, int]]:
    """Per roster, who holds each seat (the latest row; a cleared seat is left out)."""
    held: dict[int, dict[Seat, int]] = {roster_id: {} for roster_id in roster_ids}
    if not roster_ids:
        return held
    # Plain columns, not ORM rows: the month grid reads a few hundred of these each time it is
    # shown, and building model objects (with their times) was most of its cost.
    marks = ",".join("?" * len(roster_ids))
    rows = session.connection().exec_driver_sql(
        "SELECT roster_id, day, slot_code, role, seat, person_id FROM roster_assignment "
        f"WHERE roster_id IN ({marks}) ORDER BY id",
        tuple(roster_ids),
    )
    for roster_id, day, slot, role, seat, person_id in rows:
        key = (date.fromisoformat(day), slot, role, seat)
        if person_id is None:
            held[roster_id].pop(key, None)
        else:
            held[roster_id][key] = person_id
    return held


def write_assignment(
    session: Session,
    desk: Desk,
    roster_id: int,
    seat: Seat,
    person_id: int | None,
    by_id: int,
    seed: int | None = None,
) -> RosterAssignment:
    day, slot, role, number = seat
    row = RosterAssignment(roster_id=roster_id, day=day, slot_code=slot, role=role, seat=number,
                           person_id=person_id, source="hand" if seed is None else "generated",
                           seed=seed, set_at=desk.now(), set_by_id=by_id)  # fmt: skip
    session.add(row)
    session.flush()
    assert row.id is not None
    audit.append(session, "roster_assignment", row.id, desk.now())
    return row


def assign(
    desk: Desk,
    roster_id: int,
    day: date,
    slot_code: str,
    role: str,
    name: str | None,
    *,
    by: str,
    seat: int = 0,
) -> RosterAssignment:
    """Put `name` (None or "": nobody) in one role of one shift of a roster not yet filed.
    Refused with the article: an unknown shift or role, an administrator, someone not eligible
    (Tianjin art. 6), someone of another level, the same person twice in the shift."""
    from dutydesk.services.roster.roster_checks import refuse_assignment

    rules = roster_rules(desk.profile)

    def _save() -> RosterAssignment:
        with write_session(desk.engine) as session:
            roster = get_roster(session, roster_id)
            if filings_of(session, roster_id):
                raise DutyError("roster.filed_use_change", label=roster.label)
            cells = cells_of(desk.profile, roster.kind, roster.starts_on, roster.ends_on)
            cell = next((c for c in cells if c.day == day and c.slot_code == slot_code), None)
            if cell is None:
                raise DutyError("roster.no_cell", day=day.isoformat(), slot=named("shift", slot_code),
                                label=roster.label)  # fmt: skip
            if (role, seat) not in seats_of(rules):
                raise DutyError("roster.no_seat", role=named("role", role), seat=seat + 1)
            by_person = person_by_name(session, by)
            person = person_by_name(session, name) if name and name.strip() else None
            held = assignments_in_force(session, [roster_id])[roster_id]
            if person is not None:
                refuse_assignment(desk, cell, role, seat, person, held)
            return write_assignment(
                session, desk, roster_id, (day, slot_code, role, seat),
                person.id if person else None, by_person.id,  # type: ignore[arg-type]  # stored rows have ids
            )  # fmt: skip

    return with_lock_retry(_save, desk.path)
