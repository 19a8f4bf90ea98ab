"""The people registry (值班人员) and their eligibility to sit a shift (Tianjin art. 6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.i18n import t
from dutydesk.models import Person, PersonActKind, Role
from dutydesk.services.core import audit, check_choice, check_name, lookup_name, name_key
from dutydesk.services.roster.authority import check as check_authority
from dutydesk.services.roster.authority import record_act

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.profiles import Eligibility
    from dutydesk.services.core import Desk
    from dutydesk.services.roster.authority import Authority

ROLES = tuple(role.value for role in Role)


@dataclass(frozen=True)
class Ineligibility:
    """Why someone may not sit a shift; `key` is a catalogue key, `cite` the article."""

    key: str
    cite: str


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def ineligibilities(person: Person, rules: Eligibility, today: date) -> list[Ineligibility]:
    reasons: list[Ineligibility] = []
    if rules.staff_only and not person.staff:
        reasons.append(Ineligibility("eligibility.non_staff", rules.cite))
    if rules.min_months_in_post and (
        person.in_post_since is None
        or months_between(person.in_post_since, today) < rules.min_months_in_post
    ):
        reasons.append(
            Ineligibility("eligibility.new_in_post", rules.cite),
        )
    if rules.training_required and not person.trained:
        reasons.append(Ineligibility("eligibility.untrained", rules.cite))
    return reasons


def add_person(
    desk: Desk,
    name: str,
    role: str,
    *,
    staff: bool = True,
    in_post_since: date | None = None,
    trained: bool = True,
    authority: Authority,
) -> tuple[Person, list[Ineligibility]]:
    """Enter a person in the register on an administrator's authority (services/authority.py),
    recorded as their act; the first administrator on the bootstrap grant of init."""
    problems: list[FieldProblem] = []
    check_name(problems, "name", name, required=True, max_length=50, person=True)
    check_choice(problems, "role", role, ROLES)
    today = desk.now().date()
    if in_post_since is not None and in_post_since > today:
        problems.append(FieldProblem("in_post_since", "problem.in_future"))
    if problems:
        raise ValidationFailed(problems)
    check_authority(desk, authority)

    def _save() -> Person:
        with write_session(desk.engine) as session:
            refuse_same_name(session, name)
            person = Person(
                name=name,
                role=role,
                staff=staff,
                in_post_since=in_post_since,
                trained=trained,
                created_at=desk.now(),
            )
            session.add(person)
            session.flush()
            assert person.id is not None
            audit.append(session, "person", person.id, desk.now())
            _record_addition(session, desk, person, authority)
            return person

    person = with_lock_retry(_save, desk.path)
    return person, ineligibilities(person, desk.profile.eligibility, today)


def _record_addition(session: Session, desk: Desk, person: Person, authority: Authority) -> None:
    kind = PersonActKind.added if authority.admin_id is not None else PersonActKind.first_admin
    detail = {
        "role": person.role,
        "staff": person.staff,
        "in_post_since": person.in_post_since.isoformat() if person.in_post_since else None,
        "trained": person.trained,
    }
    record_act(session, desk, person, kind, authority, detail)


def refuse_same_name(session: Session, name: str) -> None:
    """Refuse a name already in the list, or one a reader could not tell from one that is
    (the same once spaces, invisible characters, width and case are ignored, and Cyrillic or
    Greek letters drawn like Latin ones read as those: validation.name_key)."""
    if session.exec(select(Person).where(Person.name == name)).first():
        raise DutyError("people.exists", name=name)
    key = name_key(name)
    for existing in session.exec(select(Person.name)):
        if name_key(existing) == key:
            raise DutyError("people_check.lookalike", name=name, existing=existing)


def list_people(desk: Desk) -> list[Person]:
    with read_session(desk.engine) as session:
        return list(session.exec(select(Person).order_by(col(Person.role), col(Person.name))))


def person_named(session: Session, name: str) -> Person | None:
    """The person a typed name means: as clean names are stored (NFC, no edge spaces), else
    exactly as typed (a name stored before names were checked)."""
    for wanted in dict.fromkeys((lookup_name(name), name)):
        person = session.exec(select(Person).where(Person.name == wanted)).first()
        if person is not None:
            return person
    return None


def find_person(desk: Desk, name: str) -> Person:
    with read_session(desk.engine) as session:
        person = person_named(session, name)
    if person is None:
        raise DutyError("people.unknown", name=name)
    return person


def person_to_json(person: Person, desk: Desk) -> dict[str, object]:
    from dutydesk.services.roster.pins import has_pin

    reasons = ineligibilities(person, desk.profile.eligibility, desk.now().date())
    return {
        "name": person.name,
        "role": person.role,
        "staff": person.staff,
        "in_post_since": person.in_post_since.isoformat() if person.in_post_since else None,
        "trained": person.trained,
        "eligible": not reasons,
        "ineligible_because": [reason.key.split(".", 1)[1] for reason in reasons],
        "pin_set": has_pin(desk, person.name),
    }


def on_current_shift(desk: Desk, person: Person) -> Person:
    """`person`, if they are on the shift open now (officer, second officer, leader or standby):
    only they may record under their own name (`--as`); anyone else is refused, saying who is on
    the shift."""
    from dutydesk.services.roster.shifts import current_shift, second_officer_id

    shift = current_shift(desk)
    if shift is None:
        raise DutyError("people.as_no_shift", name=person.name)
    with read_session(desk.engine) as session:
        second = second_officer_id(session, shift.id)
    crew = {"officer": shift.officer_id, "second_officer": second, "leader": shift.leader_id,
            "standby": shift.standby_id}  # fmt: skip
    if person.id in crew.values():
        return person
    with read_session(desk.engine) as session:
        names = {
            role: session.get(Person, person_id).name  # type: ignore[union-attr]  # the crew's people exist
            for role, person_id in crew.items()
            if person_id is not None
        }
    raise DutyError(
        "people.as_not_on_shift",
        name=person.name,
        crew="、".join(f"{t('role.' + role)} {who}" for role, who in names.items()),
    )
