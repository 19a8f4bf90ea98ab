"""Administrators (管理员) and their authority over the people register.

Adding a person (with their role and eligibility), setting someone's first PIN and replacing a
forgotten one are done only on the authority of an administrator who has just typed their PIN
(`authorise`). Each such act is a chained, append-only PersonAct row naming who authorised it.
The register's first administrator is made at `init` (and an administrator's PIN at a restore,
since an archive holds no PINs): those two acts name nobody, and are refused once an
administrator exists (for a restore: once that administrator has a PIN)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import col, func, select

from dutydesk.errors import DutyError
from dutydesk.models import Person, PersonAct, PersonActKind, Role
from dutydesk.services.core import audit

if TYPE_CHECKING:
    from pendulum import DateTime
    from sqlmodel import Session

    from dutydesk.clock import Clock
    from dutydesk.services.core import Desk

_SEAL = object()  # only this module makes an Authority


@dataclass(frozen=True)
class Authority:
    """An administrator's PIN checked just now on one register; required by every act that
    changes who may sign. `admin_id` None is the bootstrap grant (first administrator at init,
    an administrator's PIN at a restore), which `record_act` accepts only while no
    administrator can act."""

    admin_id: int | None
    admin_name: str | None
    register: Path
    at: DateTime
    seal: object = field(default=None, repr=False, compare=False)


def authorise(desk: Desk, admin_name: str, pin: str) -> Authority:
    """The authority of `admin_name`, who must be an administrator, on their PIN. A wrong PIN
    is recorded and counts towards that administrator's lockout."""
    from dutydesk.services.roster.people import find_person
    from dutydesk.services.roster.pins import PURPOSE_AUTHORISE, verify_pin

    person = find_person(desk, admin_name)  # as typed: trimmed and NFC, like every lookup
    if person.role != Role.admin.value:
        raise DutyError("authority.not_admin", name=person.name)
    signed = verify_pin(desk, person.name, pin, purpose=PURPOSE_AUTHORISE)
    return Authority(signed.person.id, signed.name, _register(desk), signed.at, _SEAL)


def bootstrap(desk: Desk) -> Authority:
    """The grant that makes the first administrator (init) or gives an administrator a PIN
    in a register restored from an archive: checked by `record_act` when used."""
    return Authority(None, None, _register(desk), desk.now(), _SEAL)


def _register(desk: Desk) -> Path:
    return Path(desk.path).resolve()


def check(desk: Desk, authority: Authority | None) -> Authority:
    """Refuse a missing, forged or foreign authority (before anything is written)."""
    if authority is None:
        raise DutyError("authority.needed")
    if (
        not isinstance(authority, Authority)
        or authority.seal is not _SEAL
        or authority.register != _register(desk)
    ):
        raise DutyError("authority.invalid")
    return authority


def has_admin(session: Session) -> bool:
    query = select(func.count()).select_from(Person).where(Person.role == Role.admin.value)
    return bool(session.exec(query).one())


def record_act(
    session: Session,
    desk: Desk,
    person: Person,
    kind: PersonActKind,
    authority: Authority,
    detail: dict[str, Any] | None = None,
) -> PersonAct:
    """Write the act, chained, in the caller's transaction. A bootstrap grant is accepted for
    the first administrator only while the register has no other one, and for an
    administrator's PIN only in a register with no PIN in force (a restored one)."""
    check(desk, authority)
    assert person.id is not None
    if authority.admin_id is None:
        kind = _bootstrap_kind(session, person, kind)
    else:
        admin = session.get(Person, authority.admin_id)
        if admin is None or admin.role != Role.admin.value:
            raise DutyError("authority.invalid")
    now = desk.now()
    act = PersonAct(
        person_id=person.id,
        kind=kind.value,
        authorised_by_id=authority.admin_id,
        detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        at=now,
    )
    session.add(act)
    session.flush()
    assert act.id is not None
    audit.append(session, "person_act", act.id, now)
    return act


def _bootstrap_kind(session: Session, person: Person, kind: PersonActKind) -> PersonActKind:
    """What a bootstrap grant may do, and the act it is recorded as: make the first
    administrator; give that only administrator a PIN; or, in a register restored from an
    archive while nobody has a PIN, give an administrator one."""
    from dutydesk.services.core import restored_without_pins

    if person.role != Role.admin.value:
        raise DutyError("authority.needed")
    others = (
        select(func.count())
        .select_from(Person)
        .where(Person.role == Role.admin.value, Person.id != person.id)
    )
    alone = not session.exec(others).one()
    if kind is PersonActKind.first_admin:
        if not alone:
            raise DutyError("authority.admin_exists")
        return kind
    if restored_without_pins(session):
        return PersonActKind.restored_admin
    if alone and kind is PersonActKind.first_pin:
        return kind
    raise DutyError("authority.needed")


@dataclass(frozen=True)
class ActView:
    kind: str
    person: str
    authorised_by: str | None
    at: DateTime
    detail: dict[str, Any]


def list_acts(desk: Desk) -> list[ActView]:
    from sqlalchemy.orm import aliased

    from dutydesk.db import read_session

    admin = aliased(Person)
    with read_session(desk.engine) as session:
        rows = session.exec(
            select(PersonAct, Person.name, admin.name)
            .join(Person, col(Person.id) == PersonAct.person_id)
            .outerjoin(admin, col(admin.id) == PersonAct.authorised_by_id)
            .order_by(col(PersonAct.id))
        ).all()
    return [
        ActView(act.kind, name, by, act.at, json.loads(act.detail or "{}"))
        for act, name, by in rows
    ]


def create_first_admin(desk: Desk, name: str, pin: str, again: str) -> Person:
    """The register's first administrator, with their PIN (init; or a register upgraded from a
    version without administrators). Refused once an administrator exists."""
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.pins import check_new_pin, set_pin

    check_new_pin(pin, again)  # before anything is written
    person, _ = add_person(desk, name, Role.admin.value, authority=bootstrap(desk))
    set_pin(desk, name, pin, again, authority=bootstrap(desk))
    return person


def restore_admin_pin(desk: Desk, name: str, pin: str, again: str) -> None:
    """An administrator's PIN in a register restored from an archive (which holds no PINs):
    the way in for resetting everyone else's. Refused once anyone has a PIN again."""
    from dutydesk.db import read_session
    from dutydesk.services.core import restored_without_pins
    from dutydesk.services.roster.people import find_person
    from dutydesk.services.roster.pins import set_pin

    person = find_person(desk, name)
    if person.role != Role.admin.value:
        raise DutyError("authority.not_admin", name=person.name)
    with read_session(desk.engine) as session:
        if not restored_without_pins(session):  # a chained restore record, no PIN since
            raise DutyError("authority.restored_only")
    set_pin(desk, person.name, pin, again, authority=bootstrap(desk))


def first_admin_missing(desk: Desk) -> bool:
    """A register without any administrator (one upgraded from before administrators)."""
    from dutydesk.db import read_session

    with read_session(desk.engine) as session:
        return not has_admin(session)


def init_with_admin(
    path: Path,
    office: str,
    profile: str,
    admin: str,
    pin: str,
    again: str,
    clock: Clock | None = None,
) -> Desk:
    """A new register with its first administrator; nothing is left behind if either fails
    (the PIN is checked before the file is made)."""
    from dutydesk.services.core.desk import _remove_partial, init_database
    from dutydesk.services.roster.pins import check_new_pin

    check_new_pin(pin, again)
    desk = init_database(path, office, profile, clock)
    try:
        create_first_admin(desk, admin, pin, again)
    except BaseException:
        desk.close()
        _remove_partial(path)
        raise
    return desk
