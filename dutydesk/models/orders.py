"""Emergency orders (应急指令) after the district flow chart (一般突发事件信息处理流程图): the
standby (值守人员) drafts the event's type, level and instruction from an incident; the office
director (区应急办主任) confirms it with their PIN or sends it back with a note; the confirmed
instruction is dispatched by phone (or another channel) to named units and leaders; follow-up
entries (督办) are kept until each addressee has reported back. All append-only: a decision, a
dispatch and a follow-up are new rows linked to the order; a redraft after a send-back is a new
order linked to the one sent back."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class OrderDecisionKind(StrEnum):
    confirmed = "confirmed"  # 审核确定
    returned = "returned"  # 退回 (with a note)


class AddresseeKind(StrEnum):
    unit = "unit"  # e.g. 辖区政府值班室
    leader = "leader"  # e.g. 分管领导


class DutyOrder(SQLModel, table=True):
    """An order as drafted by the standby (拟办): type, level and the instruction."""

    __tablename__ = "duty_order"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    event_type: str = Field(max_length=20)  # models.IncidentType
    level: str = Field(max_length=4)  # I..IV
    instruction: str = Field(max_length=4000)  # 应急指令
    revises_id: int | None = Field(default=None, foreign_key="duty_order.id", unique=True)
    drafted_at: Timestamp = Field(sa_type=AwareDateTime, index=True)
    drafted_by_id: int = Field(foreign_key="person.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")


class OrderDecision(SQLModel, table=True):
    """The director's decision on a draft: at most one per order (a redraft is a new order)."""

    __tablename__ = "order_decision"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="duty_order.id", unique=True)
    decision: str = Field(max_length=10)  # OrderDecisionKind
    note: str = Field(default="", max_length=1000)
    decided_by_id: int = Field(foreign_key="person.id")  # signed with their PIN
    decided_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class OrderDispatch(SQLModel, table=True):
    """The confirmed instruction passed to one addressee (交办), by one channel, at one time."""

    __tablename__ = "order_dispatch"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="duty_order.id", index=True)
    addressee: str = Field(max_length=100)
    addressee_kind: str = Field(max_length=10)  # AddresseeKind
    channel: str = Field(max_length=10)  # profile orders.channels
    dispatched_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class OrderFollowUp(SQLModel, table=True):
    """A follow-up entry (督办) on one dispatch; `reported_back` closes it (落实情况已反馈)."""

    __tablename__ = "order_follow_up"

    id: int | None = Field(default=None, primary_key=True)
    dispatch_id: int = Field(foreign_key="order_dispatch.id", index=True)
    text: str = Field(max_length=2000)
    reported_back: bool = False
    at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
