"""Handover (交接班) records: PINs, sign-in attempts, checklist marks, the sign-off with its
signatures, the shift's closure, what was carried over, and each export. All append-only: a
later row supersedes an earlier one, nothing is ever updated."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class PersonPin(SQLModel, table=True):
    """A person's PIN as a slow salted hash (scrypt). The latest row for a person is in force."""

    __tablename__ = "person_pin"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    pin_hash: str = Field(max_length=128)  # hex of scrypt(PIN, salt)
    salt: str = Field(max_length=64)  # hex
    cost_n: int
    cost_r: int
    cost_p: int
    set_at: Timestamp = Field(sa_type=AwareDateTime)


class PinAttempt(SQLModel, table=True):
    """One sign-in with a PIN, right or wrong: the lockout is counted from these."""

    __tablename__ = "pin_attempt"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    at: Timestamp = Field(sa_type=AwareDateTime)
    ok: bool
    purpose: str = Field(max_length=20)


class HandoverMark(SQLModel, table=True):
    """One tick on the handover checklist of the outgoing shift. The latest mark of an item wins."""

    __tablename__ = "handover_mark"

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", index=True)  # the outgoing shift
    item: str = Field(max_length=80)  # e.g. "calls", "pending:12", "device:fax"
    state: str = Field(max_length=20)
    note: str = Field(default="", max_length=4000)  # reason, fault note, summary text
    value: str | None = Field(default=None, max_length=40)  # e.g. the arrival time (ISO)
    role: str = Field(max_length=10)  # outgoing | incoming
    at: Timestamp = Field(sa_type=AwareDateTime)


class Handover(SQLModel, table=True):
    """A completed sign-off: the outgoing shift handed to the incoming one."""

    __tablename__ = "handover"

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", unique=True)  # outgoing
    incoming_shift_id: int = Field(foreign_key="shift.id")
    signed_at: Timestamp = Field(sa_type=AwareDateTime)
    checklist: str  # the checklist as signed (JSON), so the form can always be rebuilt


class HandoverSignature(SQLModel, table=True):
    """A signature (签字) under a handover: outgoing, incoming, or the shift leader's."""

    __tablename__ = "handover_signature"

    id: int | None = Field(default=None, primary_key=True)
    handover_id: int = Field(foreign_key="handover.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    role: str = Field(max_length=10)  # outgoing | incoming | leader
    signed_at: Timestamp = Field(sa_type=AwareDateTime)


class ShiftClosure(SQLModel, table=True):
    """A shift is closed by its handover; its records are then corrected only by amendments
    from a later shift."""

    __tablename__ = "shift_closure"

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", unique=True)
    handover_id: int = Field(foreign_key="handover.id")
    closed_at: Timestamp = Field(sa_type=AwareDateTime)


class CarryOver(SQLModel, table=True):
    """A pending item or an open report deadline that passed to the incoming shift."""

    __tablename__ = "carry_over"

    id: int | None = Field(default=None, primary_key=True)
    handover_id: int = Field(foreign_key="handover.id", index=True)
    kind: str = Field(max_length=20)  # pending | deadline
    record_id: int
    to_shift_id: int = Field(foreign_key="shift.id")


class ExportRecord(SQLModel, table=True):
    """One attempt to write an archive: the folder and manifest hash, or why it failed."""

    __tablename__ = "export_record"

    id: int | None = Field(default=None, primary_key=True)
    handover_id: int | None = Field(default=None, foreign_key="handover.id", index=True)
    at: Timestamp = Field(sa_type=AwareDateTime)
    ok: bool
    target: str = Field(max_length=1000)  # the folder the archive goes into
    archive: str | None = Field(default=None, max_length=200)  # the archive's folder name
    manifest_sha256: str | None = Field(default=None, max_length=64)
    error: str | None = Field(default=None, max_length=1000)


class RestoreRecord(SQLModel, table=True):
    """A register restored from an archive (services/restore.py): the first link after the
    archive's chain head, naming that head and the SHA-256 of the archive's manifest. The PIN
    rows chained before it may be blank (the archive held no PIN hashes); no others may."""

    __tablename__ = "restore_record"

    id: int | None = Field(default=None, primary_key=True)
    restored_at: Timestamp = Field(sa_type=AwareDateTime)
    manifest_sha256: str = Field(max_length=64)
    archive_head_seq: int
    archive_head: str = Field(max_length=64)
