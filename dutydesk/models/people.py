from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime


class Role(StrEnum):
    leader = "leader"  # 带班领导
    officer = "officer"  # 值班员
    standby = "standby"  # 值守人员


class Person(SQLModel, table=True):
    """Someone who may sit a shift. Eligibility follows Tianjin art. 6."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True)
    role: str = Field(max_length=10)
    staff: bool = True  # 在编
    in_post_since: date | None = None
    trained: bool = True
    created_at: datetime = Field(sa_type=AwareDateTime)


class Shift(SQLModel, table=True):
    """One shift (班次) as opened at the desk: who was on duty, from when to when."""

    __tablename__ = "shift"

    id: int | None = Field(default=None, primary_key=True)
    slot_code: str = Field(max_length=20)
    starts_at: datetime = Field(sa_type=AwareDateTime, index=True)
    ends_at: datetime = Field(sa_type=AwareDateTime)
    officer_id: int = Field(foreign_key="person.id")  # 值班员
    leader_id: int | None = Field(default=None, foreign_key="person.id")  # 带班领导
    standby_id: int | None = Field(default=None, foreign_key="person.id")  # 值守人员
    opened_at: datetime = Field(sa_type=AwareDateTime)
