"""The handover (交接班): ticking the checklist, then the two-person sign-off on one terminal
(Henan 6(2), Tianjin art. 14), optionally acknowledged by the shift leader.

Sign-off closes the outgoing shift (a ShiftClosure row), opens the incoming officer's shift, and
passes every open pending item and report deadline to it (CarryOver rows), all in one
transaction. The archive is written afterwards (services/export.py): if that fails, the
sign-off stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.models import (
    CarryOver,
    Handover,
    HandoverMark,
    HandoverSignature,
    Person,
    Shift,
    ShiftClosure,
)
from dutydesk.models.types import to_storage
from dutydesk.services.core import audit, check_text, record_time_problem, typed_key
from dutydesk.services.handover.handover_checklist import (
    ALLOWED,
    CLEAR,
    INCOMING_KINDS,
    INCOMING_STATES,
    NEEDS_NOTE,
    Checklist,
    build_checklist,
    checklist_to_json,
    dumps,
)
from dutydesk.services.handover.pending import carry_device_faults
from dutydesk.services.handover.signers import check_distinct_signers, check_outgoing_second
from dutydesk.services.roster import (
    SignIn,
    find_person,
    incoming_window,
    ineligibilities,
    insert_shift,
    open_shift_to_hand_over,
    refuse_administrator,
    refuse_two_roles,
    second_officer_id,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

NOTE_MAX = 4000
BLOCKED_SHOWN = 3  # open items named in a refused sign-off; the rest are counted


def mark(
    desk: Desk, key: str, state: str, note: str = "", at: DateTime | None = None
) -> HandoverMark:
    """Tick one checklist item of the open shift. "not done" and "fault" need a note; the
    summary needs its text; the arrival time is `at` (default now)."""
    checklist = build_checklist(desk)
    item = checklist.item(key)
    if item is None or item.kind == "info" or (item.kind == "quota" and item.state != "open"):
        raise DutyError("handover.unknown_item", item=key)
    allowed = (*ALLOWED[item.kind], CLEAR)
    if state not in allowed:
        raise DutyError(
            "handover.bad_state", item=item.short_label(), state=state, choices=", ".join(allowed)
        )
    problems: list[FieldProblem] = []
    check_text(problems, "handover_note", note, required=False, max_length=NOTE_MAX,
               multiline=True)  # fmt: skip
    if problems:
        raise ValidationFailed(problems)
    note = note.strip()
    if not note and (state in NEEDS_NOTE or (item.kind == "text" and state == "done")):
        raise DutyError(f"handover.note_needed_{state}", item=item.short_label())
    now = desk.now()
    value = None
    if item.kind == "arrival" and state == "done":
        arrived = at or now
        problem = record_time_problem(desk, arrived)
        if problem is not None and problem[0] == "problem.in_future":
            raise DutyError("handover.arrival_in_future")
        if problem is not None:
            shown = arrived.format("YYYY-MM-DD HH:mm")  # in its own zone: it may be out of range
            raise DutyError(typed_key(problem[0]), value=shown, **problem[1])
        value = to_storage(arrived)
    role = "incoming" if state in INCOMING_STATES or item.kind in INCOMING_KINDS else "outgoing"
    shift_id = checklist.shift.id
    assert shift_id is not None

    def _save() -> HandoverMark:
        with write_session(desk.engine) as session:
            if session.exec(select(ShiftClosure).where(ShiftClosure.shift_id == shift_id)).first():
                raise DutyError("handover.already_signed")
            row = HandoverMark(shift_id=shift_id, item=key, state=state, note=note,
                               value=value, role=role, at=now)  # fmt: skip
            session.add(row)
            session.flush()
            assert row.id is not None
            audit.append(session, "handover_mark", row.id, now)
            return row

    return with_lock_retry(_save, desk.path)


def _on_shift(desk: Desk, person: Person, shift: Shift) -> bool:
    with read_session(desk.engine) as session:
        second = second_officer_id(session, shift.id)
    return person.id in (shift.officer_id, second, shift.leader_id, shift.standby_id)


def check_second_signers(
    desk: Desk, outgoing: str, second: str | None, incoming_second: str | None
) -> int | None:
    """Where the profile requires two officers per shift (Henan 三(一) 双人专职), both outgoing
    officers sign, and the incoming shift's second officer signs with the incoming officer.
    Returns the incoming second officer's id (None where one officer sits a shift). Checked by
    name, before any PIN is asked."""
    rules = desk.profile.shifts
    if rules.officers == 1:
        if second or incoming_second:
            raise DutyError("handover.second_signer_not_needed")
        return None
    if not incoming_second:
        raise DutyError("handover.second_signer_needed", cite=rules.officers_cite)
    check_outgoing_second(desk, outgoing, second)
    person = check_incoming(desk, incoming_second, outgoing)
    return person.id


def check_outgoing(desk: Desk, name: str) -> Person:
    """The outgoing signer must be on the shift being handed over."""
    person = find_person(desk, name)
    if not _on_shift(desk, person, open_shift_to_hand_over(desk)):
        raise DutyError("handover.not_on_shift", name=name)
    return person


def check_incoming(desk: Desk, name: str, outgoing: str) -> Person:
    """The incoming officer: someone else, and eligible to take over (Tianjin art. 6)."""
    person = find_person(desk, name)
    if name == outgoing:
        raise DutyError("handover.same_person", name=name)
    refuse_administrator(person, "officer")
    reasons = ineligibilities(person, desk.profile.eligibility, desk.now().date())
    if reasons:
        reason = reasons[0]
        raise DutyError(
            "handover.ineligible", name=name, reason=DutyError(reason.key, name=name,
                                                               cite=reason.cite).message()
        )  # fmt: skip
    return person


def check_leader(desk: Desk, name: str, signers: tuple[str, ...]) -> Person:
    """The shift leader's acknowledgement (Henan 6(2)): a leader, not one of the two signers."""
    person = find_person(desk, name)
    if name in signers:
        raise DutyError("handover.leader_is_signer", name=name)
    if person.role != "leader":
        raise DutyError("handover.not_a_leader", name=name)
    return person


def check_ready(desk: Desk) -> Checklist:
    checklist = build_checklist(desk)
    if not checklist.ready:
        raise DutyError(
            "handover.blocked",
            count=len(checklist.blocking),
            items=_first_few([item.short_label() for item in checklist.blocking]),
        )
    return checklist


def _first_few(labels: list[str]) -> str:
    """At most BLOCKED_SHOWN labels, then "…等N项": the refusal must not push the checklist off
    the screen when dozens of items are open."""
    from dutydesk.i18n import t

    if len(labels) <= BLOCKED_SHOWN:
        return t_join(labels)
    return t("handover.blocked_more", items=t_join(labels[:BLOCKED_SHOWN]), count=len(labels))


def t_join(labels: list[str]) -> str:
    from dutydesk.i18n import t

    # a label that ends a sentence (a pending item's text) loses its stop before the separator
    return t("error.separator").join(label.rstrip("。.") for label in labels)


@dataclass(frozen=True)
class SignedHandover:
    handover: Handover
    outgoing_shift: Shift
    incoming_shift: Shift
    carried_pending: int
    carried_deadlines: int


def sign_off(
    desk: Desk,
    outgoing: SignIn,
    incoming: SignIn,
    leader: SignIn | None = None,
    standby: str | None = None,
    *,
    outgoing_second: SignIn | None = None,
    incoming_second: SignIn | None = None,
) -> SignedHandover:
    """Both signatures (four where the profile requires two officers per shift; and the
    leader's, if given) under the checklist as it stands."""
    second_id = _check_signers(desk, outgoing, incoming, leader, outgoing_second, incoming_second)
    standby_person = find_person(desk, standby) if standby else None
    checklist = check_ready(desk)
    shift = checklist.shift
    _check_incoming_crew(desk, shift, incoming, leader, standby_person, incoming_second)
    now = desk.now()
    window, starts_at = incoming_window(desk, shift, now, incoming.name)
    snapshot = dumps(checklist_to_json(checklist, desk.timezone))
    pending_ids = [int(i.key.split(":")[1]) for i in checklist.items
                   if i.section == "pending" and i.kind == "ack"]  # fmt: skip
    deadline_ids = [int(i.key.split(":")[1]) for i in checklist.items  # report deadlines only:
                    if i.section == "deadlines" and i.key.split(":")[1].isdigit()]  # fmt: skip
    faults = [(i.key, i.note) for i in checklist.items if i.kind == "device" and i.state == "fault"]
    leader_id = leader.person.id if leader else shift.leader_id

    def _save() -> SignedHandover:
        with write_session(desk.engine) as session:
            if session.exec(select(ShiftClosure).where(ShiftClosure.shift_id == shift.id)).first():
                raise DutyError("handover.already_signed")
            new_shift = insert_shift(
                session,
                desk,
                window,
                officer_id=incoming.person.id,  # type: ignore[arg-type]  # a stored row has its id
                leader_id=leader_id,
                standby_id=standby_person.id if standby_person else None,
                starts_at=starts_at,
                second_officer_id=second_id,
            )
            row = Handover(shift_id=shift.id, incoming_shift_id=new_shift.id,  # type: ignore[arg-type]  # a stored row has its id
                           signed_at=now, checklist=snapshot)  # fmt: skip
            _add(session, desk, row, "handover")
            assert row.id is not None
            signers = {"outgoing": outgoing, "out_second": outgoing_second,
                       "incoming": incoming, "in_second": incoming_second, "leader": leader}  # fmt: skip
            _add_signatures(session, desk, row.id, signers)
            _add(session, desk, ShiftClosure(shift_id=shift.id, handover_id=row.id,  # type: ignore[arg-type]  # a stored row has its id
                                             closed_at=now), "shift_closure")  # fmt: skip
            faulty = carry_device_faults(session, faults, by_id=outgoing.person.id,  # type: ignore[arg-type]
                                         shift_id=shift.id, at=now)  # fmt: skip
            _add_carry_overs(session, desk, row.id, new_shift.id,  # type: ignore[arg-type]  # a stored row has its id
                             (("pending", pending_ids + faulty), ("deadline", deadline_ids)))  # fmt: skip
            return SignedHandover(
                row, shift, new_shift, len(pending_ids) + len(faulty), len(deadline_ids)
            )

    return with_lock_retry(_save, desk.path)


def _check_signers(
    desk: Desk,
    outgoing: SignIn,
    incoming: SignIn,
    leader: SignIn | None,
    outgoing_second: SignIn | None,
    incoming_second: SignIn | None,
) -> int | None:
    """Every signer allowed to sign; the incoming second officer's id, if the profile needs one."""
    check_outgoing(desk, outgoing.name)
    check_incoming(desk, incoming.name, outgoing.name)
    out2, in2 = (s.name if s else None for s in (outgoing_second, incoming_second))
    check_distinct_signers(
        desk, [outgoing.name, out2, incoming.name, in2, leader.name if leader else None]
    )
    second_id = check_second_signers(desk, outgoing.name, out2, in2)
    if leader is not None:
        check_leader(desk, leader.name, (outgoing.name, incoming.name))
    return second_id


def _add_carry_overs(
    session: Session,
    desk: Desk,
    handover_id: int,
    to_shift_id: int,
    groups: tuple[tuple[str, list[int]], ...],
) -> None:
    """One CarryOver row per record, kind by kind in the order given."""
    for kind, ids in groups:
        for record_id in ids:
            _add(session, desk, CarryOver(handover_id=handover_id, kind=kind,
                                          record_id=record_id, to_shift_id=to_shift_id),
                 "carry_over")  # fmt: skip


def _add_signatures(
    session: Session, desk: Desk, handover_id: int, signers: dict[str, SignIn | None]
) -> None:
    """One signature row per signer, in the order of `signers` (the roles not signed left out)."""
    for role, sign_in in signers.items():
        if sign_in is not None:
            _add(session, desk, HandoverSignature(
                handover_id=handover_id, person_id=sign_in.person.id,  # type: ignore[arg-type]
                role=role, signed_at=sign_in.at), "handover_signature")  # fmt: skip


def _check_incoming_crew(
    desk: Desk,
    outgoing: Shift,
    incoming: SignIn,
    leader: SignIn | None,
    standby: Person | None,
    second: SignIn | None = None,
) -> None:
    """The incoming shift's crew, as for `shift open`: no administrator as standby, and no one in
    two roles (the leader stays on unless another acknowledges)."""
    if standby is not None:
        refuse_administrator(standby, "standby")
    if leader is not None:
        leader_person: Person | None = leader.person
    else:
        with read_session(desk.engine) as session:
            leader_id = outgoing.leader_id
            leader_person = session.get(Person, leader_id) if leader_id is not None else None
    refuse_two_roles({"officer": incoming.person, "second_officer": second.person if second else None,
                      "leader": leader_person, "standby": standby})  # fmt: skip


def _add(
    session: Session,
    desk: Desk,
    row: Handover | HandoverSignature | ShiftClosure | CarryOver,
    table: str,
) -> None:
    session.add(row)
    session.flush()
    assert row.id is not None  # flushed: the store has given it its id
    audit.append(session, table, row.id, desk.now())


def owning_shift_id(desk: Desk, kind: str, record_id: int, created_in: int | None) -> int | None:
    """The shift a pending item or deadline belongs to now: the last one it was carried to."""
    with read_session(desk.engine) as session:
        carried = session.exec(
            select(CarryOver)
            .where(CarryOver.kind == kind, CarryOver.record_id == record_id)
            .order_by(col(CarryOver.id).desc())
            .limit(1)
        ).first()
    return carried.to_shift_id if carried else created_in


def is_closed(desk: Desk, shift_id: int) -> bool:
    with read_session(desk.engine) as session:
        return (
            session.exec(select(ShiftClosure).where(ShiftClosure.shift_id == shift_id)).first()
            is not None
        )


@dataclass(frozen=True)
class Signature:
    role: str
    name: str
    signed_at: DateTime


def signatures(desk: Desk, handover_id: int) -> list[Signature]:
    with read_session(desk.engine) as session:
        rows = session.exec(
            select(HandoverSignature, Person.name)
            .join(Person, col(Person.id) == HandoverSignature.person_id)
            .where(HandoverSignature.handover_id == handover_id)
            .order_by(col(HandoverSignature.id))
        ).all()
    return [Signature(sig.role, name, sig.signed_at) for sig, name in rows]
