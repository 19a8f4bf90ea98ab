"""Orders (应急指令) after the district flow chart (一般突发事件信息处理流程): the standby drafts
the event's type, level and instruction from an incident (拟办); the confirming officer named by
the profile (the district: 区应急办主任) confirms it with their PIN or sends it back with a
note (审核); the confirmed instruction is dispatched to named units and leaders, each with its
channel and time (交办); follow-up entries (督办) until each addressee has reported back. Every
step is a new chained row; nothing is written when a step is refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.i18n import t
from dutydesk.models import (
    AddresseeKind,
    DutyOrder,
    Incident,
    OrderDecision,
    OrderDecisionKind,
    OrderDispatch,
    OrderFollowUp,
    Person,
)
from dutydesk.services.core import check_choice, check_name, check_text
from dutydesk.services.documents.addressees import refuse_unknown_addressee
from dutydesk.services.incidents import parse_level, parse_type
from dutydesk.services.incidents.incident_common import add_row, check_time, raise_if, shift_at

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

PURPOSE_CONFIRM = "order_confirm"  # a PIN attempt made to decide on an order
ADDRESSEE_KINDS = tuple(kind.value for kind in AddresseeKind)


@dataclass(frozen=True)
class OrderDraft:
    """What the standby typed: type and level as the officer writes them (事故灾难, 较大, Ⅲ…)."""

    incident_id: int
    event_type: str
    level: str
    instruction: str
    revises_id: int | None = None  # the order sent back that this draft replaces


def _refuse_bad_revision(session: Session, draft: OrderDraft) -> None:
    if draft.revises_id is None:
        return
    earlier = session.get(DutyOrder, draft.revises_id)
    if earlier is None:
        raise DutyError("order.unknown", id=draft.revises_id)
    if earlier.incident_id != draft.incident_id:
        raise DutyError("order.revises_other_incident", id=draft.revises_id)
    decision = _decision(session, earlier.id)  # type: ignore[arg-type]  # a stored row has its id
    if decision is None or decision.decision != OrderDecisionKind.returned.value:
        raise DutyError("order.revises_not_returned", id=draft.revises_id)
    replaced = session.exec(select(DutyOrder).where(DutyOrder.revises_id == earlier.id)).first()
    if replaced is not None:
        raise DutyError("order.revised_already", id=earlier.id, by=replaced.id)


def draft_order(desk: Desk, recorder: Person, draft: OrderDraft) -> DutyOrder:
    """Record the standby's draft (拟办) of an order for an incident."""
    problems: list[FieldProblem] = []
    event_type, level = _parsed(problems, draft)
    check_text(problems, "order_instruction", draft.instruction, required=True, max_length=4000,
               multiline=True)  # fmt: skip
    raise_if(problems)

    def _save() -> DutyOrder:
        with write_session(desk.engine) as session:
            if session.get(Incident, draft.incident_id) is None:
                raise DutyError("incident.unknown", id=draft.incident_id)
            _refuse_bad_revision(session, draft)
            now = desk.now()
            shift = shift_at(session, now)
            order = DutyOrder(
                incident_id=draft.incident_id,
                event_type=event_type,
                level=level,
                instruction=draft.instruction.strip(),
                revises_id=draft.revises_id,
                drafted_at=now,
                drafted_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                shift_id=shift.id if shift else None,
            )
            return add_row(session, desk, order, "duty_order")

    return with_lock_retry(_save, desk.path)


def _parsed(problems: list[FieldProblem], draft: OrderDraft) -> tuple[str, str]:
    event_type = level = ""
    try:
        event_type = parse_type(draft.event_type)
    except DutyError:
        problems.append(FieldProblem("order_type", "order_problem.bad_type"))
    try:
        level = parse_level(draft.level)
    except DutyError:
        problems.append(FieldProblem("order_level", "order_problem.bad_level"))
    return event_type, level


def _decision(session: Session, order_id: int) -> OrderDecision | None:
    return session.exec(select(OrderDecision).where(OrderDecision.order_id == order_id)).first()


def _confirmer(desk: Desk, name: str, pin: str, drafter_id: int) -> Person:
    """The confirming officer, on their PIN: refused unless they hold the profile's role and
    did not draft the order themselves (QA: a leader drafting and confirming alone)."""
    from dutydesk.services.roster import find_person, verify_pin

    role = desk.profile.orders.confirm_role
    person = find_person(desk, name)
    if person.id == drafter_id:
        raise DutyError("order.self_confirm", name=person.name)
    if person.role != role:
        raise DutyError("order.not_confirmer", name=person.name, role=t(f"role.{role}"),
                        cite=desk.profile.orders.confirm_cite)  # fmt: skip
    if not pin:
        raise DutyError("order.pin_needed", name=person.name)
    return verify_pin(desk, person.name, pin, purpose=PURPOSE_CONFIRM).person


def decide_order(
    desk: Desk,
    order_id: int,
    recorder: Person,
    *,
    confirmer: str,
    pin: str,
    confirm: bool,
    note: str = "",
) -> OrderDecision:
    """The confirming officer's decision: confirm (审核确定), or send back with a note (退回)."""
    problems: list[FieldProblem] = []
    check_name(problems, "order_confirmer", confirmer, required=True, max_length=50)
    check_text(problems, "order_note", note, required=not confirm, max_length=1000,
               multiline=True)  # fmt: skip
    raise_if(problems)
    drafter_id = _open_order(desk, order_id)  # refused before a PIN attempt is spent on it
    person = _confirmer(desk, confirmer, pin, drafter_id)

    def _save() -> OrderDecision:
        with write_session(desk.engine) as session:
            _undecided(session, order_id)
            kind = OrderDecisionKind.confirmed if confirm else OrderDecisionKind.returned
            decision = OrderDecision(
                order_id=order_id,
                decision=kind.value,
                note=note.strip(),
                decided_by_id=person.id,  # type: ignore[arg-type]  # a stored row has its id
                decided_at=desk.now(),
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            return add_row(session, desk, decision, "order_decision")

    return with_lock_retry(_save, desk.path)


def _open_order(desk: Desk, order_id: int) -> int:
    """Who drafted the order, which is still undecided."""
    from dutydesk.db import read_session

    with read_session(desk.engine) as session:
        return _undecided(session, order_id).drafted_by_id


def _undecided(session: Session, order_id: int) -> DutyOrder:
    order = session.get(DutyOrder, order_id)
    if order is None:
        raise DutyError("order.unknown", id=order_id)
    decision = _decision(session, order_id)
    if decision is not None:
        raise DutyError(f"order.already_{decision.decision}", id=order_id)
    return order


def _confirmed(session: Session, order_id: int) -> tuple[DutyOrder, OrderDecision]:
    order = session.get(DutyOrder, order_id)
    if order is None:
        raise DutyError("order.unknown", id=order_id)
    decision = _decision(session, order_id)
    if decision is None:
        raise DutyError("order.not_confirmed", id=order_id)
    if decision.decision != OrderDecisionKind.confirmed.value:
        raise DutyError("order.was_returned", id=order_id)
    return order, decision


def dispatch_order(
    desk: Desk,
    order_id: int,
    recorder: Person,
    *,
    addressee: str,
    kind: str,
    channel: str,
    at: DateTime | None = None,
) -> OrderDispatch:
    """Record the confirmed instruction passed to one addressee (交办): refused before it is
    confirmed, a second time to the same addressee, and to a unit or leader no register knows
    (addressees.py)."""
    when = at or desk.now()
    problems: list[FieldProblem] = []
    check_name(problems, "order_addressee", addressee, required=True, max_length=100)
    check_choice(problems, "order_addressee_kind", kind, ADDRESSEE_KINDS)
    check_choice(problems, "order_channel", channel, desk.profile.orders.channels)
    check_time(problems, desk, "order_dispatched_at", when)
    raise_if(problems)

    def _save() -> OrderDispatch:
        with write_session(desk.engine) as session:
            _order, decision = _confirmed(session, order_id)
            problems: list[FieldProblem] = []
            check_time(problems, desk, "order_dispatched_at", when,
                       not_before=decision.decided_at, not_before_field="order_decided_at")  # fmt: skip
            raise_if(problems)
            name = addressee.strip()
            refuse_unknown_addressee(session, name, kind)
            same = select(OrderDispatch).where(
                OrderDispatch.order_id == order_id, OrderDispatch.addressee == name
            )
            if session.exec(same).first() is not None:
                raise DutyError("order.dispatched_already", id=order_id, addressee=name)
            row = OrderDispatch(
                order_id=order_id,
                addressee=name,
                addressee_kind=kind,
                channel=channel,
                dispatched_at=when,
                recorded_at=desk.now(),
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            return add_row(session, desk, row, "order_dispatch")

    return with_lock_retry(_save, desk.path)


def follow_up_order(
    desk: Desk,
    dispatch_id: int,
    recorder: Person,
    *,
    text: str,
    reported_back: bool,
    at: DateTime | None = None,
) -> OrderFollowUp:
    """A follow-up entry (督办) on one dispatch; `reported_back` records the addressee's report
    (反馈), after which the dispatch takes no more entries."""
    when = at or desk.now()
    problems: list[FieldProblem] = []
    check_text(problems, "order_follow_up", text, required=True, max_length=2000, multiline=True)
    check_time(problems, desk, "order_followed_at", when)
    raise_if(problems)

    def _save() -> OrderFollowUp:
        with write_session(desk.engine) as session:
            dispatch = session.get(OrderDispatch, dispatch_id)
            if dispatch is None:
                raise DutyError("order.unknown_dispatch", id=dispatch_id)
            problems: list[FieldProblem] = []
            check_time(problems, desk, "order_followed_at", when,
                       not_before=dispatch.dispatched_at,
                       not_before_field="order_dispatched_at")  # fmt: skip
            raise_if(problems)
            done = select(OrderFollowUp).where(
                OrderFollowUp.dispatch_id == dispatch_id, col(OrderFollowUp.reported_back)
            )
            if session.exec(done).first() is not None:
                raise DutyError("order.reported_already", id=dispatch_id,
                                addressee=dispatch.addressee)  # fmt: skip
            row = OrderFollowUp(
                dispatch_id=dispatch_id,
                text=text.strip(),
                reported_back=reported_back,
                at=when,
                recorded_at=desk.now(),
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            return add_row(session, desk, row, "order_follow_up")

    return with_lock_retry(_save, desk.path)
