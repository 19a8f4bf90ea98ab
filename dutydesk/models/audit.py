from __future__ import annotations

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class AuditLink(SQLModel, table=True):
    """One link of the hash chain: every record written is appended here in the same transaction."""

    __tablename__ = "audit_link"

    seq: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)  # the table name
    record_id: int
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    written_at: Timestamp = Field(sa_type=AwareDateTime)
