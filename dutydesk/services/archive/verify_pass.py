"""One pass over the chain (issue 19: ten years of links in seconds): the links read once in
chain order, and beside them each chained table's rows read once in id order, merged.

Rows of a table are written in the same transaction as their links, so along the chain each
table's ids ascend: each link's row is the next one its table's cursor gives. Rows passed over
(no link yet) are kept aside until a later link names them or the pass ends (then they were
inserted behind DutyDesk's back); a link naming an id already passed and not kept aside is a
duplicate (the row is there, linked before) or a deleted row (it is not)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from dutydesk.services.archive.verify_clock import ClockWatch
from dutydesk.services.archive.verify_rows import IdRange as IdRange
from dutydesk.services.archive.verify_rows import Payload, Rows, canonical_bytes, quoted
from dutydesk.services.core.audit import GENESIS, link_hash_of

CHAIN_TABLE = "audit_link"
PROGRESS_EVERY = 20_000  # links between two progress reports
REDACTED_TABLE = "person_pin"  # an archive's snapshot blanks its PIN hashes (redacted_pin)
IN_PYTHON = frozenset({REDACTED_TABLE})  # their rows reach Checks.redacted as dicts

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


def streams_of(
    conn: sqlite3.Connection,
    tables: list[str],
    ids: dict[str, IdRange] | None = None,
) -> dict[str, Rows | None]:
    """Each table's rows (within `ids[table]` when given); None for a table that is gone or
    lost its ids (its links: deleted)."""
    streams: dict[str, Rows | None] = {}
    for table in tables:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({quoted(table)})")]
        bounds = ids.get(table, (None, None)) if ids is not None else (None, None)
        streams[table] = Rows(conn, table, bounds, table in IN_PYTHON) if "id" in columns else None
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
    streams: dict[str, Rows | None],
    at: Walk,
    add: Callable[[Finding], None],
    checks: Checks,
) -> None:
    """Check each of `links` (in seq order) against the chain so far (`at`, updated) and its
    row, the next one its table's stream gives (taken here when it is the one ahead and made
    by SQLite, the usual case, else by _check_row). Kept in locals: ten years of links."""
    clock, progress = checks.clock, checks.progress
    expected, previous, count, head_seq = at.expected, at.previous, at.count, at.head_seq
    try:
        for seq, kind, record_id, prev_hash, digest, written_at in links:
            count += 1
            if clock is not None:
                clock.see(seq, written_at)
            if seq != expected:
                add(Finding(CHAIN_GAP, kind, record_id, seq))
            elif prev_hash != previous:
                add(Finding(CHAIN_BREAK, kind, record_id, seq))
            expected, previous, head_seq = seq + 1, digest, seq
            stream = streams.get(kind)
            if (
                stream is not None
                and (ahead := stream.ahead) is not None
                and ahead[0] == record_id
                and type(ahead[1]) is bytes
            ):
                stream.advance()  # ids ascend: nothing kept aside can be this one
                stream.last_taken = record_id
                if link_hash_of(seq, kind, record_id, ahead[1], prev_hash) != digest:
                    add(Finding(CHANGED, kind, record_id, seq))
            else:
                _check_row(stream, (seq, kind, record_id, prev_hash, digest), add, checks)
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count, checks.total)
    finally:
        at.expected, at.previous, at.count, at.head_seq = expected, previous, count, head_seq


def _check_row(
    stream: Rows | None,
    link: tuple[Any, str, Any, Any, Any],
    add: Callable[[Finding], None],
    checks: Checks,
) -> None:
    """A link whose row is not simply the next one made by SQLite: kept aside, made in Python,
    linked twice, deleted, or its table gone."""
    seq, kind, record_id, prev_hash, digest = link
    found, row = stream.take(record_id) if stream is not None else (DELETED, None)
    if row is None:
        add(Finding(found, kind, record_id, seq))
    elif not (isinstance(row, dict) and checks.redacted(kind, row, seq)) and (
        link_digest(seq, kind, record_id, row, prev_hash) != digest
    ):
        add(Finding(CHANGED, kind, record_id, seq))


def link_digest(seq: int, kind: str, record_id: int, payload: Payload, prev_hash: str) -> str:
    """The hash the link of this row must hold (audit.link_hash over the same bytes); "" for
    a row no canonical form can be made of (a BLOB put in a text column: JSON has none), which
    no link holds, so the row is reported changed (verify stopped with a TypeError: breaker,
    session 19)."""
    try:
        made = canonical_bytes(kind, payload)
    except (TypeError, ValueError):
        return ""
    return link_hash_of(seq, kind, record_id, made, prev_hash)


def add_unlinked(streams: dict[str, Rows | None], add: Callable[[Finding], None]) -> None:
    for table, stream in streams.items():
        for record_id in stream.unlinked() if stream is not None else []:
            add(Finding(INSERTED, table, record_id, None))


@dataclass
class Checks:
    """What a walk calls for each link: the clock watch (None: times not watched), whether a
    blank PIN row is accepted (`redacted(table, row, seq)`), and progress (links checked of
    `total`)."""

    clock: ClockWatch | None
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


def redacted_pin(table: str, row: dict[str, Any], seq: int, blank_before: int | None) -> bool:
    """A PIN row from an archive's snapshot: its hash and salt blanked so that no PIN can be
    guessed from an archive. Its link cannot be recomputed without them; the link's place in the
    chain still is (walk), and the live register's copy is checked in full. `blank_before`: the
    link before which a blank PIN row is accepted (verify._blank_pins_before; None: none is)."""
    if blank_before is None or seq >= blank_before or table != REDACTED_TABLE:
        return False
    return row.get("pin_hash") == "" and row.get("salt") == ""
