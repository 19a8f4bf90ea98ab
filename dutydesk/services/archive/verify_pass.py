"""One pass over the chain (issue 19: ten years of links in seconds): the links read once in
chain order, and beside them each chained table's rows read once in id order, merged.

Rows of a table are written in the same transaction as their links, so along the chain each
table's ids ascend: each link's row is the next one its table's cursor gives. Rows passed over
(no link yet) are kept aside until a later link names them or the pass ends (then they were
inserted behind DutyDesk's back); a link naming an id already passed and not kept aside is a
duplicate (the row is there, linked before) or a deleted row (it is not)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
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
IdRange = tuple[int | None, int | None]  # ids above the first, up to the second (None: open)


@dataclass(frozen=True)
class Finding:
    problem: str  # one of PROBLEMS
    table: str
    record_id: int | None
    seq: int | None  # the link concerned (None for a row no link records)


class _Rows:
    """One table's rows in id order, consumed as the chain names them."""

    def __init__(self, conn: sqlite3.Connection, table: str, ids: IdRange = (None, None)) -> None:
        self.conn, self.table = conn, table
        above, upto = ids  # a range pass (verify_parallel.py) reads id > above and id <= upto
        where = [f"id > {int(above)}" if above is not None else "",
                 f"id <= {int(upto)}" if upto is not None else ""]  # fmt: skip
        condition = " AND ".join(part for part in where if part)
        cursor = conn.execute(
            f'SELECT * FROM "{table}"'
            + (f" WHERE {condition}" if condition else "")
            + " ORDER BY id"
        )
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


def streams_of(
    conn: sqlite3.Connection, tables: list[str], ids: dict[str, IdRange] | None = None
) -> dict[str, _Rows | None]:
    """Each table's rows (within `ids[table]` when given); None for a table that is gone or
    lost its ids (its links: deleted)."""
    streams: dict[str, _Rows | None] = {}
    for table in tables:
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        bounds = ids.get(table, (None, None)) if ids is not None else (None, None)
        streams[table] = _Rows(conn, table, bounds) if "id" in columns else None
    return streams


@dataclass
class Walk:
    """Where a walk along the chain stands: the link expected next, the hash it must follow."""

    expected: int = 1
    previous: str = GENESIS
    count: int = 0
    head_seq: int | None = None


LINKS_SQL = f"SELECT seq, kind, record_id, prev_hash, hash, written_at FROM {CHAIN_TABLE}"


def walk(
    links: Iterable[tuple[Any, ...]],
    streams: dict[str, _Rows | None],
    at: Walk,
    add: Callable[[Finding], None],
    checks: Checks,
) -> None:
    """Check each of `links` (in seq order) against the chain so far (`at`, updated) and its
    row, the next one its table's stream gives."""
    for seq, kind, record_id, prev_hash, digest, written_at in links:
        at.count += 1
        checks.see_time(seq, written_at)
        if seq != at.expected:
            add(Finding(CHAIN_GAP, kind, record_id, seq))
        elif prev_hash != at.previous:
            add(Finding(CHAIN_BREAK, kind, record_id, seq))
        at.expected, at.previous, at.head_seq = seq + 1, digest, seq
        stream = streams.get(kind)
        found, row = stream.take(record_id) if stream is not None else (DELETED, None)
        if row is None:
            add(Finding(found, kind, record_id, seq))
        elif not checks.redacted(kind, row, seq) and (
            link_hash(seq, kind, record_id, canonical(row, kind), prev_hash) != digest
        ):
            add(Finding(CHANGED, kind, record_id, seq))
        if checks.progress is not None and at.count % PROGRESS_EVERY == 0:
            checks.progress(at.count, checks.total)


def add_unlinked(streams: dict[str, _Rows | None], add: Callable[[Finding], None]) -> None:
    for table, stream in streams.items():
        for record_id in stream.unlinked() if stream is not None else []:
            add(Finding(INSERTED, table, record_id, None))


@dataclass
class Checks:
    """What a walk calls for each link: the clock watch, whether a blank PIN row is accepted
    (`redacted(table, row, seq)`), and progress (links checked of `total`)."""

    see_time: Callable[[int, str], None]
    redacted: Callable[[str, dict[str, Any], int], bool]
    progress: Progress | None = None
    total: int = 0


def check_pass(
    conn: sqlite3.Connection,
    tables: list[str],
    add: Callable[[Finding], None],
    checks: Checks,
) -> tuple[int, int | None, str | None]:
    """Check every link's place in the chain and its row; returns (links, head seq, head hash)."""
    checks.total = conn.execute(f"SELECT COALESCE(MAX(seq), 0) FROM {CHAIN_TABLE}").fetchone()[0]
    if checks.progress is not None:
        checks.progress(0, checks.total)
    streams = streams_of(conn, tables)
    at = Walk()
    walk(conn.execute(LINKS_SQL + " ORDER BY seq"), streams, at, add, checks)
    add_unlinked(streams, add)
    if checks.progress is not None:
        checks.progress(at.count, max(checks.total, at.count))
    return at.count, at.head_seq, at.previous if at.count else None
