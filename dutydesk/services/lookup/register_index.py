"""The documents' and contacts' search indexes hold exactly the live records and their text:
checked by `dutydesk verify`, rebuilt by `dutydesk reindex` (as search_index does for calls).

Table-driven by register_sql.REGISTER_INDEXES. For each register it checks that the index
table holds exactly the live ids, that each row's text is the record's text now (recomputed
by the SQL the triggers use), and that each FTS5 index holds a document for every row and no
other (its `<index>_docsize` ids), the trigram one with the token count of that text
(characters - 2). The pairs index is checked for its ids only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from dutydesk.services.core.search_index import SHOWN, IndexProblem, schema_revision
from dutydesk.services.lookup.register_sql import (
    INDEX_SINCE,
    REGISTER_INDEXES,
    RegisterIndex,
    rebuild_sql,
    sync_triggers_sql,
)

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

Query = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]


NOTHING = "SELECT 0 AS id WHERE 0"


def _difference(query: Query, left: str, right: str) -> tuple[list[int], int]:
    if left == NOTHING:  # SQLite still works out the right side of an EXCEPT from nothing
        return [], 0  # (verify: the documents' text check ran twice, 1.2 s each on ten years)
    sql = f"SELECT id FROM ({left}) EXCEPT SELECT id FROM ({right})"
    count = int(query(f"SELECT COUNT(*) FROM ({sql})", ())[0][0])
    shown = [row[0] for row in query(f"{sql} ORDER BY id LIMIT {SHOWN}", ())] if count else []
    return shown, count


def _problem(query: Query, name: str, expected: str, held: str) -> IndexProblem | None:
    missing, missing_count = _difference(query, expected, held)
    extra, extra_count = _difference(query, held, expected)
    if missing_count or extra_count:
        return IndexProblem(name, missing, extra, missing_count, extra_count)
    return None


def _text_sql(index: RegisterIndex) -> str:
    """Ids of index rows whose text is not the record's text now."""
    return f"SELECT s.id AS id FROM {index.table} AS s WHERE s.text IS NOT {index.text('s.id')}"


def _token_sql(index: RegisterIndex) -> str:
    """Ids of trigram documents whose token count is not that of the row's text (one varint
    byte holds counts below 128; a longer text is left to the text check)."""
    fts = index.fts[0]
    return (
        f"SELECT d.id AS id FROM {fts}_docsize AS d JOIN {index.table} AS s ON s.id = d.id "
        "WHERE length(s.text) < 130 AND hex(d.sz) != printf('%02X', max(length(s.text) - 2, 0))"
    )


def register_index_problems(query: Query) -> list[IndexProblem]:
    """Each documents/contacts index not holding exactly the live records and their text
    (a missing index counts as holding nothing). A register from before migration 0024 has
    none to check."""
    revision = schema_revision(query)
    if revision is not None and revision < INDEX_SINCE:
        return []
    tables = {row[0] for row in query("SELECT name FROM sqlite_master WHERE type='table'", ())}
    problems: list[IndexProblem | None] = []
    for index in REGISTER_INDEXES:
        if index.register in tables:
            problems += _register_problems(query, index, tables)
    return [problem for problem in problems if problem is not None]


def _register_problems(
    query: Query, index: RegisterIndex, tables: set[str]
) -> list[IndexProblem | None]:
    nothing = NOTHING
    if index.table not in tables:
        return [_problem(query, index.table, index.live_ids, nothing)]
    held = f"SELECT id FROM {index.table}"
    found = [_problem(query, index.table, index.live_ids, held),
             _problem(query, f"{index.table}.text", nothing, _text_sql(index))]  # fmt: skip
    for fts in index.fts:
        docs = f"SELECT id FROM {fts}_docsize" if f"{fts}_docsize" in tables else nothing
        found.append(_problem(query, fts, held, docs))
    if f"{index.fts[0]}_docsize" in tables:
        found.append(_problem(query, f"{index.fts[0]}.tokens", nothing, _token_sql(index)))
    return found


def fill_register_indexes(execute: Callable[..., Any]) -> int:
    """Write each index again from the registers, whatever it held; returns the rows written.
    `execute` runs one SQL statement (a connection's exec_driver_sql)."""
    count = 0
    for index in REGISTER_INDEXES:
        triggers = sync_triggers_sql(index)
        for name in triggers:  # a damaged FTS5 index refuses deletes: both are written whole
            execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in rebuild_sql(index):
            execute(statement)
        for name, body in triggers.items():
            execute(f"CREATE TRIGGER {name} {body}")
        count += int(execute(f"SELECT COUNT(*) FROM {index.table}").scalar())
    return count


def rebuild_register_indexes(desk: Desk) -> int:
    """`dutydesk reindex` for documents and contacts, in one transaction."""
    from dutydesk.db import with_lock_retry, write_session

    def _rebuild() -> int:
        with write_session(desk.engine) as session:
            return fill_register_indexes(session.connection().exec_driver_sql)

    return with_lock_retry(_rebuild, desk.path)
