"""Checking a pack against its links, and applying it to a register copy (restore, verify).

A pack is checked on its own first: its links continue the head it says it starts from, one
after another with no gap, each hashing (with its place in the chain) the pack's copy of its
row; it ends at the head its manifest pins; and it holds no chained row that no link names.
Only then are its rows added to the copy, which must be at exactly the pack's starting head."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutydesk.db import connect_readonly_file, sqlite_uri
from dutydesk.i18n import t
from dutydesk.services.archive.export_pack import (
    CHAIN_TABLE,
    WHOLE_TABLES,
    Head,
    head_of,
    is_redaction_mark,
    plain_tables,
)
from dutydesk.services.core import GENESIS, canonical, link_hash


@dataclass(frozen=True)
class Problem:
    where: str  # the file, archive or link concerned
    key: str  # catalogue key of what is wrong
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return t(self.key, where=self.where, **self.params)


def _row(conn: sqlite3.Connection, table: str, record_id: int) -> dict[str, Any] | None:
    try:
        cursor = conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,))
    except sqlite3.Error:
        return None
    values = cursor.fetchone()
    if values is None:
        return None
    return dict(zip([c[0] for c in cursor.description], values, strict=True))


def _blanked_pin(table: str, row: dict[str, Any], marked: bool) -> bool:
    return marked and table == "person_pin" and row.get("pin_hash") == "" and row.get("salt") == ""


def check_pack(path: Path, base: Head | None, head: Head | None, where: str) -> list[Problem]:
    """The pack at `path` against its own links, the head it continues and the head it pins."""
    try:
        conn = connect_readonly_file(path, immutable=True)
        try:
            return _check(conn, base, head, where)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [Problem(str(path), "archive_check.pack_unreadable", {"detail": str(exc)})]


def _check(
    conn: sqlite3.Connection, base: Head | None, head: Head | None, where: str
) -> list[Problem]:
    problems: list[Problem] = []
    tables = plain_tables(conn)
    marked = any(is_redaction_mark(name) for name in tables)
    seq, previous = (base.seq, base.hash) if base else (0, GENESIS)
    named: dict[str, set[int]] = {}
    links = conn.execute(
        f"SELECT seq, kind, record_id, prev_hash, hash FROM {CHAIN_TABLE} ORDER BY seq"
    )
    for link_seq, kind, record_id, prev_hash, digest in links:
        at = f"{where} link {link_seq} ({kind} #{record_id})"
        if link_seq != seq + 1 or prev_hash != previous:
            problems.append(Problem(at, "archive_check.pack_discontinuous", {"seq": seq}))
        named.setdefault(kind, set()).add(record_id)
        row = _row(conn, kind, record_id)
        if row is None:
            problems.append(Problem(at, "archive_check.pack_row_missing"))
        elif not _blanked_pin(kind, row, marked) and (
            link_hash(link_seq, kind, record_id, canonical(row, kind), prev_hash) != digest
        ):
            problems.append(Problem(at, "archive_check.pack_row_changed"))
        seq, previous = link_seq, digest
    if head is None or (seq, previous) != (head.seq, head.hash):
        pinned = f"{head.seq}:{head.hash[:16]}" if head else "—"
        problems.append(Problem(where, "archive_check.pack_head_mismatch",
                                {"pinned": pinned, "found": f"{seq}:{previous[:16]}"}))  # fmt: skip
    for table in tables:
        if table in (CHAIN_TABLE, *WHOLE_TABLES) or is_redaction_mark(table):
            continue
        for (record_id,) in conn.execute(f'SELECT id FROM "{table}"'):
            if record_id not in named.get(table, set()):
                problems.append(Problem(f"{where} {table} #{record_id}",
                                        "archive_check.pack_row_unlinked"))  # fmt: skip
    return problems


def apply_pack(register: Path, pack: Path, *, index_calls: bool = True) -> list[int]:
    """Add the pack's rows to the register copy at `register` (its triggers allow inserts);
    the office row, the numbering and the schema version are replaced by the pack's. Returns
    the ids of the calls added (their search index is written here too, unless the copy is
    only checked: `index_calls=False`, as the central archive's replica)."""
    conn = sqlite3.connect(sqlite_uri(register, mode="rw"), uri=True)
    conn.isolation_level = None
    try:
        conn.execute("ATTACH DATABASE ? AS pk", (sqlite_uri(pack, mode="ro", immutable="1"),))
        conn.execute("BEGIN IMMEDIATE")
        ours = plain_tables(conn)
        for table in plain_tables(conn, "pk"):
            if table not in ours or is_redaction_mark(table):
                continue
            mine = [row[1] for row in conn.execute(f'PRAGMA main.table_info("{table}")')]
            theirs = {row[1] for row in conn.execute(f'PRAGMA pk.table_info("{table}")')}
            columns = ", ".join(f'"{c}"' for c in mine if c in theirs)
            verb = "INSERT OR REPLACE" if table in WHOLE_TABLES else "INSERT"
            conn.execute(
                f'{verb} INTO main."{table}" ({columns}) SELECT {columns} FROM pk."{table}"'
            )
        calls = _index_calls(conn) if "call_record" in ours and index_calls else []
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE pk")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return calls


def _index_calls(conn: sqlite3.Connection) -> list[int]:
    """The search indexes of the calls added (search_catch_up, as after a save; a copy before
    migration 0030 indexed them by its triggers as they were added), and their ids."""
    from dutydesk.services.core.search_catch_up import index_every_new_call

    try:
        rows = conn.execute("SELECT id FROM pk.call_record").fetchall()
    except sqlite3.OperationalError:
        return []
    index_every_new_call(conn)
    return [row[0] for row in rows]


def register_head(register: Path) -> Head | None:
    conn = connect_readonly_file(register)
    try:
        return head_of(conn)
    finally:
        conn.close()
