"""One pass over the chain (issue 19: ten years of links in seconds): the links read once in
chain order, and beside them each chained table's rows read once in id order, merged.

Rows of a table are written in the same transaction as their links, so along the chain each
table's ids ascend: each link's row is the next one its table's cursor gives. Rows passed over
(no link yet) are kept aside until a later link names them or the pass ends (then they were
inserted behind DutyDesk's back); a link naming an id already passed and not kept aside is a
duplicate (the row is there, linked before) or a deleted row (it is not)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from dutydesk.services.core import GENESIS, canonical, link_hash

CHAIN_TABLE = "audit_link"
PROGRESS_EVERY = 20_000  # links between two progress reports

# What went wrong, most serious first in the report.
CHAIN_GAP = "gap"  # links missing from the sequence
CHAIN_BREAK = "break"  # a link's prev_hash is not the previous link's hash
CHANGED = "changed"  # the stored row (or its link) no longer hashes to the link's hash
DELETED = "deleted"  # a link whose row is gone
INSERTED = "inserted"  # a row in an audited table that no link records
DUPLICATE = "duplicate"  # two links for one row
PROBLEMS = (CHAIN_GAP, CHAIN_BREAK, CHANGED, DELETED, INSERTED, DUPLICATE)

Progress = Callable[[int, int], None]  # (links checked, links in all)


@dataclass(frozen=True)
class Finding:
    problem: str  # one of PROBLEMS
    table: str
    record_id: int | None
    seq: int | None  # the link concerned (None for a row no link records)


class _Rows:
    """One table's rows in id order, consumed as the chain names them."""

    def __init__(self, conn: sqlite3.Connection, table: str) -> None:
        self.conn, self.table = conn, table
        cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
        self.names = [column[0] for column in cursor.description]
        self.id_at = self.names.index("id")
        self.cursor: Iterator[tuple[Any, ...]] = iter(cursor)
        self.ahead: tuple[Any, ...] | None = next(self.cursor, None)
        self.aside: dict[int, tuple[Any, ...]] = {}  # passed over, not (yet) linked
        self.last_taken: int | None = None

    def take(self, record_id: int) -> tuple[str, dict[str, Any] | None]:
        """("row", the row) for the link naming `record_id`, or ("duplicate"|"deleted", None)."""
        found = self.aside.pop(record_id, None)
        while found is None and self.ahead is not None and self.ahead[self.id_at] <= record_id:
            row, self.ahead = self.ahead, next(self.cursor, None)
            if row[self.id_at] == record_id:
                found = row
            else:
                self.aside[row[self.id_at]] = row
        if found is not None:
            self.last_taken = record_id
            return "row", dict(zip(self.names, found, strict=True))
        if record_id == self.last_taken or self._exists(record_id):
            return DUPLICATE, None
        return DELETED, None

    def _exists(self, record_id: int) -> bool:
        """Only for a link out of order: is its row there (taken by an earlier link)?"""
        query = f'SELECT 1 FROM "{self.table}" WHERE id = ?'
        return self.conn.execute(query, (record_id,)).fetchone() is not None

    def unlinked(self) -> list[int]:
        rest = [row[self.id_at] for row in self.cursor]
        ahead = [self.ahead[self.id_at]] if self.ahead is not None else []
        return sorted([*self.aside, *ahead, *rest])


def _streams(conn: sqlite3.Connection, tables: list[str]) -> dict[str, _Rows | None]:
    """Each table's rows; None for a table that is gone or lost its ids (its links: deleted)."""
    streams: dict[str, _Rows | None] = {}
    for table in tables:
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        streams[table] = _Rows(conn, table) if "id" in columns else None
    return streams


def check_pass(
    conn: sqlite3.Connection,
    tables: list[str],
    add: Callable[[Finding], None],
    *,
    see_time: Callable[[int, str], None],
    redacted: Callable[[str, dict[str, Any], int], bool],
    progress: Progress | None = None,
) -> tuple[int, int | None, str | None]:
    """Check every link's place in the chain and its row; returns (links, head seq, head hash).
    `redacted(table, row, seq)` says whether a row's blank PIN is accepted (not hashed)."""
    total = conn.execute(f"SELECT COALESCE(MAX(seq), 0) FROM {CHAIN_TABLE}").fetchone()[0]
    if progress is not None:
        progress(0, total)
    streams = _streams(conn, tables)
    expected, previous, count, head_seq = 1, GENESIS, 0, None
    links = conn.execute(
        f"SELECT seq, kind, record_id, prev_hash, hash, written_at FROM {CHAIN_TABLE} ORDER BY seq"
    )
    for seq, kind, record_id, prev_hash, digest, written_at in links:
        count += 1
        see_time(seq, written_at)
        if seq != expected:
            add(Finding(CHAIN_GAP, kind, record_id, seq))
        elif prev_hash != previous:
            add(Finding(CHAIN_BREAK, kind, record_id, seq))
        expected, previous, head_seq = seq + 1, digest, seq
        stream = streams.get(kind)
        found, row = stream.take(record_id) if stream is not None else (DELETED, None)
        if row is None:
            add(Finding(found, kind, record_id, seq))
        elif not redacted(kind, row, seq) and (
            link_hash(seq, kind, record_id, canonical(row, kind), prev_hash) != digest
        ):
            add(Finding(CHANGED, kind, record_id, seq))
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, total)
    for table, stream in streams.items():
        for record_id in stream.unlinked() if stream is not None else []:
            add(Finding(INSERTED, table, record_id, None))
    if progress is not None:
        progress(count, max(total, count))
    return count, head_seq, previous if count else None
