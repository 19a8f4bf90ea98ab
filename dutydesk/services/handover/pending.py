"""Pending items (待办事项): open until closed, carried from shift to shift.

A device marked faulty at handover becomes one too (Tianjin art. 14(3), 32: the incoming shift
checks each device; faults are cleared promptly): its text is the fault note, it names the
device, and it is closed by reporting the repair, a closure record of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.i18n import t
from dutydesk.models import CallRecord, PendingClosure, PendingItem, Person
from dutydesk.services.core import audit, check_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

# checklist item prefix -> catalogue section of its label ("device:fax" -> handover_device.fax)
DEVICE_LABELS = {"device": "handover_device", "desk": "handover_desk"}


@dataclass(frozen=True)
class PendingView:
    id: int
    created_at: DateTime
    text: str
    call_number: str | None
    created_by: str
    device: str | None = None  # the checklist key of a faulty device ("device:fax")


@dataclass(frozen=True)
class ClosedView:
    """A pending item closed, with its closure: by hand (`pending close`, `c` at handover), by
    a device's repair, or by a correction of its call that unticked 需跟进 (`correction`, that
    correction's register number; the note is then its reason)."""

    id: int
    text: str
    device: str | None
    note: str
    closed_at: DateTime
    closed_by: str
    correction: str | None = None
    call_number: str | None = None  # the call the item was opened for (its original's number)


def device_label(key: str) -> str:
    """What a device item of the checklist is called ("device:fax" -> 传真机)."""
    prefix, _sep, name = key.partition(":")
    return t(f"{DEVICE_LABELS[prefix]}.{name}")


def open_items(desk: Desk) -> list[PendingView]:
    with read_session(desk.engine) as session:
        closed = select(PendingClosure.item_id)
        statement = (
            select(PendingItem, Person.name, CallRecord.number)
            .join(Person, col(Person.id) == PendingItem.created_by_id)
            .join(CallRecord, col(CallRecord.id) == PendingItem.call_id, isouter=True)
            .where(col(PendingItem.id).not_in(closed))
            .order_by(col(PendingItem.id))
        )
        return [
            PendingView(item.id, item.created_at, item.text, number, name, item.device)  # type: ignore[arg-type]  # a stored row has its id
            for item, name, number in session.exec(statement)
        ]


def closed_since(desk: Desk, since: DateTime) -> list[ClosedView]:
    """The pending items closed at or after `since`, in the order they were closed."""
    from sqlalchemy.orm import aliased

    correction = aliased(CallRecord)
    with read_session(desk.engine) as session:
        statement = (
            select(PendingClosure, PendingItem, Person.name, correction.number)
            .join(PendingItem, col(PendingItem.id) == PendingClosure.item_id)
            .join(Person, col(Person.id) == PendingClosure.closed_by_id)
            .join(correction, col(correction.id) == PendingClosure.amendment_id, isouter=True)
            .where(PendingClosure.closed_at >= since)
            .order_by(col(PendingClosure.id))
        )
        rows = session.exec(statement).all()
        call_ids = {item.call_id for _closure, item, _name, _number in rows if item.call_id}
        calls = dict(
            session.exec(
                select(CallRecord.id, CallRecord.number).where(col(CallRecord.id).in_(call_ids))
            ).all()
        )
    closed: list[ClosedView] = []
    for closure, item, name, number in rows:
        assert item.id is not None  # a stored row has its id
        closed.append(ClosedView(item.id, item.text, item.device, closure.note, closure.closed_at,
                                 name, number, calls.get(item.call_id)))  # fmt: skip
    return closed


def close_item(desk: Desk, item_id: int, recorder: Person, note: str = "") -> PendingClosure:
    problems: list[FieldProblem] = []
    check_text(problems, "note", note, required=False, max_length=1000, multiline=True)
    if problems:
        raise ValidationFailed(problems)

    def _save() -> PendingClosure:
        with write_session(desk.engine) as session:
            if session.get(PendingItem, item_id) is None:
                raise DutyError("pending.unknown", id=item_id)
            if session.exec(
                select(PendingClosure).where(PendingClosure.item_id == item_id)
            ).first():
                raise DutyError("pending.already_closed", id=item_id)
            closure = PendingClosure(
                item_id=item_id,
                closed_at=desk.now(),
                closed_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                note=note,
            )
            session.add(closure)
            session.flush()
            audit.append(session, "pending_closure", closure.id, desk.now())  # type: ignore[arg-type]  # a stored row has its id
            return closure

    return with_lock_retry(_save, desk.path)


def carry_device_faults(
    session: Session,
    faults: list[tuple[str, str]],
    *,
    by_id: int,
    shift_id: int | None,
    at: DateTime,
) -> list[int]:
    """Inside the sign-off's transaction: a pending item for each (device key, fault note) that
    has none open yet. The ids of the items written."""
    already = set(
        session.exec(
            select(PendingItem.device).where(
                PendingItem.device.is_not(None),  # type: ignore[union-attr]
                PendingItem.id.not_in(select(PendingClosure.item_id)),  # type: ignore[union-attr]
            )
        )
    )
    written: list[int] = []
    for device, note in faults:
        if device in already:
            continue
        item = PendingItem(created_at=at, text=note, device=device, created_by_id=by_id,
                           shift_id=shift_id)  # fmt: skip
        session.add(item)
        session.flush()
        assert item.id is not None
        audit.append(session, "pending_item", item.id, at)
        written.append(item.id)
        already.add(device)
    return written


def report_repaired(desk: Desk, item_id: int, recorder: Person, note: str = "") -> PendingClosure:
    """A faulty device reported repaired: its pending item is closed by a new linked record."""
    with read_session(desk.engine) as session:
        item = session.get(PendingItem, item_id)
    if item is None:
        raise DutyError("pending.unknown", id=item_id)
    if item.device is None:
        raise DutyError("pending.not_a_device", id=item_id)
    return close_item(desk, item_id, recorder, note)
