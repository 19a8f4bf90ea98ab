"""The record a restore leaves in the register it makes, and what it proves.

An archive's snapshot holds no PIN hashes (services/pins.py blanks them), so a register
restored from one has blank PIN rows whose chain links can no longer be recomputed. A blank
PIN row is accepted in a live register only when it was chained before a restore record: a
chained, append-only row written by services/restore.py as the very next link after the
archive's chain head, naming that head and the SHA-256 of the archive's manifest. A table
made with the sqlite3 shell proves nothing; the record must sit in the chain right after the
head it names (a record appended later, after other rows, does not count).

Works on a plain sqlite3 connection (verify) and on a session's connection alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.services.core import audit

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.clock import Clock

TABLE = "restore_record"
Query = Callable[[str, tuple[Any, ...]], Sequence[Sequence[Any]]]


def bound_restore_seq(query: Query) -> int | None:
    """The chain position of the latest restore record that is bound to its archive's head
    (its link directly follows the link it names); None in a register never restored."""
    exists = query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,))
    if not exists:
        return None
    # From the restore records (a few) to their links by seq: SQLite, left to choose, walked the
    # whole chain (ten years: 0.8 s, before verify's ranges could start)
    rows = query(
        f'SELECT MAX(l.seq) FROM "{TABLE}" AS r CROSS JOIN audit_link AS l '
        "ON l.seq = r.archive_head_seq + 1 WHERE l.kind = ? AND l.record_id = r.id "
        "AND l.prev_hash = r.archive_head",
        (TABLE,),
    )
    return rows[0][0] if rows and rows[0][0] is not None else None


def session_query(session: Session) -> Query:
    def _query(sql: str, params: tuple[Any, ...]) -> Sequence[Sequence[Any]]:
        return session.connection().exec_driver_sql(sql, params).all()

    return _query


def restored_without_pins(session: Session) -> bool:
    """Whether this register was restored from an archive (a bound restore record) and nobody
    has had a PIN set since: the only state in which an administrator's PIN may be set on the
    restore's own grant (`people set-pin NAME --restored`)."""
    query = session_query(session)
    restore_seq = bound_restore_seq(query)
    if restore_seq is None:
        return False
    since = query(
        "SELECT 1 FROM audit_link AS l JOIN person_pin AS p ON p.id = l.record_id "
        "WHERE l.kind = 'person_pin' AND (l.seq > ? OR p.pin_hash != '') LIMIT 1",
        (restore_seq,),
    )
    return not since


def record_restore(path: Path, manifest_sha256: str, clock: Clock | None = None) -> None:
    """Append the restore record to the checked copy at `path` (bringing an older copy's
    schema up to date first), as the link right after the archive's chain head."""
    from sqlmodel import select

    from dutydesk.clock import default_clock
    from dutydesk.db import SchemaState, make_engine, migrate, schema_state, write_session
    from dutydesk.models import Office, RestoreRecord

    older = schema_state(path) is SchemaState.older
    engine = make_engine(path)
    try:
        if older:
            migrate(engine)
        with write_session(engine) as session:
            office = session.exec(select(Office)).one()
            now = (clock or default_clock(office.timezone)).now()
            head = (
                session.connection()
                .exec_driver_sql("SELECT seq, hash FROM audit_link ORDER BY seq DESC LIMIT 1")
                .first()
            )
            seq, digest = (head[0], head[1]) if head else (0, audit.GENESIS)
            record = RestoreRecord(restored_at=now, manifest_sha256=manifest_sha256,
                                   archive_head_seq=seq, archive_head=digest)  # fmt: skip
            session.add(record)
            session.flush()
            assert record.id is not None
            audit.append(session, TABLE, record.id, now)
    finally:
        engine.dispose()
