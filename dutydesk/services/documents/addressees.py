"""Who an order may be dispatched to (district flow chart: the 辖区政府值班室 and the 分管领导):
a unit is one of the units register (active) or of the phone list (a unit's duty phone or an
upper office); a leader is a leader or director of the people register, or a principal (负责人)
of the phone list. Anyone else is refused, naming the registers looked in; the dispatch form
completes the names from the same lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.models import Contact, Person, SpotcheckUnit, SpotcheckUnitStatus

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

LEADER_ROLES = ("leader", "director")
CONTACT_KINDS = {"unit": ("unit", "upper"), "leader": ("principal",)}


def _active_units(session: Session) -> list[str]:
    latest: dict[int, bool] = {}
    for status in session.exec(select(SpotcheckUnitStatus).order_by(col(SpotcheckUnitStatus.id))):
        latest[status.unit_id] = status.active
    return [
        unit.name
        for unit in session.exec(select(SpotcheckUnit))
        if latest.get(unit.id, unit.active)  # type: ignore[arg-type]  # a stored row has its id
    ]


def _contact_names(session: Session, kinds: tuple[str, ...]) -> list[str]:
    replaced = select(Contact.replaces_id).where(col(Contact.replaces_id).is_not(None))
    statement = select(Contact.name).where(
        col(Contact.id).not_in(replaced), col(Contact.withdrawn).is_(False),
        col(Contact.kind).in_(kinds),
    )  # fmt: skip
    return list(session.exec(statement))


def _leaders(session: Session) -> list[str]:
    return list(session.exec(select(Person.name).where(col(Person.role).in_(LEADER_ROLES))))


def known_addressees(session: Session, kind: str) -> list[str]:
    """The names an order may go to as `kind` ("unit" or "leader"), sorted, without repeats."""
    names = _contact_names(session, CONTACT_KINDS.get(kind, ()))
    if kind == "unit":
        names += _active_units(session)
    elif kind == "leader":
        names += _leaders(session)
    return sorted(set(names))


def addressee_names(desk: Desk, kind: str) -> list[str]:
    """For the dispatch form's completion (read in a worker thread)."""
    with read_session(desk.engine) as session:
        return known_addressees(session, kind)


def refuse_unknown_addressee(session: Session, name: str, kind: str) -> None:
    """A unit or leader found in none of the registers is refused, naming them."""
    if name in known_addressees(session, kind):
        return
    raise DutyError(f"order.unknown_{kind}", addressee=name)
