"""Shifts (班次): which shift the profile says it is now, and who was put on it at the desk."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import Handover, Person, Shift, ShiftClosure, ShiftSecondOfficer
from dutydesk.services.core import audit
from dutydesk.services.roster.people import (
    find_person,
    ineligibilities,
    on_current_shift,
    person_named,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlmodel import Session

    from dutydesk.profiles import Profile, ShiftSlot
    from dutydesk.services.core import Desk


HOLIDAY_PREFIX = "holiday_"  # a holiday shift's code: holiday_day, holiday_night (节假日班)


@dataclass(frozen=True)
class ShiftWindow:
    code: str
    starts_at: DateTime
    ends_at: DateTime
    cite: str
    holiday: str | None = None  # the statutory holiday a holiday shift belongs to (HolidayCode)
    # "not_needed" (no holiday rule) | "applied" | "beyond_data": the calendar has no data for
    # the dates, so the regular shift is given
    calendar: str = "not_needed"


def _at(day: DateTime, hm: tuple[int, int]) -> DateTime:
    return day.set(hour=hm[0], minute=hm[1], second=0, microsecond=0)


def _holiday_shift(profile: Profile, window: ShiftWindow) -> ShiftWindow:
    """Tianjin art. 12: the holiday shift (节假日班) starts at 18:00 on the day before the
    holiday. A slot starting on a statutory holiday (art. 34: the days off the State Council
    sets), or on the day before one at or after the profile's holiday_eve_start, is a holiday
    shift; the slots keep their times (the text sets no others), so the eve's night shift runs
    into the first holiday morning and the last holiday's night shift ends on the first working
    day."""
    rules = profile.shifts
    if rules.holiday_eve_start is None:
        return window
    from dutydesk.services.core import holiday_name

    start = window.starts_at
    eve_hour, eve_minute = (int(x) for x in rules.holiday_eve_start.split(":"))
    days = [start.date()]
    if (start.hour, start.minute) >= (eve_hour, eve_minute):
        days.append(start.add(days=1).date())
    holiday, beyond = None, False
    for day in days:  # the eve is known even past the data: 1 January is always a holiday
        try:
            holiday = holiday or holiday_name(day)
        except DutyError:
            beyond = True
    if holiday is None:  # past the calendar's data: the regular shift, said as such
        return replace(window, calendar="beyond_data" if beyond else "applied")
    cite = rules.holiday_eve_cite or window.cite
    code = HOLIDAY_PREFIX + window.code
    return replace(window, code=code, cite=cite, holiday=holiday, calendar="applied")


def shift_window(profile: Profile, at: DateTime) -> ShiftWindow:
    """The profile's shift that contains `at` (in the profile's zone); on a holiday, or from the
    holiday eve's start, the holiday shift (see _holiday_shift)."""
    local = at.in_timezone(profile.profile.timezone)
    if profile.shifts.cycle == "weekly":
        slot = profile.shifts.slots[0]
        assert slot.weekday is not None
        start = _at(local, slot.start_hm).subtract(days=(local.isoweekday() - slot.weekday) % 7)
        if start > local:
            start = start.subtract(weeks=1)
        return ShiftWindow(slot.code, start, start.add(weeks=1), slot.cite)
    for day_offset in (0, -1):
        day = local.add(days=day_offset)
        for slot in profile.shifts.slots:
            start, end = _slot_bounds(day, slot)
            if start <= local < end:
                return _holiday_shift(profile, ShiftWindow(slot.code, start, end, slot.cite))
    raise DutyError("shift.no_slot", time=local.to_iso8601_string())


def _slot_bounds(day: DateTime, slot: ShiftSlot) -> tuple[DateTime, DateTime]:
    start = _at(day, slot.start_hm)
    end = _at(day, slot.end_hm)
    if end <= start:
        end = end.add(days=1)
    return start, end


def current_shift(desk: Desk) -> Shift | None:
    """The shift on duty at the desk now, if any."""
    with read_session(desk.engine) as session:
        return shift_covering(session, desk.now())


def shift_covering(session: Session, at: DateTime) -> Shift | None:
    """The shift on duty at `at`, read inside the caller's transaction. A shift is on duty from
    its start until its handover is signed, not until its slot ends: a shift never lapses (the
    district's week shift runs past its Monday to the first working day after a holiday, and an
    overdue handover leaves the outgoing shift on duty). The latest opened shift wins."""
    closed_by_then = select(ShiftClosure.shift_id).where(ShiftClosure.closed_at <= at)
    statement = (
        select(Shift)
        .where(col(Shift.starts_at) <= at, col(Shift.id).not_in(closed_by_then))
        .order_by(col(Shift.id).desc())
        .limit(1)
    )
    return session.exec(statement).first()


ROLES = ("officer", "second_officer", "leader", "standby")


def open_shift(
    desk: Desk,
    officer: str,
    leader: str | None = None,
    standby: str | None = None,
    second_officer: str | None = None,
) -> Shift:
    """Put people on the current shift when nobody is on duty (after that, shifts change at the
    handover, whose sign-off opens the next one). Refuses a shift already on duty, anyone not
    eligible under the profile, an administrator, one person in two roles, and a second officer
    missing where the profile requires two (or named where it requires one)."""
    window = shift_window(desk.profile, desk.now())
    today = desk.now().date()
    check_second_officer(desk.profile, second_officer)

    def _save() -> Shift:
        with write_session(desk.engine) as session:
            _refuse_if_on_duty(session, desk)
            names = {"officer": officer, "second_officer": second_officer, "leader": leader,
                     "standby": standby}  # fmt: skip
            crew = _crew(session, desk, names, today)
            refuse_two_roles(crew)
            officer_person = crew["officer"]
            assert officer_person is not None
            second = crew["second_officer"]
            return insert_shift(
                session,
                desk,
                window,
                officer_id=officer_person.id,  # type: ignore[arg-type]  # a stored row has its id
                leader_id=crew["leader"].id if crew["leader"] else None,
                standby_id=crew["standby"].id if crew["standby"] else None,
                second_officer_id=second.id if second else None,
            )

    return with_lock_retry(_save, desk.path)


def check_can_open(desk: Desk, names: dict[str, str | None]) -> None:
    """Every refusal open_shift would give, read-only: callers that write first (a substitution
    made at opening) check before they write, so a refused opening leaves nothing behind."""
    check_second_officer(desk.profile, names.get("second_officer"))
    with read_session(desk.engine) as session:
        _refuse_if_on_duty(session, desk)
        refuse_two_roles(_crew(session, desk, names, desk.now().date()))


def check_second_officer(profile: Profile, second_officer: str | None) -> None:
    """Two duty officers where the profile requires them (Henan 三(一) 双人专职), one elsewhere."""
    rules = profile.shifts
    if rules.officers > 1 and not (second_officer or "").strip():
        raise DutyError("shift.second_officer_needed", cite=rules.officers_cite or rules.cite)
    if rules.officers == 1 and second_officer:
        raise DutyError("shift.second_officer_not_needed")


def second_officer_id(session: Session, shift_id: int | None) -> int | None:
    row = session.exec(
        select(ShiftSecondOfficer).where(ShiftSecondOfficer.shift_id == shift_id)
    ).first()
    return row.person_id if row else None


def crew_names(desk: Desk, shift_id: int) -> dict[str, str]:
    """Who sat the shift, by role (officer, second_officer, leader, standby; absent roles left
    out): the handover form names them all."""
    with read_session(desk.engine) as session:
        shift = session.get(Shift, shift_id)
        if shift is None:
            return {}
        ids = {"officer": shift.officer_id, "second_officer": second_officer_id(session, shift_id),
               "leader": shift.leader_id, "standby": shift.standby_id}  # fmt: skip
        names = {}
        for role, person_id in ids.items():
            person = session.get(Person, person_id) if person_id is not None else None
            if person is not None:
                names[role] = person.name
        return names


def _crew(
    session: Session, desk: Desk, names: dict[str, str | None], today: date
) -> dict[str, Person | None]:
    """The people named for each role, each one eligible to sit the shift in it."""
    crew: dict[str, Person | None] = {}
    for role, name in names.items():
        if name is None:
            crew[role] = None
            continue
        person = person_named(session, name)
        if person is None:
            raise DutyError("people.unknown", name=name)
        refuse_administrator(person, role)
        reasons = ineligibilities(person, desk.profile.eligibility, today)
        if reasons:
            raise DutyError(reasons[0].key, name=name, cite=reasons[0].cite)
        crew[role] = person
    return crew


def refuse_administrator(person: Person, role: str) -> None:
    """An administrator keeps the register and the PINs and sits no shift (models.people.Role)."""
    if person.role == "admin":
        raise DutyError("shift.admin_no_shift", name=person.name, role=t("role." + role))


def refuse_two_roles(crew: dict[str, Person | None]) -> None:
    """One person holds one role in a shift: the same person twice is refused, naming both."""
    seen: dict[int | None, str] = {}
    for role, person in crew.items():
        if person is None:
            continue
        if person.id in seen:
            raise DutyError("shift.two_roles", name=person.name,
                            role=t("role." + seen[person.id]), other=t("role." + role))  # fmt: skip
        seen[person.id] = role


def _refuse_if_on_duty(session: Session, desk: Desk) -> None:
    """A shift on duty now is not opened again: that would change who is on it (and so who may
    record with --as) without a handover."""
    shift = shift_covering(session, desk.now())
    if shift is None:
        return
    zone = desk.timezone

    def name(person_id: int | None) -> str:
        person = session.get(Person, person_id) if person_id is not None else None
        return person.name if person is not None else "—"

    raise DutyError(
        "shift.already_open",
        opened_by=_opened_by(session, shift, name),
        shift=t("shift." + shift.slot_code),
        start=shift.starts_at.in_timezone(zone).format("MM-DD HH:mm"),
        end=shift.ends_at.in_timezone(zone).format("MM-DD HH:mm"),
        officer=name(shift.officer_id),
        leader=name(shift.leader_id),
        opened_at=shift.opened_at.in_timezone(zone).format("YYYY-MM-DD HH:mm"),
    )


def _opened_by(session: Session, shift: Shift, name: Callable[[int | None], str]) -> str:
    """Who opened the shift: the two who signed the handover that opened it, or the officer
    put on it at the desk."""
    handover = session.exec(select(Handover).where(Handover.incoming_shift_id == shift.id)).first()
    if handover is None:
        return t("shift.opened_by_desk", officer=name(shift.officer_id))
    outgoing = session.get(Shift, handover.shift_id)
    return t("shift.opened_by_handover", outgoing=name(outgoing.officer_id if outgoing else None),
             incoming=name(shift.officer_id))  # fmt: skip


def insert_shift(
    session: Session,
    desk: Desk,
    window: ShiftWindow,
    *,
    officer_id: int,
    leader_id: int | None = None,
    standby_id: int | None = None,
    starts_at: DateTime | None = None,
    second_officer_id: int | None = None,
) -> Shift:
    """Open a shift inside the caller's transaction (the handover opens the incoming officer's
    shift this way, in the same transaction as the sign-off). `starts_at` defaults to the
    window's start; a handover before the window starts opens it at the handover."""
    shift = Shift(
        slot_code=window.code,
        starts_at=starts_at or window.starts_at,
        ends_at=window.ends_at,
        officer_id=officer_id,
        leader_id=leader_id,
        standby_id=standby_id,
        opened_at=desk.now(),
    )
    session.add(shift)
    session.flush()
    assert shift.id is not None
    audit.append(session, "shift", shift.id, desk.now())
    if second_officer_id is not None:
        second = ShiftSecondOfficer(shift_id=shift.id, person_id=second_officer_id,
                                    recorded_at=desk.now())  # fmt: skip
        session.add(second)
        session.flush()
        assert second.id is not None
        audit.append(session, "shift_second_officer", second.id, desk.now())
    return shift


@dataclass(frozen=True)
class OnDuty:
    shift: Shift
    officer: str
    leader: str | None
    standby: str | None


def on_duty(desk: Desk) -> OnDuty | None:
    shift = current_shift(desk)
    if shift is None:
        return None
    with read_session(desk.engine) as session:
        names = {
            person.id: person.name
            for person in session.exec(
                select(Person).where(
                    col(Person.id).in_(
                        [i for i in (shift.officer_id, shift.leader_id, shift.standby_id) if i]
                    )
                )
            )
        }
    return OnDuty(
        shift,
        names[shift.officer_id],
        names.get(shift.leader_id) if shift.leader_id else None,
        names.get(shift.standby_id) if shift.standby_id else None,
    )


def resolve_recorder(desk: Desk, name: str | None) -> Person:
    """Who records: the named person (`--as`), who must be on the shift open now (officer,
    leader or standby), or that shift's officer."""
    if name:
        return on_current_shift(desk, find_person(desk, name))
    shift = current_shift(desk)
    if shift is None:
        raise DutyError("shift.none_open")
    with read_session(desk.engine) as session:
        person = session.get(Person, shift.officer_id)
    assert person is not None
    return person


def typed_record_time(desk: Desk, text: str) -> DateTime:
    """A record's time typed at the desk, refused outside the register's span: a short form
    ahead of now (`23:55` at 00:05) is the day before's when that falls within this duty
    (`duty_began`), else it stays today's and is refused as ahead of now (core/timeparse.py)."""
    from dutydesk.services.core.timeparse import parse_desk_time

    return parse_desk_time(desk, text, back_to=duty_began(desk))


def duty_began(desk: Desk) -> DateTime:
    """The earlier of the slot that holds now and the shift on duty: after an early handover
    at 03:09 the night's 23:30 is still this night's, not tonight's."""
    return duty_start(shift_window(desk.profile, desk.now()).starts_at, current_shift(desk))


def duty_start(slot_start: DateTime, shift: Shift | None) -> DateTime:
    """The earlier of the slot's start and the shift on duty's (duty_began, from values already
    read: the screens have both in the header's state)."""
    return min(slot_start, shift.starts_at) if shift is not None else slot_start
