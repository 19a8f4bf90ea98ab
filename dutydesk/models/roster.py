"""The duty roster (排班表) as records: rosters, their assignments, filings and changes.

Every table is append-only and chained. An assignment is never changed: a later row for the same
date, slot, role and seat takes its place (before filing); after filing a change is a
RosterChange naming the original, the reason and who approved it."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class RosterKind(StrEnum):
    month = "month"  # 月度值班表 (Tianjin art. 13)
    holiday = "holiday"  # 节假日值班表: replaces the regular arrangement for its days
    sensitive = "sensitive"  # 特殊敏感时期 (Tianjin art. 34)


class Roster(SQLModel, table=True):
    """One roster for a run of dates (a month, a holiday, a sensitive period)."""

    __tablename__ = "roster"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12)
    label: str = Field(max_length=60)
    starts_on: date = Field(index=True)
    ends_on: date = Field(index=True)
    created_at: Timestamp = Field(sa_type=AwareDateTime)
    created_by_id: int = Field(foreign_key="person.id")


class RosterAssignment(SQLModel, table=True):
    """Who holds one role (seat) of one cell (date × slot) of a roster; person None clears it.
    The latest row for a cell, role and seat is the one in force."""

    __tablename__ = "roster_assignment"

    id: int | None = Field(default=None, primary_key=True)
    roster_id: int = Field(foreign_key="roster.id", index=True)
    day: date
    slot_code: str = Field(max_length=20)
    role: str = Field(max_length=10)  # leader | officer | standby
    seat: int = 0  # officers 0, 1, ... (Henan 三(一): two per shift)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    source: str = Field(max_length=10)  # hand | generated
    seed: int | None = None  # the generator's seed (reproducible)
    set_at: Timestamp = Field(sa_type=AwareDateTime)
    set_by_id: int = Field(foreign_key="person.id")


class RosterFiling(SQLModel, table=True):
    """A roster (or a change to a filed one) sent to the upper office (报备): when, to whom,
    how, and the digests of the files written."""

    __tablename__ = "roster_filing"

    id: int | None = Field(default=None, primary_key=True)
    roster_id: int = Field(foreign_key="roster.id", index=True)
    change_id: int | None = Field(default=None, foreign_key="roster_change.id")
    sent_at: Timestamp = Field(sa_type=AwareDateTime)
    sent_to: str = Field(max_length=100)
    channel: str = Field(max_length=20)  # fax | system | email | hand | phone
    xlsx_sha256: str | None = Field(default=None, max_length=64)
    docx_sha256: str | None = Field(default=None, max_length=64)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class RosterChange(SQLModel, table=True):
    """A swap or substitution (调班/替岗) after filing: who stands in for whom, why, approved by
    whom (PIN), and by when the upper office must be told (None: it need not be)."""

    __tablename__ = "roster_change"

    id: int | None = Field(default=None, primary_key=True)
    roster_id: int = Field(foreign_key="roster.id", index=True)
    kind: str = Field(max_length=12)  # swap | substitution
    day: date
    slot_code: str = Field(max_length=20)
    role: str = Field(max_length=10)
    seat: int = 0
    # None: the seat was empty or vacated (a 替岗 that fills it, migration 0024)
    from_person_id: int | None = Field(default=None, foreign_key="person.id")
    to_person_id: int = Field(foreign_key="person.id")
    reason: str = Field(max_length=200)
    approved_by_id: int = Field(foreign_key="person.id")
    pairs_with_id: int | None = Field(default=None, foreign_key="roster_change.id")
    tell_upper_by: Timestamp | None = Field(default=None, sa_type=AwareDateTime)
    cite: str = Field(max_length=120)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    # Why the approver let a change stand that breaks a rest rule (else refused); None: it
    # breaks none (migration 0026).
    rest_override: str | None = Field(default=None, max_length=200)


class RosterPhone(SQLModel, table=True):
    """The phone a person is reached on while rostered (the 值班表's phone column); the latest
    row for a person is in force."""

    __tablename__ = "roster_phone"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    phone: str = Field(max_length=30)
    set_at: Timestamp = Field(sa_type=AwareDateTime)
