"""Bulk writing with plain sqlite3, producing exactly what the services write: every column of
every row in its stored form, the search indexes of the calls, and one audit link per row, chained
with dutydesk.services.core.audit.canonical / link_hash in the order the rows were written."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from dutydesk.services.core.audit import GENESIS, canonical, link_hash
from dutydesk.services.core.search_catch_up import index_every_new_call

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FLUSH_ROWS = 20_000
COMMIT_ROWS = 250_000


def stamp(us: int) -> str:
    """Microseconds since the epoch as stored by dutydesk.models.types.to_storage."""
    return (EPOCH + timedelta(microseconds=us)).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def to_us(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@dataclass(slots=True)
class Row:
    """One record to write. `values` holds every column but `id` (the writer numbers rows in
    write order); `refs` are columns holding the id of a row written earlier."""

    table: str
    at: int  # when it was written (µs since the epoch): the audit link's written_at
    values: dict[str, Any]
    refs: dict[str, Row] = field(default_factory=dict)
    id: int | None = None
    # Called once the refs are filled, just before the row is written: for values built from
    # the ids of earlier rows (a "report_step:12" source, a handover's checklist JSON).
    finish: Callable[[Row], None] | None = None


class ChainWriter:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.columns: dict[str, list[str]] = {}
        self.next_id: dict[str, int] = {}
        self.buffers: dict[str, list[tuple[Any, ...]]] = {}
        self.links: list[tuple[Any, ...]] = []
        self.seq, self.prev = self._head()
        self.counts: dict[str, int] = {}
        self.pending_rows = 0
        self.uncommitted = 0
        conn.execute("BEGIN")

    def _head(self) -> tuple[int, str]:
        row = self.conn.execute("SELECT seq, hash FROM audit_link ORDER BY seq DESC LIMIT 1")
        head = row.fetchone()
        return (head[0], head[1]) if head else (0, GENESIS)

    def table(self, name: str, expected: set[str]) -> None:
        """Declare a table this build writes; refuse if the schema grew columns we don't fill."""
        columns = [r[1] for r in self.conn.execute(f'PRAGMA table_info("{name}")')]
        if not columns:
            raise SystemExit(f"bench: table {name} does not exist")
        if set(columns) != expected | {"id"}:
            raise SystemExit(
                f"bench: the generator for {name} is out of date with the schema "
                f"(schema {sorted(columns)}, generator {sorted(expected | {'id'})})"
            )
        self.columns[name] = columns
        self.buffers[name] = []
        last = self.conn.execute(f'SELECT max(id) FROM "{name}"').fetchone()[0]
        self.next_id[name] = (last or 0) + 1
        self.counts.setdefault(name, 0)

    def write(self, rows: list[Row]) -> None:
        """Write rows in this order (the order their transactions committed)."""
        for row in rows:
            values = row.values
            for column, target in row.refs.items():
                assert target.id is not None, f"{row.table}.{column} refers to an unwritten row"
                values[column] = target.id
            if row.finish is not None:
                row.finish(row)
            row_id = self.next_id[row.table]
            self.next_id[row.table] = row_id + 1
            row.id = row_id
            values["id"] = row_id
            columns = self.columns[row.table]
            self.buffers[row.table].append(tuple(values[c] for c in columns))
            payload = canonical(values, row.table)
            self.seq += 1
            digest = link_hash(self.seq, row.table, row_id, payload, self.prev)
            self.links.append((self.seq, row.table, row_id, self.prev, digest, stamp(row.at)))
            self.prev = digest
            self.counts[row.table] += 1
        self.pending_rows += len(rows)
        if self.pending_rows >= FLUSH_ROWS:
            self.flush()

    def flush(self, commit: bool = False) -> None:
        for name, rows in self.buffers.items():
            if rows:
                columns = self.columns[name]
                sql = (
                    f'INSERT INTO "{name}" ({", ".join(columns)}) '
                    f"VALUES ({', '.join('?' * len(columns))})"
                )
                self.conn.executemany(sql, rows)
                rows.clear()
        index_every_new_call(self.conn)  # the calls' search indexes, as upkeep writes them
        if self.links:
            self.conn.executemany(
                "INSERT INTO audit_link (seq, kind, record_id, prev_hash, hash, written_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                self.links,
            )
            self.links.clear()
        self.uncommitted += self.pending_rows
        self.pending_rows = 0
        if commit or self.uncommitted >= COMMIT_ROWS:
            self.conn.execute("COMMIT")
            self.conn.execute("BEGIN")
            self.uncommitted = 0

    def close(self) -> None:
        self.flush()
        self.conn.execute("COMMIT")
