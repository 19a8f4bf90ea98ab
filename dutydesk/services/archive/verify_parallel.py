"""The one pass of verify_pass.py on every core (issue 19: ten years in under 15 s).

The chain is cut into ranges of links, each checked in a process of its own exactly as the
single pass checks it (verify_pass.walk), from the link before its first: so the joins between
ranges (gaps, breaks) are checked as in one pass. Each table's rows are split between the ranges
by the highest id its links name up to each range's end (ids ascend along the chain), the last
range taking every row above. Where a range finds a row deleted, inserted or linked twice, the
split may be the cause (a row linked out of order): the register is then checked again in one
pass, whose verdict stands. A range's clock watch starts empty; the times stepping back across
a join are found again here, from the latest time of the ranges before (_clock_steps).

The processes are spawned (not forked: the app runs verify in a thread) and read their own
snapshot: a row written since this pass's snapshot is inserted to them, and the one pass decides."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from dutydesk.services.archive.register_checks import MAX_CLOCK_STEPS, ClockWatch
from dutydesk.services.archive.verify_pass import (
    CHAIN_TABLE,
    CHANGED,
    LINKS_SQL,
    Checks,
    Finding,
    IdRange,
    Progress,
    Walk,
    add_unlinked,
    streams_of,
    walk,
)
from dutydesk.services.core import GENESIS

PARALLEL_FROM = 300_000  # links: below this one pass is as quick as starting the processes
RANGE_LINKS = 100_000  # links per range (a progress step)
CHAIN_FINDINGS = frozenset({"gap", "break", CHANGED})  # a range finds these as one pass does


@dataclass(frozen=True)
class Range:
    path: str
    first: int
    last: int
    ids: dict[str, IdRange]  # each table's rows this range takes
    tables: list[str]
    blank_before: int | None  # PIN rows linked before this may be blank (verify._redacted)
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


@dataclass
class Outcome:
    """The pass over every range: None from `parallel_pass` when one pass must decide."""

    findings: list[Finding]
    count: int
    head_seq: int | None
    head: str | None
    redacted: int
    steps: list[Any]


def wanted(links: int) -> bool:
    return links >= PARALLEL_FROM and (os.cpu_count() or 1) > 1


def _previous_link(conn: sqlite3.Connection, first: int) -> Walk:
    row = conn.execute(
        f"SELECT seq, hash FROM {CHAIN_TABLE} WHERE seq < ? ORDER BY seq DESC LIMIT 1", (first,)
    ).fetchone()
    return Walk() if row is None else Walk(expected=row[0] + 1, previous=row[1])


def check_range(part: Range) -> RangeResult:
    """One range, in a process of its own (verify_pass.walk over its links)."""
    from dutydesk.db import connect_readonly_file
    from dutydesk.services.archive.verify import _redacted

    result = RangeResult()
    clock = ClockWatch(part.tolerance_s)

    def redacted(table: str, row: dict[str, Any], seq: int) -> bool:
        if _redacted(table, row, seq, part.blank_before):
            result.redacted += 1
            return True
        return False

    conn = connect_readonly_file(Path(part.path))
    try:
        conn.execute("BEGIN")
        at = _previous_link(conn, part.first)
        streams = streams_of(conn, part.tables, part.ids)
        links = conn.execute(LINKS_SQL + " WHERE seq BETWEEN ? AND ? ORDER BY seq",
                             (part.first, part.last))  # fmt: skip
        walk(links, streams, at, result.findings.append, Checks(clock.see, redacted))
        add_unlinked(streams, result.findings.append)
    finally:
        conn.close()
    result.count, result.head_seq = at.count, at.head_seq
    result.head = at.previous if at.count else None
    result.steps = clock.steps
    result.latest = (clock.latest, clock.latest_seq) if clock.latest is not None else None
    return result


def range_highest(job: tuple[str, int, int]) -> dict[str, int]:
    """The highest record id each kind's links name in links `first`..`last` (in a process)."""
    from dutydesk.db import connect_readonly_file

    path, first, last = job
    conn = connect_readonly_file(Path(path))
    try:
        query = (f"SELECT kind, max(record_id) FROM {CHAIN_TABLE}"
                 " WHERE seq BETWEEN ? AND ? GROUP BY kind")  # fmt: skip
        return dict(conn.execute(query, (first, last)).fetchall())
    finally:
        conn.close()


def _ranges(highest: list[dict[str, int]], last_seq: int, template: Range) -> list[Range]:
    """The ranges of RANGE_LINKS links, each table's rows split by the highest id its links
    name up to each range's end (`highest`: each range's own, from range_highest)."""
    count = len(highest)
    so_far: dict[str, int] = {}
    ranges = []
    for index in range(count):
        above = dict(so_far)
        for kind, record_id in highest[index].items():
            so_far[kind] = max(so_far.get(kind, record_id), record_id)
        final = index == count - 1
        ids = {table: (above.get(table), None if final else so_far.get(table, above.get(table)))
               for table in template.tables}  # fmt: skip
        if not final:  # a table none of whose links came yet: no rows before the last range
            ids = {t: bounds if t in so_far else (0, 0) for t, bounds in ids.items()}
        first = index * RANGE_LINKS + 1
        last = last_seq if final else first + RANGE_LINKS - 1
        ranges.append(Range(template.path, first, last, ids, template.tables,
                            template.blank_before, template.tolerance_s))  # fmt: skip
    return ranges


def parallel_pass(
    conn: sqlite3.Connection, template: Range, progress: Progress | None
) -> Outcome | None:
    """Every range checked on every core, merged in chain order; None when one pass must
    decide (a row deleted, inserted or linked twice, or links numbered below 1)."""
    first, last_seq = conn.execute(f"SELECT min(seq), max(seq) FROM {CHAIN_TABLE}").fetchone()
    if first is None or first < 1:
        return None
    results: list[RangeResult] = []
    if progress is not None:
        progress(0, last_seq)
    count = (last_seq + RANGE_LINKS - 1) // RANGE_LINKS
    bounds = [(template.path, i * RANGE_LINKS + 1, min(last_seq, (i + 1) * RANGE_LINKS))
              for i in range(count)]  # fmt: skip
    context = multiprocessing.get_context("spawn")
    with context.Pool(min(count, os.cpu_count() or 1)) as pool:
        ranges = _ranges(pool.map(range_highest, bounds), last_seq, template)
        for result in pool.imap(check_range, ranges):
            if any(f.problem not in CHAIN_FINDINGS for f in result.findings):
                pool.terminate()
                return None
            results.append(result)
            if progress is not None:
                progress(sum(r.count for r in results), last_seq)
    steps = _clock_steps(conn, ranges, results, template.tolerance_s)
    counted = [r for r in results if r.count]
    return Outcome(
        findings=[f for r in results for f in r.findings],
        count=sum(r.count for r in results),
        head_seq=counted[-1].head_seq if counted else None,
        head=counted[-1].head if counted else None,
        redacted=sum(r.redacted for r in results),
        steps=steps,
    )


def _clock_steps(
    conn: sqlite3.Connection, ranges: list[Range], results: list[RangeResult], tolerance_s: int
) -> list[Any]:
    """The clock steps one watch along the whole chain finds. A range's own watch agrees with
    it from the first link whose time passes the latest before the range; the links up to that
    one are watched again here, from that latest time."""
    steps: list[Any] = []
    latest: tuple[datetime, int | None] | None = None
    for part, result in zip(ranges, results, strict=True):
        if latest is None:
            steps.extend(result.steps)
        else:
            caught_up = _rewatch(conn, part, latest, tolerance_s, steps.append)
            steps.extend(s for s in result.steps if caught_up is not None
                         and s.args["seq"] > caught_up)  # fmt: skip
        if result.latest is not None and (latest is None or result.latest[0] > latest[0]):
            latest = result.latest
    return steps[:MAX_CLOCK_STEPS]


def _rewatch(
    conn: sqlite3.Connection,
    part: Range,
    latest: tuple[datetime, int | None],
    tolerance_s: int,
    step: Callable[[Any], None],
) -> int | None:
    """Watch `part`'s links from `latest` until one passes it: that link's seq (None: none did)."""
    watch = ClockWatch(tolerance_s)
    watch.latest, watch.latest_seq = latest
    query = f"SELECT seq, written_at FROM {CHAIN_TABLE} WHERE seq BETWEEN ? AND ? ORDER BY seq"
    for seq, written_at in conn.execute(query, (part.first, part.last)):
        before = len(watch.steps)
        watch.see(seq, written_at)
        for found in watch.steps[before:]:
            step(found)
        if watch.latest_seq == seq:
            return int(seq)
    return None


__all__ = ["GENESIS", "Outcome", "Range", "check_range", "parallel_pass", "wanted"]
