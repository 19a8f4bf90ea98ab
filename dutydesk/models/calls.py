from __future__ import annotations

from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class Direction(StrEnum):
    incoming = "in"  # 来电
    outgoing = "out"  # 去电


class CallRecord(SQLModel, table=True):
    """One line of the call register (电话记录). Never updated: a correction is a new row whose
    `amends_id` points at the original."""

    __tablename__ = "call_record"
    __table_args__ = (UniqueConstraint("year", "seq", name="uq_call_year_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    seq: int
    number: str = Field(max_length=16, unique=True)  # 登记号 e.g. 2026-000123
    received_at: Timestamp = Field(sa_type=AwareDateTime, index=True)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    direction: str = Field(max_length=3)
    caller: str = Field(max_length=100)
    unit: str = Field(max_length=100)
    phone: str = Field(max_length=40)
    verified: bool = False  # 核实身份 (Henan 6(1))
    category: str = Field(max_length=20)
    summary: str = Field(max_length=4000)
    handling: str = Field(default="", max_length=4000)
    follow_up: bool = False
    recorded_by_id: int = Field(foreign_key="person.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id", index=True)
    amends_id: int | None = Field(default=None, foreign_key="call_record.id", index=True)
    amend_reason: str | None = Field(default=None, max_length=500)
    # 地点 (Henan 6(2)); NULL when none was given, and in rows written before the column existed
    place: str | None = Field(default=None, max_length=200)


class PendingItem(SQLModel, table=True):
    """A pending item (待办事项), carried from shift to shift until closed."""

    __tablename__ = "pending_item"

    id: int | None = Field(default=None, primary_key=True)
    created_at: Timestamp = Field(sa_type=AwareDateTime)
    text: str = Field(max_length=4000)
    call_id: int | None = Field(default=None, foreign_key="call_record.id", index=True)
    created_by_id: int = Field(foreign_key="person.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")
    # the checklist item of a device marked faulty at handover ("device:fax"); NULL otherwise
    device: str | None = Field(default=None, max_length=80)


class PendingClosure(SQLModel, table=True):
    """Closing a pending item is a record of its own, so the item row is never changed."""

    __tablename__ = "pending_closure"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="pending_item.id", unique=True)
    closed_at: Timestamp = Field(sa_type=AwareDateTime)
    closed_by_id: int = Field(foreign_key="person.id")
    note: str = Field(default="", max_length=1000)
    # the correction (a call register line) whose unticked 需跟进 closed the item; NULL when the
    # item was closed by hand, and in rows written before the column existed (migration 0029)
    amendment_id: int | None = Field(default=None, foreign_key="call_record.id")
