"""One range of the chain, checked in a process of its own (verify_parallel.py): the links
`first`..`last` walked exactly as the one pass walks them (verify_pass.walk), from the link
before the range, against the rows of each table that fall to this range.

Imports only what the walk needs (no models, no ORM): a spawned process starts in a fraction
of a second."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from dutydesk.services.archive.verify_clock import ClockWatch
from dutydesk.services.archive.verify_pass import (
    CHAIN_TABLE,
    LINKS_SQL,
    Checks,
    Finding,
    IdRange,
    Walk,
    add_unlinked,
    redacted_pin,
    streams_of,
    walk,
)


@dataclass(frozen=True)
class Range:
    path: str
    first: int
    last: int
    ids: dict[str, IdRange]  # each table's rows this range takes
    tables: list[str]
    blank_before: int | None  # PIN rows linked before this may be blank (redacted_pin)
    tolerance_s: int


@dataclass
class RangeResult:
    findings: list[Finding] = field(default_factory=list)
    count: int = 0
    head_seq: int | None = None
    head: str | None = None
    redacted: int = 0
    steps: list[Any] = field(default_factory=list)  # clock steps, the watch started empty
    latest: tuple[datetime, int | None] | None = None  # the latest time seen and its link


def previous_link(conn: sqlite3.Connection, first: int) -> Walk:
    row = conn.execute(
        f"SELECT seq, hash FROM {CHAIN_TABLE} WHERE seq < ? ORDER BY seq DESC LIMIT 1", (first,)
    ).fetchone()
    return Walk() if row is None else Walk(expected=row[0] + 1, previous=row[1])


def check_range(part: Range) -> RangeResult:
    """One range (verify_pass.walk over its links), in a process of its own."""
    from dutydesk.db import connect_readonly_file

    result = RangeResult()
    clock = ClockWatch(part.tolerance_s)

    def redacted(table: str, row: dict[str, Any], seq: int) -> bool:
        if redacted_pin(table, row, seq, part.blank_before):
            result.redacted += 1
            return True
        return False

    conn = connect_readonly_file(Path(part.path))
    try:
        conn.execute("BEGIN")
        at = previous_link(conn, part.first)
        streams = streams_of(conn, part.tables, part.ids)
        links = conn.execute(LINKS_SQL + " WHERE seq BETWEEN ? AND ? ORDER BY seq",
                             (part.first, part.last))  # fmt: skip
        walk(links, streams, at, result.findings.append, Checks(clock, redacted))
        add_unlinked(streams, result.findings.append)
    finally:
        conn.close()
    result.count, result.head_seq = at.count, at.head_seq
    result.head = at.previous if at.count else None
    result.steps = clock.steps
    result.latest = (clock.latest, clock.latest_seq) if clock.latest is not None else None
    return result


def range_highest(conn: sqlite3.Connection, first: int, last: int) -> dict[str, int]:
    """The highest record id each kind's links name in links `first`..`last`."""
    query = (f"SELECT kind, max(record_id) FROM {CHAIN_TABLE}"
             " WHERE seq BETWEEN ? AND ? GROUP BY kind")  # fmt: skip
    return dict(conn.execute(query, (first, last)).fetchall())
