"""Each chained table's rows in id order for verify's pass (verify_pass.py), with the canonical
form each link hashes (services/core/audit.canonical) already made, as UTF-8 bytes.

Issue 19: building the canonical form in Python (a dict per row, then the JSON encoder) was
most of verify's time. SQLite's json_object writes the same bytes, in C, as the rows are read:
the columns in sorted order, compact, text as is but for the escapes Python's encoder makes
(checked against it once per process on every character that needs one: _sqlite_agrees), the
later columns left out while NULL as audit.LATER_COLUMNS says. Where SQLite's output could
differ from Python's the row is made in Python, as before: a REAL value (SQLite prints 15
digits, Python the shortest exact form; a row holding one is marked by the query), a BLOB
(json_object refuses it: the rest of the table is read in Python, which refuses it too), a
table `in_python` names (the PIN rows verify may accept blanked)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from functools import cache
from typing import Any

from dutydesk.services.core.audit import LATER_COLUMNS, canonical

IdRange = tuple[int | None, int | None]  # ids above the first, up to the second (None: open)
Payload = bytes | dict[str, Any]  # the canonical form made, or the row to make it from
MAX_LATER = 3  # later columns one table may have for the SQL form (2**n forms of the row)
REAL_TYPES = ("REAL", "FLOA", "DOUB")  # SQLite's rules for a column's type affinity


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _holds_real(declared: str) -> bool:
    """Whether a column of this declared type can store a REAL: any but TEXT affinity."""
    declared = declared.upper()
    return "INT" in declared or not any(word in declared for word in ("CHAR", "CLOB", "TEXT"))


def json_sql(names: list[str], types: dict[str, str], table: str) -> str | None:
    """The SQL expression of a row's canonical form as a BLOB (NULL when the row holds a REAL:
    made in Python), or None when the table's rows are all made in Python."""
    declared = {name: types.get(name.lower(), "") for name in names}
    if any(word in kind.upper() for kind in declared.values() for word in REAL_TYPES):
        return None  # a REAL column: every row made in Python
    later = sorted(LATER_COLUMNS.get(table, frozenset()) & set(names))
    if len(later) > MAX_LATER:
        return None

    def form(left_out: set[str]) -> str:
        pairs = [f"{_literal(n)}, {quoted(n)}" for n in sorted(names) if n not in left_out]
        return f"json_object({', '.join(pairs)})"

    def choose(index: int, left_out: set[str]) -> str:
        if index == len(later):
            return form(left_out)
        column = quoted(later[index])
        when_null = choose(index + 1, left_out | {later[index]})
        return f"CASE WHEN {column} IS NULL THEN {when_null} ELSE {choose(index + 1, left_out)} END"

    reals = [f"typeof({quoted(n)}) = 'real'" for n in names if _holds_real(declared[n])]
    guard = " OR ".join(reals) or "0"
    return f"CASE WHEN {guard} THEN NULL ELSE CAST({choose(0, set())} AS BLOB) END"


PROBES: tuple[Any, ...] = (
    "".join(chr(code) for code in range(128)),
    "值班台 é \u2028\u2029\ufeff \U0001f600 \\ \" ' \x7f",
    "",
    0,
    -1,
    2**63 - 1,
    -(2**63),
    None,
)


@cache
def _sqlite_agrees() -> bool:
    """Whether this SQLite writes each probe as audit.canonical does (once per process)."""
    conn = sqlite3.connect(":memory:")
    try:
        for value in PROBES:
            made = conn.execute("SELECT CAST(json_object('k', ?) AS BLOB)", (value,)).fetchone()[0]
            if made != canonical({"k": value}).encode():
                return False
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


class Rows:
    """One table's rows in id order as (id, payload), consumed as the chain names them."""

    def __init__(
        self, conn: sqlite3.Connection, table: str, ids: IdRange, in_python: bool = False
    ) -> None:
        self.conn, self.table = conn, table
        self.where, self.bounds = _condition(ids)
        shape = conn.execute(f"SELECT * FROM {quoted(table)} LIMIT 0")
        self.names = [column[0] for column in shape.description]
        types = {row[1].lower(): row[2] or "" for row in conn.execute(
            f"PRAGMA table_xinfo({quoted(table)})")}  # fmt: skip
        made = None if in_python or not _sqlite_agrees() else json_sql(self.names, types, table)
        self.cursor: Iterator[tuple[Any, Any]] = self._open(made, self.where, self.bounds)
        self.ahead: tuple[Any, Any] | None = None
        self.aside: dict[int, Any] = {}  # passed over, not (yet) linked
        self.last_taken: int | None = None
        self.advance()

    def _open(
        self, made: str | None, where: str, bounds: tuple[int, ...]
    ) -> Iterator[tuple[Any, Any]]:
        if made is None:
            query = f"SELECT id, * FROM {quoted(self.table)}{where} ORDER BY id"
            return ((row[0], row[1:]) for row in self.conn.execute(query, bounds))
        query = f"SELECT id, {made} FROM {quoted(self.table)}{where} ORDER BY id"
        return iter(self.conn.execute(query, bounds))

    def advance(self) -> None:
        """The next row read into `ahead` (None at the end)."""
        try:
            self.ahead = next(self.cursor, None)
        except sqlite3.OperationalError:  # json_object refuses a BLOB: read the rest in Python
            if self.ahead is None:  # the first row: the table from the start
                self.cursor = self._open(None, self.where, self.bounds)
            else:  # the rows after the one read last (still `ahead` here)
                where = self.where + (" AND" if self.where else " WHERE") + " id > ?"
                self.cursor = self._open(None, where, (*self.bounds, self.ahead[0]))
            self.ahead = next(self.cursor, None)

    def payload(self, found: tuple[Any, Any]) -> Payload:
        """The row's canonical form as bytes, or the row itself where Python makes it."""
        made = found[1]
        if isinstance(made, bytes):
            return made
        if made is None:  # the query marked a REAL value: the row read again, made in Python
            query = f"SELECT * FROM {quoted(self.table)} WHERE id = ?"
            made = self.conn.execute(query, (found[0],)).fetchone()
        return dict(zip(self.names, made, strict=True))

    def take(self, record_id: int) -> tuple[str, Payload | None]:
        """("row", its payload) for the link naming `record_id`, or ("duplicate"|"deleted", None)."""
        found = self.aside.pop(record_id, None)
        while found is None and self.ahead is not None and self.ahead[0] <= record_id:
            row = self.ahead
            self.advance()
            if row[0] == record_id:
                found = row
            else:
                self.aside[row[0]] = row
        if found is not None:
            self.last_taken = record_id
            return "row", self.payload(found)
        if record_id == self.last_taken or self._exists(record_id):
            return "duplicate", None
        return "deleted", None

    def _exists(self, record_id: int) -> bool:
        """Only for a link out of order: is its row there (taken by an earlier link)?"""
        query = f"SELECT 1 FROM {quoted(self.table)} WHERE id = ?"
        return self.conn.execute(query, (record_id,)).fetchone() is not None

    def unlinked(self) -> list[int]:
        rest = []
        while self.ahead is not None:
            rest.append(self.ahead[0])
            self.advance()
        return sorted([*self.aside, *rest])


def _condition(ids: IdRange) -> tuple[str, tuple[int, ...]]:
    above, upto = ids  # a range pass (verify_parallel.py) reads id > above and id <= upto
    parts = [("id > ?", above), ("id <= ?", upto)]
    kept = [(sql, int(value)) for sql, value in parts if value is not None]
    where = " AND ".join(sql for sql, _value in kept)
    return (f" WHERE {where}" if where else ""), tuple(value for _sql, value in kept)


def canonical_bytes(table: str, payload: Payload) -> bytes:
    return payload if isinstance(payload, bytes) else canonical(payload, table).encode()
