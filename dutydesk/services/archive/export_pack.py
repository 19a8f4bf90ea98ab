"""A handover pack's data (pack.sqlite3): what was written since the previous archive.

A small SQLite file with the register's tables (the same CREATE TABLE statements; no indexes,
triggers or search indexes) holding only: the audit links after the previous archive's chain
head up to the new head, the chained rows those links name, and the few rows that are not
chained but that a restore needs whole (the office row, the register numbering, the schema
version). PIN hashes are blanked as in a full snapshot (redact_pins). Read in one read
transaction of the register, so the rows are exactly those of the links."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dutydesk.db import BUSY_TIMEOUT_MS, sqlite_uri
from dutydesk.services.roster import REDACTION_MARK, redact_pins

PACK = "pack.sqlite3"
CHAIN_TABLE = "audit_link"
# Not chained but needed whole by a restore; copied into every pack.
WHOLE_TABLES = ("office", "register_sequence", "alembic_version")


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str

    def to_json(self) -> dict[str, object]:
        return {"seq": self.seq, "hash": self.hash}


def plain_tables(conn: sqlite3.Connection, schema: str = "main") -> dict[str, str]:
    """The ordinary tables and their CREATE statements (no virtual tables, nor their shadows)."""
    rows = conn.execute(
        f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    virtual = [name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")]
    return {
        name: sql
        for name, sql in rows
        if sql and name not in virtual and not any(name.startswith(v + "_") for v in virtual)
    }


def head_of(conn: sqlite3.Connection, schema: str = "main") -> Head | None:
    row = conn.execute(
        f"SELECT seq, hash FROM {schema}.{CHAIN_TABLE} ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return Head(row[0], row[1]) if row else None


def write_pack(register: Path, target: Path, after: Head, upto: Head | None = None) -> Head:
    """Write the pack of the links after `after` up to `upto` (default: the register's head
    now) into the new file `target`; returns the head it ends at."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    pack = sqlite3.connect(sqlite_uri(target, mode="rw"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    pack.isolation_level = None  # we say where the read transaction begins and ends
    try:
        pack.execute("PRAGMA journal_mode = OFF")  # a new file, thrown away on failure
        pack.execute("ATTACH DATABASE ? AS reg", (sqlite_uri(register, mode="ro"),))
        pack.execute("BEGIN")
        head = upto or head_of(pack, "reg")
        if head is None or head.seq < after.seq:
            raise sqlite3.DatabaseError("the chain is shorter than the previous archive says")
        tables = plain_tables(pack, "reg")
        for sql in tables.values():
            pack.execute(sql)
        pack.execute(
            f"INSERT INTO main.{CHAIN_TABLE} SELECT * FROM reg.{CHAIN_TABLE} "
            "WHERE seq > ? AND seq <= ?",
            (after.seq, head.seq),
        )
        kinds = [row[0] for row in pack.execute(f"SELECT DISTINCT kind FROM main.{CHAIN_TABLE}")]
        for kind in kinds:
            if kind in tables:
                pack.execute(
                    f'INSERT INTO main."{kind}" SELECT * FROM reg."{kind}" WHERE id IN '
                    f"(SELECT record_id FROM main.{CHAIN_TABLE} WHERE kind = ?)",
                    (kind,),
                )
        for table in WHOLE_TABLES:
            if table in tables:
                pack.execute(f'INSERT INTO main."{table}" SELECT * FROM reg."{table}"')
        pack.execute("COMMIT")
        pack.execute("DETACH DATABASE reg")
        if "person_pin" in tables:
            redact_pins(pack)  # PIN hashes never leave the register
        pack.execute("PRAGMA journal_mode = DELETE")
    finally:
        pack.close()
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())
    return head


def is_redaction_mark(table: str) -> bool:
    return table == REDACTION_MARK
