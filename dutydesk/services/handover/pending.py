"""Pending items (待办事项): open until closed, carried from shift to shift."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.models import CallRecord, PendingClosure, PendingItem, Person
from dutydesk.services.core import audit
from dutydesk.services.core.validation import check_text

if TYPE_CHECKING:
    from dutydesk.services.core.desk import Desk


@dataclass(frozen=True)
class PendingView:
    id: int
    created_at: DateTime
    text: str
    call_number: str | None
    created_by: str


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
            PendingView(item.id, item.created_at, item.text, number, name)  # type: ignore[arg-type]  # a stored row has its id
            for item, name, number in session.exec(statement)
        ]


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
