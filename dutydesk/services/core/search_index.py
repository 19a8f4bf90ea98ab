"""The search indexes hold exactly the live call rows: checked by `dutydesk verify`, rebuilt by
`dutydesk reindex`.

The indexes are not chained (they are derived from the chained call rows), so a call's index
rows deleted behind the desk's back would hide it from search while the chain verifies. Each
FTS5 index keeps one `<index>_docsize` row per document it holds: verify compares those ids
with the call register's, reading only (an FTS5 'integrity-check' needs a writable file)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dutydesk.services.core.search import INDEXED_FIELDS, grams_for
from dutydesk.services.core.upkeep import SEARCH_INDEXES

if TYPE_CHECKING:
    from dutydesk.services.core.desk import Desk

Query = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]
SHOWN = 5  # ids named per problem
INDEXED_TABLE = "call_record"
# the migration that made an index: an older register has none (call_digits: migration 0027)
INDEX_SINCE = {"call_phone": 14, "call_digits": 27}


def schema_revision(query: Query) -> int | None:
    """The register's migration number (None when it has no alembic_version)."""
    try:
        rows = query("SELECT version_num FROM alembic_version", ())
    except Exception:  # noqa: BLE001 - no such table: a register from before Alembic
        return None
    return int(rows[0][0]) if rows and str(rows[0][0]).isdigit() else None


def expected_indexes(query: Query) -> list[str]:
    """The search indexes a register at its migration should hold."""
    revision = schema_revision(query)
    return [
        index
        for index in SEARCH_INDEXES
        if revision is None or revision >= INDEX_SINCE.get(index, 0)
    ]


@dataclass(frozen=True)
class IndexProblem:
    index: str
    missing: list[int]  # call ids the index does not hold (first few)
    extra: list[int]  # ids the index holds that no call has (first few)
    missing_count: int
    extra_count: int


def _ids_not_in(query: Query, left: str, right: str) -> tuple[list[int], int]:
    sql = f"SELECT id FROM {left} EXCEPT SELECT id FROM {right}"
    count = query(f"SELECT COUNT(*) FROM ({sql})", ())[0][0]
    shown = [row[0] for row in query(f"{sql} ORDER BY id LIMIT {SHOWN}", ())] if count else []
    return shown, int(count)


def _same_rowids(query: Query, left: str, right: str, *, counts: bool = True) -> bool:
    """Whether two tables keyed by rowid (`id INTEGER PRIMARY KEY`: unique integers) hold the
    same ids: as many rows each as both have in common. Ten times quicker than the two EXCEPTs
    that name the differences (issue 19: verify of ten years); False when in doubt."""
    for table in (left, right):
        keys = [(row[1], str(row[2]).upper()) for row in
                query(f"SELECT * FROM pragma_table_info('{table}') WHERE pk > 0", ())]  # fmt: skip
        if keys != [("id", "INTEGER")]:
            return False
    if not counts:  # the keys only
        return True
    counts_of = query(f"SELECT (SELECT COUNT(*) FROM {left}), (SELECT COUNT(*) FROM {right}), "
                   f"(SELECT COUNT(*) FROM {left} JOIN {right} USING (id))", ())[0]  # fmt: skip
    return bool(counts_of[0] == counts_of[1] == counts_of[2])


def _same_rowids_up_to(query: Query, bound: int, docsize: str) -> bool:
    """As _same_rowids, for the calls up to `bound` (the docsize table's id is FTS5's own
    INTEGER PRIMARY KEY): the count of calls up to it, of documents, and of both."""
    if not _same_rowids(query, INDEXED_TABLE, docsize, counts=False):
        return False
    counts = query(
        f"SELECT (SELECT COUNT(*) FROM {INDEXED_TABLE} WHERE id <= ?), (SELECT COUNT(*) FROM "
        f"{docsize}), (SELECT COUNT(*) FROM {INDEXED_TABLE} JOIN {docsize} USING (id) "
        f"WHERE {INDEXED_TABLE}.id <= ?)",
        (bound, bound),
    )[0]
    return bool(counts[0] == counts[1] == counts[2])


def index_problems(query: Query) -> list[IndexProblem]:
    """Each search index whose documents are not exactly the call rows up to the mark of
    search_catch_up (every call on a register without one; a missing index counts as holding
    nothing)."""
    from dutydesk.services.core.search_catch_up import indexed_bound

    tables = {row[0] for row in query("SELECT name FROM sqlite_master WHERE type='table'", ())}
    if INDEXED_TABLE not in tables:
        return []
    bound = indexed_bound(query)
    calls = (
        INDEXED_TABLE if bound is None else f"(SELECT id FROM {INDEXED_TABLE} WHERE id <= {bound})"
    )
    problems = []
    for index in expected_indexes(query):
        docsize = f"{index}_docsize"
        parts = (index, *(f"{index}_{shadow}" for shadow in ("config", "data", "docsize", "idx")))
        if not set(parts) <= tables:  # a table of it dropped: it answers nothing (session 21)
            total = int(query(f"SELECT COUNT(*) FROM {calls}", ())[0][0])
            first = [row[0] for row in query(f"SELECT id FROM {calls} LIMIT {SHOWN}", ())]
            problems.append(IndexProblem(index, first, [], total, 0))
            continue
        if bound is None and _same_rowids(query, INDEXED_TABLE, docsize):
            continue
        if bound is not None and _same_rowids_up_to(query, bound, docsize):
            continue
        missing, missing_count = _ids_not_in(query, calls, docsize)
        extra, extra_count = _ids_not_in(query, docsize, calls)
        if missing_count or extra_count:
            problems.append(IndexProblem(index, missing, extra, missing_count, extra_count))
    return problems + _mark_beyond(query, bound)


def _mark_beyond(query: Query, bound: int | None) -> list[IndexProblem]:
    """A mark above the last call: the calls saved next up to it would never be indexed, nor
    found above the mark by the search (search_catch_up), so it is a fault now."""
    if bound is None:
        from dutydesk.services.core.search_catch_up import MARKS

        revision = schema_revision(query)  # from migration 0030 the indexes are written after
        return [IndexProblem(MARKS, [0], [], 1, 0)] if revision and revision >= 30 else []
    last = int(query(f"SELECT coalesce(max(id), 0) FROM {INDEXED_TABLE}", ())[0][0])
    if bound <= last:
        return []
    from dutydesk.services.core.search_catch_up import MARKS

    return [IndexProblem(MARKS, [], [bound], 0, bound - last)]


PHONE_NOT_DIGITS = ("-", " ", "+", "(", ")", "#", "*", ",", "转", "x", "X")  # as migration 0014


def phone_digits_sql(column: str) -> str:
    """`column` with every non-digit a phone may hold removed, as the call_phone index is given it."""
    expression = column
    for char in PHONE_NOT_DIGITS:
        expression = f"replace({expression}, '{char}', '')"
    return expression


def rebuild_search_indexes(desk: Desk, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the four search indexes from the call register, in one transaction; returns the
    number of calls indexed. The trigram index is rebuilt by FTS5 from its content table; the
    bigram index (contentless) is emptied and written again as the service writes it, and the
    phone-digits and digit-gram indexes (contentless) as search_catch_up writes them. The mark
    of the last call indexed is then put at the last call."""
    from dutydesk.db import with_lock_retry, write_session
    from dutydesk.services.core.search_catch_up import set_mark_at_last_call
    from dutydesk.services.core.search_digits import fill_sql
    from dutydesk.services.core.search_remake import remake_indexes

    def _rebuild() -> int:
        with write_session(desk.engine) as session:
            connection = session.connection()
            step = progress or (lambda _done, _total: None)  # four indexes, one step each
            step(0, 4)
            remake_indexes(connection)
            connection.exec_driver_sql("INSERT INTO call_fts(call_fts) VALUES ('rebuild')")
            step(1, 4)
            connection.exec_driver_sql("INSERT INTO call_bigram(call_bigram) VALUES ('delete-all')")
            columns = ", ".join(INDEXED_FIELDS)
            rows = connection.exec_driver_sql(f"SELECT id, {columns} FROM {INDEXED_TABLE}").all()
            if rows:
                connection.exec_driver_sql(
                    "INSERT INTO call_bigram(rowid, grams) VALUES (?, ?)",
                    [(row[0], grams_for(*(value or "" for value in row[1:]))) for row in rows],
                )
            step(2, 4)
            connection.exec_driver_sql("INSERT INTO call_phone(call_phone) VALUES ('delete-all')")
            connection.exec_driver_sql(
                f"INSERT INTO call_phone(rowid, digits) SELECT id, {phone_digits_sql('phone')} "
                f"FROM {INDEXED_TABLE}"
            )
            step(3, 4)
            for statement in fill_sql():
                connection.exec_driver_sql(statement)
            set_mark_at_last_call(connection)
            step(4, 4)
            return len(rows)

    return with_lock_retry(_rebuild, desk.path)
