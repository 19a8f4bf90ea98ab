from __future__ import annotations

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp

CLOCK_TOLERANCE_S = 300  # how far written_at may step back along the chain (a clock corrected)


class Office(SQLModel, table=True):
    """The duty office (值班室) this database belongs to. Exactly one row, chained and
    append-only since migration 0014: its values are the office's first settings; a change is
    an OfficeSetting row."""

    __tablename__ = "office"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    profile_id: str = Field(max_length=40)
    timezone: str = Field(max_length=64)
    created_at: Timestamp = Field(sa_type=AwareDateTime)


class OfficeSetting(SQLModel, table=True):
    """A change of the office's name, time zone, profile or clock tolerance (办公室设置变更),
    chained and append-only: the desk uses the newest row, or the office row if there is none."""

    __tablename__ = "office_setting"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    profile_id: str = Field(max_length=40)
    timezone: str = Field(max_length=64)
    clock_tolerance_s: int = CLOCK_TOLERANCE_S
    set_at: Timestamp = Field(sa_type=AwareDateTime)


class RegisterSequence(SQLModel, table=True):
    """The last number handed out in a register, per year. Numbers are never reused."""

    __tablename__ = "register_sequence"

    book: str = Field(primary_key=True, max_length=20)  # which register, e.g. "call"
    year: int = Field(primary_key=True)
    last_value: int = 0
