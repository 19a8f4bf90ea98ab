"""The one pass of verify_pass.py on every core (issue 19: ten years in under 15 s).

The chain is cut into ranges of links, each checked in a process of its own exactly as the
single pass checks it (verify_range.check_range), from the link before its first: so the joins
between ranges (gaps, breaks) are checked as in one pass. Each table's rows are split between
the ranges by the highest id its links name up to each range's end (ids ascend along the
chain), the last range taking every row above. Where a range finds a row deleted, inserted or
linked twice, the split may be the cause (a row linked out of order): the register is then
checked again in one pass, whose verdict stands. A range's clock watch starts empty; the times
stepping back across a join are found again here, from the latest time of the ranges before
(_clock_steps).

`start` hands each range to the processes as soon as its split is known and returns: the
caller checks the rest of the register (indexes, triggers, anchors) meanwhile, on this
process's own snapshot, then collects the ranges with `finish`. Progress is reported as each
range ends, from the pool's result thread.

The processes are spawned (not forked: the app runs verify in a thread) and read their own
snapshot: a row written since this pass's snapshot is inserted to them, and the one pass decides."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

from dutydesk.services.archive.verify_clock import MAX_CLOCK_STEPS, ClockWatch
from dutydesk.services.archive.verify_pass import CHAIN_TABLE, CHANGED, Finding, Progress
from dutydesk.services.archive.verify_range import Range as Range
from dutydesk.services.archive.verify_range import RangeResult, check_range, range_highest

PARALLEL_FROM = 300_000  # links: below this one pass is as quick as starting the processes
RANGE_LINKS = 100_000  # links per range (a progress step)
CHAIN_FINDINGS = frozenset({"gap", "break", CHANGED})  # a range finds these as one pass does


@dataclass
class Outcome:
    """The pass over every range: None from `finish` when one pass must decide."""

    findings: list[Finding]
    count: int
    head_seq: int | None
    head: str | None
    redacted: int
    steps: list[Any]


@dataclass
class Running:
    """The ranges handed to the processes, in chain order, and what has come back."""

    pool: Pool
    ranges: list[Range] = field(default_factory=list)
    pending: list[AsyncResult[RangeResult]] = field(default_factory=list)
    done: int = 0  # links checked so far
    undecided: bool = False  # a range found what only the one pass may judge


def wanted(links: int) -> bool:
    return links >= PARALLEL_FROM and (os.cpu_count() or 1) > 1


def start(
    conn: sqlite3.Connection,
    template: Range,
    progress: Progress | None,
    tables_for: Callable[[set[str]], list[str]],
) -> Running | None:
    """Every range handed to a process on every core; None when one pass must decide (links
    numbered below 1). `tables_for(kinds)`: every table to check, given the kinds the links
    name (read here with the splits: no scan of the chain of its own)."""
    first, last_seq = chain_bounds(conn)
    if first is None or first < 1 or last_seq is None:
        return None
    if progress is not None:
        progress(0, last_seq)
    count = (last_seq + RANGE_LINKS - 1) // RANGE_LINKS
    context = multiprocessing.get_context("spawn")
    running = Running(context.Pool(min(count, os.cpu_count() or 1)))

    def ended(result: RangeResult) -> None:  # in the pool's result thread, in order of ending
        running.undecided |= any(f.problem not in CHAIN_FINDINGS for f in result.findings)
        running.done += result.count
        if progress is not None:
            progress(running.done, last_seq)

    try:
        for part in _ranges(conn, last_seq, template, tables_for):
            running.ranges.append(part)
            running.pending.append(running.pool.apply_async(check_range, (part,), callback=ended))
    except BaseException:
        running.pool.terminate()
        raise
    running.pool.close()
    return running


def chain_bounds(conn: sqlite3.Connection) -> tuple[int | None, int | None]:
    """The chain's first and last seq, each read from the end of its key. Asked together in one
    SELECT, SQLite reads every link instead (ten years: 0.5-0.9 s, before any range starts)."""
    query = f"SELECT (SELECT min(seq) FROM {CHAIN_TABLE}), (SELECT max(seq) FROM {CHAIN_TABLE})"
    first, last = conn.execute(query).fetchone()
    return first, last


def finish(conn: sqlite3.Connection, running: Running, tolerance_s: int) -> Outcome | None:
    """The ranges' verdicts merged in chain order; None when one pass must decide (a row
    deleted, inserted or linked twice)."""
    try:
        results = [pending.get() for pending in running.pending]
    finally:
        running.pool.terminate()
    if running.undecided:
        return None
    steps = _clock_steps(conn, running.ranges, results, tolerance_s)
    counted = [r for r in results if r.count]
    return Outcome(
        findings=[f for r in results for f in r.findings],
        count=sum(r.count for r in results),
        head_seq=counted[-1].head_seq if counted else None,
        head=counted[-1].head if counted else None,
        redacted=sum(r.redacted for r in results),
        steps=steps,
    )


def _ranges(
    conn: sqlite3.Connection,
    last_seq: int,
    template: Range,
    tables_for: Callable[[set[str]], list[str]],
) -> Iterator[Range]:
    """The ranges of RANGE_LINKS links in chain order, each table's rows split by the highest
    id its links name up to each range's end (each given as soon as its split is known). A
    range before the last reads the tables its links and those before name; the last one
    every table, with all the rows no range took."""
    count = (last_seq + RANGE_LINKS - 1) // RANGE_LINKS
    so_far: dict[str, int] = {}
    for index in range(count):
        first = index * RANGE_LINKS + 1
        last = last_seq if index == count - 1 else first + RANGE_LINKS - 1
        above = dict(so_far)
        for kind, record_id in range_highest(conn, first, last).items():
            so_far[kind] = max(so_far.get(kind, record_id), record_id)
        final = index == count - 1
        tables = tables_for(set(so_far)) if final else sorted(so_far)
        ids = {table: (above.get(table), None if final else so_far[table]) for table in tables}
        yield replace(template, first=first, last=last, ids=ids, tables=tables)


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


__all__ = ["Outcome", "Range", "Running", "check_range", "finish", "start", "wanted"]
