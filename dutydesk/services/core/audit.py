"""The hash chain (审计链): every record written is appended here in the same transaction, so a
row changed, deleted or inserted behind DutyDesk's back can be found later.

A link stores the hash of (its place in the chain, the row's canonical form), not a copy of the
row: the row itself is append-only, so verify recomputes the canonical form from it. (Copies
were 40 % of a ten-year register and of every archive; what a row said before tampering is in
the handover archives.)"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the ORM is imported where a link is written: verify's processes need none
    from pendulum import DateTime
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    from dutydesk.models import AuditLink

GENESIS = "0" * 64

# Columns added to a chained table after rows were written (migrations 0012, 0014): left out of the
# canonical form while NULL, so a row written before the column existed hashes as it did. A
# value written into one later still changes the hash.
LATER_COLUMNS: dict[str, frozenset[str]] = {
    "call_record": frozenset({"place"}),
    "pending_item": frozenset({"device"}),
    "pending_closure": frozenset({"amendment_id"}),  # migration 0029
    "deadline_ack": frozenset({"reason"}),
    "deadline_closure": frozenset({"reason"}),
    "verification": frozenset({"reply_within", "reply_channel"}),  # migration 0017
    "roster_change": frozenset({"rest_override"}),  # migration 0026
}


# json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")), made once: dumps
# builds a new encoder for every call, a third of verify's time on ten years of links.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_MAKE_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)  # CPython's C encoder
# what _ENCODER.encode(row) builds on every call, built once (rows are flat: no circular check)
_C_ENCODE: Callable[[Any, int], Any] | None = (
    _MAKE_C_ENCODER(
        None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", True, False, True
    )
    if _MAKE_C_ENCODER is not None
    else None
)


def canonical(row: dict[str, Any], table: str | None = None) -> str:
    """The canonical form of a stored row of `table`: its raw column values as sorted, compact
    JSON (without the later columns that are NULL)."""
    later = LATER_COLUMNS.get(table or "", frozenset())
    if later:
        row = {name: value for name, value in row.items() if value is not None or name not in later}
    if _C_ENCODE is None:
        return _ENCODER.encode(row)
    return "".join(_C_ENCODE(row, 0))


def link_hash(seq: int, kind: str, record_id: int, payload: str, prev_hash: str) -> str:
    material = f"{seq}\n{kind}\n{record_id}\n{prev_hash}\n{payload}".encode()
    return hashlib.sha256(material).hexdigest()


def link_hash_of(seq: int, kind: str, record_id: int, payload: bytes, prev_hash: str) -> str:
    """`link_hash` of the canonical form already encoded (UTF-8): the same bytes hashed, the
    form SQLite made for verify (archive/verify_rows.py) used as it comes."""
    return hashlib.sha256(
        f"{seq}\n{kind}\n{record_id}\n{prev_hash}\n".encode() + payload
    ).hexdigest()


def stored_row(session: Session, table: str, record_id: int) -> dict[str, Any]:
    """The row exactly as SQLite holds it (raw values, not ORM objects)."""
    result = session.connection().exec_driver_sql(
        f'SELECT * FROM "{table}" WHERE id = ?', (record_id,)
    )
    row = result.mappings().one()
    return dict(row)


def append(session: Session, table: str, record_id: int, now: DateTime) -> AuditLink:
    """Append a link for the row `table.id == record_id`, inside the caller's transaction."""
    from sqlalchemy import text

    from dutydesk.models import AuditLink

    head = (
        session.connection()
        .execute(text("SELECT seq, hash FROM audit_link ORDER BY seq DESC LIMIT 1"))
        .first()
    )
    seq = (head[0] + 1) if head else 1
    prev_hash = head[1] if head else GENESIS
    payload = canonical(stored_row(session, table, record_id), table)
    link = AuditLink(
        seq=seq,
        kind=table,
        record_id=record_id,
        prev_hash=prev_hash,
        hash=link_hash(seq, table, record_id, payload, prev_hash),
        written_at=now,
    )
    session.add(link)
    session.flush()
    return link


def append_many(session: Session, table: str, record_ids: list[int], now: DateTime) -> None:
    """Append links for many rows of `table` (in the order given), exactly as `append` one by
    one would, in one read of the rows and one insert of the links (the roster generator
    writes a month's seats at once)."""
    from sqlalchemy import text

    from dutydesk.models.types import to_storage

    if not record_ids:
        return
    connection = session.connection()
    head = connection.execute(
        text("SELECT seq, hash FROM audit_link ORDER BY seq DESC LIMIT 1")
    ).first()
    seq, prev_hash = (head[0], head[1]) if head else (0, GENESIS)
    marks = ",".join("?" * len(record_ids))
    found = connection.exec_driver_sql(
        f'SELECT * FROM "{table}" WHERE id IN ({marks})', tuple(record_ids)
    ).mappings()
    rows = {row["id"]: dict(row) for row in found}
    links = []
    written_at = to_storage(now)  # as AwareDateTime stores it
    for record_id in record_ids:
        seq += 1
        digest = link_hash(seq, table, record_id, canonical(rows[record_id], table), prev_hash)
        links.append((seq, table, record_id, prev_hash, digest, written_at))
        prev_hash = digest
    connection.exec_driver_sql(
        "INSERT INTO audit_link (seq, kind, record_id, prev_hash, hash, written_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        links,
    )


def append_raw(cursor: sqlite3.Cursor, table: str, record_id: int, written_at: str) -> None:
    """`append` on a plain sqlite3 cursor inside its write transaction (db.raw_write), with
    `written_at` as stored (models.types.to_storage)."""
    head = cursor.execute("SELECT seq, hash FROM audit_link ORDER BY seq DESC LIMIT 1").fetchone()
    seq = (head[0] + 1) if head else 1
    prev_hash = head[1] if head else GENESIS
    values = cursor.execute(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,)).fetchone()
    names = [column[0] for column in cursor.description]
    payload = canonical(dict(zip(names, values, strict=True)), table)
    cursor.execute(
        "INSERT INTO audit_link (seq, kind, record_id, prev_hash, hash, written_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (seq, table, record_id, prev_hash, link_hash(seq, table, record_id, payload, prev_hash),
         written_at),
    )  # fmt: skip


def relink_without(connection: Connection, table: str) -> None:
    """For a migration's downgrade that drops `table`: its links leave the chain and the links
    after them are renumbered and re-hashed, so the remaining records verify. Refused (the
    migration rolls back) if any link no longer matches its row: a damaged chain is never
    re-hashed into a whole one."""
    rows = connection.exec_driver_sql(
        "SELECT seq, kind, record_id, prev_hash, hash, written_at FROM audit_link ORDER BY seq"
    ).all()
    payloads = []
    for seq, kind, record_id, prev_hash, digest, _written in rows:
        found = (
            connection.exec_driver_sql(f'SELECT * FROM "{kind}" WHERE id = ?', (record_id,))
            .mappings()
            .first()
        )
        payload = canonical(dict(found), kind) if found is not None else None
        if payload is None or link_hash(seq, kind, record_id, payload, prev_hash) != digest:
            raise RuntimeError(f"audit link {seq} ({kind} {record_id}) does not verify")
        payloads.append(payload)
    for trigger in ("audit_link_no_update", "audit_link_no_delete"):
        connection.exec_driver_sql(f"DROP TRIGGER {trigger}")
    connection.exec_driver_sql("DELETE FROM audit_link")
    seq, prev_hash = 0, GENESIS
    for (_old, kind, record_id, _prev, _hash, written_at), payload in zip(
        rows, payloads, strict=True
    ):
        if kind == table:
            continue
        seq += 1
        digest = link_hash(seq, kind, record_id, payload, prev_hash)
        connection.exec_driver_sql(
            "INSERT INTO audit_link (seq, kind, record_id, prev_hash, hash, written_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (seq, kind, record_id, prev_hash, digest, written_at),
        )
        prev_hash = digest
    for trigger, event in (("audit_link_no_update", "UPDATE"), ("audit_link_no_delete", "DELETE")):
        connection.exec_driver_sql(
            f"CREATE TRIGGER {trigger} BEFORE {event} ON audit_link "
            "BEGIN SELECT RAISE(ABORT, 'dutydesk: audit_link is append-only'); END"
        )
