"""Writing register lines with plain SQL on the write transaction's sqlite3 cursor (db.raw_write,
or an ORM session's own connection): the row, its register number and its audit link, exactly
as the ORM wrote them, without the ORM's flushes (bench: they were most of a save's time on a
fast disk). The search indexes are written after the save (services/core/search_catch_up)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from pendulum import DateTime

from dutydesk.models import CallRecord
from dutydesk.models.types import to_storage
from dutydesk.services.core import audit

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.calls.calls import CallDraft

REGISTER = "call"
_COLUMNS = (
    "year", "seq", "number", "received_at", "recorded_at", "direction", "caller", "unit", "phone",
    "verified", "category", "summary", "handling", "follow_up", "recorded_by_id", "shift_id",
    "amends_id", "amend_reason", "place",
)  # fmt: skip
_INSERT = (
    f"INSERT INTO call_record ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
)
# roster.shifts.shift_covering in SQL: the latest shift opened by `at` whose handover was not
# signed by then (tests/test_call_store.py checks the two agree). Walked newest first by id:
# `+starts_at` keeps SQLite off the starts_at index, which made it collect every shift and
# every closure and sort them (0.9 ms on one year, ~10 ms on ten, inside every save).
_SHIFT_ON_DUTY = (
    "SELECT id FROM shift s WHERE +starts_at <= ? AND NOT EXISTS "
    "(SELECT 1 FROM shift_closure c WHERE c.shift_id = s.id AND c.closed_at <= ?) "
    "ORDER BY id DESC LIMIT 1"
)


def session_cursor(session: Session) -> sqlite3.Cursor:
    """The plain cursor of an ORM write session's connection (same transaction)."""
    connection = session.connection().connection.driver_connection
    assert isinstance(connection, sqlite3.Connection)
    return connection.cursor()


def shift_on_duty(cursor: sqlite3.Cursor, at: DateTime) -> int | None:
    stamp = to_storage(at)
    row = cursor.execute(_SHIFT_ON_DUTY, (stamp, stamp)).fetchone()
    return None if row is None else int(row[0])


def next_number(cursor: sqlite3.Cursor, year: int) -> tuple[int, str]:
    row = cursor.execute(
        "INSERT INTO register_sequence (book, year, last_value) VALUES (?, ?, 1) "
        "ON CONFLICT (book, year) DO UPDATE SET last_value = last_value + 1 "
        "RETURNING last_value",
        (REGISTER, year),
    ).fetchone()
    seq = int(row[0])
    return seq, f"{year}-{seq:06d}"


def insert_call(
    cursor: sqlite3.Cursor,
    now: DateTime,
    draft: CallDraft,
    recorder_id: int,
    amends_id: int | None = None,
    amend_reason: str | None = None,
) -> CallRecord:
    """Write one register line recorded at `now`, in the cursor's transaction."""
    seq, number = next_number(cursor, now.year)
    record = CallRecord(
        year=now.year,
        seq=seq,
        number=number,
        received_at=draft.received_at or now,
        recorded_at=now,
        direction=draft.direction,
        caller=draft.caller,
        unit=draft.unit,
        phone=draft.phone,
        verified=draft.verified,
        category=draft.category,
        summary=draft.summary,
        handling=draft.handling,
        follow_up=draft.follow_up,
        place=draft.place if draft.place.strip() else None,  # blank: no place
        recorded_by_id=recorder_id,
        shift_id=shift_on_duty(cursor, now),
        amends_id=amends_id,
        amend_reason=amend_reason,
    )
    values = [getattr(record, name) for name in _COLUMNS]
    for index in (3, 4):  # received_at, recorded_at
        values[index] = to_storage(values[index])
    cursor.execute(_INSERT, values)
    record.id = cursor.lastrowid  # its search indexes are written after the save (search_catch_up)
    audit.append_raw(cursor, "call_record", record.id, values[4])  # type: ignore[arg-type]  # set just above
    return record


def insert_pending(
    cursor: sqlite3.Cursor,
    record: CallRecord,
    recorder_id: int,
    now: DateTime,
    call_id: int | None = None,
) -> int:
    """The pending item (待办) of a call saved for follow-up, or of `call_id` (the original) for
    a correction that ticks 需跟进; its id."""
    cursor.execute(
        "INSERT INTO pending_item (created_at, text, call_id, created_by_id, shift_id, device) "
        "VALUES (?, ?, ?, ?, ?, NULL)",
        (to_storage(record.recorded_at), record.summary, call_id or record.id, recorder_id,
         record.shift_id),
    )  # fmt: skip
    item_id = cursor.lastrowid
    assert item_id is not None
    audit.append_raw(cursor, "pending_item", item_id, to_storage(now))
    return item_id
