from __future__ import annotations

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class Office(SQLModel, table=True):
    """The duty office (值班室) this database belongs to. Exactly one row."""

    __tablename__ = "office"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    profile_id: str = Field(max_length=40)
    timezone: str = Field(max_length=64)
    created_at: Timestamp = Field(sa_type=AwareDateTime)


class RegisterSequence(SQLModel, table=True):
    """The last number handed out in a register, per year. Numbers are never reused."""

    __tablename__ = "register_sequence"

    book: str = Field(primary_key=True, max_length=20)  # which register, e.g. "call"
    year: int = Field(primary_key=True)
    last_value: int = 0
