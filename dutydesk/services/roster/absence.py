"""Where the shift leader is (Tianjin art. 16(2): 清楚带班领导所在位置): the leader recorded as
away (where, how to reach them, who of the same level stands in, art. 12(5), and until when),
and back. The header reads `leader_whereabouts` for the shift on duty."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.i18n import t
from dutydesk.models import LeaderAbsence, LeaderReturn, Person, Shift
from dutydesk.services.core import audit, check_phone, check_text
from dutydesk.services.core.validation import ascii_phone
from dutydesk.services.roster.people import ineligibilities, person_named
from dutydesk.services.roster.shifts import shift_covering

if TYPE_CHECKING:
    from pendulum import DateTime
    from sqlmodel import Session

    from dutydesk.services.core import Desk

STANDS_IN_CITE = "Tianjin art. 12(5)"  # 替岗: 协调相应级别值班人员替岗值班
WHEREABOUTS_CITE = "Tianjin art. 16(2)"  # 清楚带班领导所在位置
WHEREABOUTS_MAX = 200
REASON_MAX = 200


@dataclass(frozen=True)
class AbsenceDraft:
    """What is typed for a leader going away: `until` already read as a time (None: blank)."""

    stands_in: str
    whereabouts: str
    contact: str
    until: DateTime | None
    reason: str = ""


@dataclass(frozen=True)
class LeaderAway:
    """The shift leader away now: an absence in force (not ended by its time or a return)."""

    absence_id: int
    leader: str
    stands_in: str
    whereabouts: str
    contact: str
    reason: str
    starts_at: DateTime
    until: DateTime


def _shift_leader(session: Session, desk: Desk) -> tuple[Shift, Person]:
    shift = shift_covering(session, desk.now())
    if shift is None:
        raise DutyError("shift.none_open")
    leader = session.get(Person, shift.leader_id) if shift.leader_id is not None else None
    if leader is None:
        raise DutyError("absence.no_leader")
    return shift, leader


def _longest(desk: Desk) -> int | None:
    """The profile's longest absence in hours (an office setting), None: no limit."""
    rules = desk.profile.roster
    return rules.leader_away_max_hours if rules is not None else None


def _check_draft(desk: Desk, draft: AbsenceDraft) -> None:
    problems: list[FieldProblem] = []
    check_text(problems, "absence_stands_in", draft.stands_in, required=True, max_length=50)
    check_text(problems, "absence_whereabouts", draft.whereabouts, required=True,
               max_length=WHEREABOUTS_MAX)  # fmt: skip
    check_phone(problems, "absence_contact", ascii_phone(draft.contact), required=True)
    check_text(problems, "absence_reason", draft.reason, required=False, max_length=REASON_MAX)
    if draft.until is None:
        problems.append(FieldProblem("absence_until", "problem.required"))
    elif draft.until <= desk.now():
        problems.append(FieldProblem("absence_until", "absence.until_past"))
    elif (longest := _longest(desk)) is not None and draft.until > desk.now().add(hours=longest):
        rules = desk.profile.roster
        problems.append(FieldProblem("absence_until", "roster.absence_too_long", hours=longest,
                                     cite=rules.leader_away_cite if rules else ""))  # fmt: skip
    if problems:
        raise ValidationFailed(problems)


def _stand_in(session: Session, desk: Desk, name: str, leader: Person) -> Person:
    """A leader of the same level (art. 12(5)), eligible (art. 6), not the one going away."""
    person = person_named(session, name.strip())
    if person is None:
        raise DutyError("people.unknown", name=name)
    if person.id == leader.id:
        raise DutyError("absence.stands_in_self", name=person.name)
    if person.role != "leader":
        raise DutyError("absence.stands_in_not_leader", name=person.name, cite=STANDS_IN_CITE)
    reasons = ineligibilities(person, desk.profile.eligibility, desk.now().date())
    if reasons:
        raise DutyError(reasons[0].key, name=person.name, cite=reasons[0].cite)
    return person


def record_absence(desk: Desk, draft: AbsenceDraft, recorder: Person) -> LeaderAway:
    """The shift on duty's leader away from now until `draft.until`. Refused (nothing written)
    with no shift open, a shift without a leader, or a stand-in who is not an eligible leader."""
    _check_draft(desk, draft)
    until = draft.until
    assert until is not None  # checked

    def _save() -> LeaderAway:
        with write_session(desk.engine) as session:
            shift, leader = _shift_leader(session, desk)
            stands_in = _stand_in(session, desk, draft.stands_in, leader)
            absence = LeaderAbsence(
                shift_id=shift.id,  # type: ignore[arg-type]  # a stored row has its id
                leader_id=leader.id,  # type: ignore[arg-type]
                stands_in_id=stands_in.id,  # type: ignore[arg-type]
                whereabouts=draft.whereabouts.strip(),
                contact=ascii_phone(draft.contact).strip(),
                reason=draft.reason.strip(),
                starts_at=desk.now(),
                until=until,
                recorded_by_id=recorder.id,  # type: ignore[arg-type]
                recorded_at=desk.now(),
            )
            session.add(absence)
            session.flush()
            assert absence.id is not None
            audit.append(session, "leader_absence", absence.id, desk.now())
            return _away(session, absence)

    return with_lock_retry(_save, desk.path)


def record_return(desk: Desk, recorder: Person) -> LeaderAway:
    """The shift leader back at the post: the absence in force ends now. Refused when the
    leader is not recorded as away."""

    def _save() -> LeaderAway:
        with write_session(desk.engine) as session:
            shift, _leader = _shift_leader(session, desk)
            away = absence_in_force(session, shift, desk.now())
            if away is None:
                raise DutyError("absence.not_away")
            back = LeaderReturn(
                absence_id=away.absence_id,
                returned_at=desk.now(),
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                recorded_at=desk.now(),
            )
            session.add(back)
            session.flush()
            assert back.id is not None
            audit.append(session, "leader_return", back.id, desk.now())
            return away

    return with_lock_retry(_save, desk.path)


def absence_in_force(session: Session, shift: Shift, at: DateTime) -> LeaderAway | None:
    """The shift leader's latest absence that holds `at`: started, not past its `until` and
    not ended by a return (a later entry for the same leader takes over from an earlier)."""
    if shift.leader_id is None:
        return None
    returned = select(LeaderReturn.absence_id)
    latest = session.exec(
        select(LeaderAbsence)
        .where(LeaderAbsence.leader_id == shift.leader_id, col(LeaderAbsence.starts_at) <= at)
        .order_by(col(LeaderAbsence.id).desc())
        .limit(1)
    ).first()
    if latest is None or latest.until <= at:
        return None
    if session.exec(returned.where(LeaderReturn.absence_id == latest.id)).first() is not None:
        return None
    return _away(session, latest)


def leader_whereabouts(desk: Desk) -> LeaderAway | None:
    """The shift on duty's leader, if recorded as away now (None: at the post, or no leader)."""
    with read_session(desk.engine) as session:
        shift = shift_covering(session, desk.now())
        return absence_in_force(session, shift, desk.now()) if shift is not None else None


def _away(session: Session, absence: LeaderAbsence) -> LeaderAway:
    leader = session.get(Person, absence.leader_id)
    stands_in = session.get(Person, absence.stands_in_id)
    assert leader is not None and stands_in is not None and absence.id is not None
    return LeaderAway(
        absence_id=absence.id,
        leader=leader.name,
        stands_in=stands_in.name,
        whereabouts=absence.whereabouts,
        contact=absence.contact,
        reason=absence.reason,
        starts_at=absence.starts_at,
        until=absence.until,
    )


def parse_until(desk: Desk, text: str) -> DateTime:
    """`until` as typed: a full time, or a time of day, which is the next such time ahead of
    now (at 22:00, "08:30" is tomorrow morning's)."""
    from dutydesk.services.core.timeparse import parse_time

    now = desk.now()
    typed = parse_time(text, desk.timezone, now)
    if typed > now:
        return typed
    tomorrows = parse_time(text, desk.timezone, now.add(days=1))
    return tomorrows if tomorrows != typed and tomorrows > now else typed


def describe_away(desk: Desk, away: LeaderAway, key: str = "header.leader_away") -> str:
    """An absence as one line of `key` (header.leader_away, absence.recorded): its end as a
    time of day when it is today, else with the date, and the year when it is not this year."""
    until = away.until.in_timezone(desk.timezone)
    today = desk.now().in_timezone(desk.timezone).date()
    if until.date() == today:
        shown = until.format("HH:mm")
    else:
        shown = until.format("MM-DD HH:mm" if until.year == today.year else "YYYY-MM-DD HH:mm")
    return t(key, leader=away.leader, whereabouts=away.whereabouts, contact=away.contact,
             until=shown, stands_in=away.stands_in)  # fmt: skip
