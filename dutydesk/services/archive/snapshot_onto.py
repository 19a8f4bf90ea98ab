"""A full snapshot that continues a register already proven (issue 20: the city's quarterly
snapshot re-verified its whole chain, ~8 minutes of a desk-year's ingest).

The proven copy (the central archive's replica) holds the register as of a head whose every
link and row was checked when it arrived. A snapshot that continues that head holds the same
links up to it and the same rows they name: those are compared with the proven copy in SQL
(every column, its value and its storage class), not hashed again; only the links after the
head are walked and hashed as `dutydesk verify` walks them (verify_pass.walk). The few rows
not held link by link in the copy (the office row, which packs replace whole) are hashed
against their links as verify does.

This check only ever accepts: `False` means "not shown here" (a rewritten row, a schema that
changed, anything unusual), and the caller then runs the full check, whose verdict and message
stand. So nothing the full check refuses is accepted here."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from dutydesk.db import connect_readonly_file, sqlite_uri
from dutydesk.services.archive.export_pack import WHOLE_TABLES, Head
from dutydesk.services.archive.verify import VerifyReport, _audited_tables, _blank_pins_before
from dutydesk.services.archive.verify_pass import (
    CHAIN_TABLE,
    LINKS_SQL,
    REDACTED_TABLE,
    Checks,
    Finding,
    Walk,
    add_unlinked,
    link_digest,
    redacted_pin,
    streams_of,
    walk,
)
from dutydesk.services.archive.verify_rows import quoted

PROVEN = "proven"  # the proven copy, attached to the snapshot's connection


class _NotShown(Exception):
    """Something this check cannot show sound: the full check decides."""


def snapshot_continues(snapshot: Path, proven: Path, held: Head, pinned: Head | None) -> bool:
    """Whether the snapshot is shown sound: intact, its chain continuing `held` (the proven
    copy's head) through links that each hash their row, ending at `pinned`, no row unlinked."""
    if pinned is None or pinned.seq < held.seq:
        return False
    try:
        conn = connect_readonly_file(snapshot, immutable=True)
    except sqlite3.Error:
        return False
    try:
        conn.execute(f"ATTACH DATABASE ? AS {PROVEN}",
                     (sqlite_uri(proven, mode="ro", immutable="1"),))  # fmt: skip
        return _continues(conn, snapshot, held, pinned)
    except (sqlite3.Error, _NotShown):
        return False
    finally:
        conn.close()


def _continues(conn: sqlite3.Connection, snapshot: Path, held: Head, pinned: Head) -> bool:
    lines = [str(row[0]) for row in conn.execute("PRAGMA main.integrity_check")]
    if lines != ["ok"] or not _same_links(conn, held):
        return False
    tables = _audited_tables(conn, VerifyReport(snapshot))
    blank_before = _blank_pins_before(conn, archive=True)
    linked = {str(kind): (int(links), int(rows)) for kind, links, rows in conn.execute(
        f"SELECT kind, count(*), count(DISTINCT record_id) FROM {PROVEN}.{CHAIN_TABLE} "
        "GROUP BY kind")}  # fmt: skip
    bounds: dict[str, tuple[int | None, int | None]] = {}
    for table in tables:
        bound = _rows_up_to(conn, table, held.seq, blank_before, linked.get(table, (0, 0)))
        bounds[table] = (bound, None)
    findings: list[Finding] = []
    streams = streams_of(conn, tables, bounds)
    at = Walk(expected=held.seq + 1, previous=held.hash, count=held.seq, head_seq=held.seq)
    checks = Checks(None, lambda t, r, s: redacted_pin(t, r, s, blank_before))
    links = conn.execute(LINKS_SQL + " WHERE seq > ? ORDER BY seq", (held.seq,))
    walk(links, streams, at, findings.append, checks)
    add_unlinked(streams, findings.append)
    return not findings and (at.head_seq, at.previous) == (pinned.seq, pinned.hash)


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[tuple[Any, ...]]:
    return list(conn.execute(f"PRAGMA {schema}.table_xinfo({quoted(table)})"))


def _equal(columns: list[str]) -> str:
    """Each column the same value of the same storage class, compared byte for byte."""
    return " AND ".join(
        f"a.{c} IS b.{c} COLLATE BINARY AND typeof(a.{c}) = typeof(b.{c})"
        for c in map(quoted, columns)
    )


def _count(conn: sqlite3.Connection, sql: str, *params: Any) -> int:
    return int(conn.execute(sql, params).fetchone()[0])


def _same_links(conn: sqlite3.Connection, held: Head) -> bool:
    """The snapshot's links up to the held head are the proven copy's, which end there."""
    columns = _columns(conn, "main", CHAIN_TABLE)
    if columns != _columns(conn, PROVEN, CHAIN_TABLE):
        return False
    names = [str(column[1]) for column in columns]
    link = f"{PROVEN}.{CHAIN_TABLE}"
    proven = conn.execute(f"SELECT count(*), max(seq), min(seq) FROM {link}").fetchone()
    if tuple(proven) != (held.seq, held.seq, 1 if held.seq else None):
        return False
    last = conn.execute(f"SELECT hash FROM {link} WHERE seq = ?", (held.seq,)).fetchone()
    if held.seq and (last is None or last[0] != held.hash):
        return False
    mine = _count(conn, f"SELECT count(*) FROM main.{CHAIN_TABLE} WHERE seq <= ?", held.seq)
    same = _count(conn, f"SELECT count(*) FROM main.{CHAIN_TABLE} a JOIN {link} b "
                  f"ON a.seq = b.seq WHERE {_equal(names)}")  # fmt: skip
    return mine == same == held.seq


def _rows_up_to(
    conn: sqlite3.Connection,
    table: str,
    seq: int,
    blank_before: int | None,
    linked: tuple[int, int],
) -> int | None:
    """The highest id of `table` whose row is shown sound up to link `seq` (None: none), every
    row up to it linked by one of those links; _NotShown when that cannot be shown here.
    `linked`: the proven copy's links naming the table, and the rows they name."""
    mine = _columns(conn, "main", table)
    if "id" not in {str(column[1]) for column in mine}:
        raise _NotShown(table)
    theirs = _columns(conn, PROVEN, table)
    if table in WHOLE_TABLES or not theirs:
        return _hashed(conn, table, seq, blank_before)
    if mine != theirs or (table == REDACTED_TABLE and blank_before is None):
        raise _NotShown(table)  # a schema changed, unmarked PIN rows: the full check decides
    return _compared(conn, table, [str(column[1]) for column in mine], linked)


def _compared(
    conn: sqlite3.Connection, table: str, names: list[str], linked: tuple[int, int]
) -> int | None:
    """The proven copy's rows, as many as its links naming the table, each named once (its
    links name only rows it holds: it was checked so), found unchanged in the snapshot, which
    holds no other row among their ids."""
    name, theirs = quoted(table), f"{PROVEN}.{quoted(table)}"
    rows, top = conn.execute(f"SELECT count(*), max(id) FROM {theirs}").fetchone()
    if linked != (rows, rows):
        raise _NotShown(table)
    same = _count(conn, f"SELECT count(*) FROM {theirs} b JOIN main.{name} a ON a.id = b.id "
                  f"WHERE {_equal(names)}")  # fmt: skip
    below = _count(conn, f"SELECT count(*) FROM main.{name} WHERE id <= ?", top) if rows else 0
    if not same == below == rows:
        raise _NotShown(table)
    return int(top) if rows else None


def _hashed(conn: sqlite3.Connection, table: str, seq: int, blank_before: int | None) -> int | None:
    """A table the proven copy does not hold link by link (the office row, replaced whole by
    each pack) or not at all: its links up to `seq` hashed against the snapshot's rows."""
    name = quoted(table)
    links = conn.execute(
        f"SELECT seq, record_id, prev_hash, hash FROM main.{CHAIN_TABLE} "
        "WHERE kind = ? AND seq <= ? ORDER BY seq", (table, seq)).fetchall()  # fmt: skip
    ids = {int(record_id) for _, record_id, _, _ in links}
    if len(ids) != len(links):
        raise _NotShown(table)  # a row linked twice
    for link_seq, record_id, prev_hash, digest in links:
        cursor = conn.execute(f"SELECT * FROM main.{name} WHERE id = ?", (record_id,))
        values = cursor.fetchone()
        if values is None:
            raise _NotShown(table)
        row = dict(zip([c[0] for c in cursor.description], values, strict=True))
        if redacted_pin(table, row, link_seq, blank_before):
            continue
        if link_digest(link_seq, table, record_id, row, prev_hash) != digest:
            raise _NotShown(table)
    top = max(ids, default=None)
    below = _count(conn, f"SELECT count(*) FROM main.{name} WHERE id <= ?", top) if ids else 0
    if below != len(ids):
        raise _NotShown(table)
    return top
