"""The calls' search indexes written after the save, not inside it (issue 19, migration 0030).

Each of the four indexes (services/core/search) took its pages in every save's transaction:
about 16 of the 25-35 pages a save wrote, and 0.5-0.7 ms of a 1.9 ms save on the ten-year
register. A save now writes the call, its number and its link only. `index_new_calls` writes
every call above the register's mark (`search_indexed.up_to`) into the four indexes and moves
the mark, in one transaction: upkeep runs it after each burst of saves (the app, every few
seconds after a commit), as do the command line after it writes calls, restore after a pack
and `reindex` (which sets the mark at the last call).

Until then a call stands above the mark, and the search reads it from the register itself:
`tail_select` checks each call above the mark for every term as its index would (text, its
ASCII case folded; a phone's digits). The indexes hold exactly the calls up to the mark, which
`dutydesk verify` checks (`indexed_bound`): a mark moved by hand shows as calls missing from,
or extra in, every index. A register before migration 0030 has no mark: its triggers indexed
each call in its own save."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from dutydesk.services.core.search import INDEXED_FIELDS, TRIGRAM, grams_for
from dutydesk.services.core.search_index import phone_digits_sql

if TYPE_CHECKING:
    from dutydesk.services.core.desk import Desk

Query = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]
MARKS = "search_indexed"  # (name, up_to): per indexed table, the last row its indexes hold
TABLE = "call_record"
BATCH = 5_000  # calls read and written a step (a restore or the bench's build: many)
# calls indexed a transaction: a backlog of 300,000 held the write lock 40 s in one (a save in
# the app gave up after 15 s, breaker, session 20); upkeep writes one step a run
STEP_CALLS = 2_000
UP_TO_SQL = f"(SELECT up_to FROM {MARKS} WHERE name = '{TABLE}' AND typeof(up_to) = 'integer')"
# the newest call the trigram index holds: where the calls not indexed begin when the mark is
# gone or not a number (no call is indexed then, so the calls saved since stand above it)
NEWEST_INDEXED_SQL = "(SELECT max(id) FROM call_fts_docsize)"


def index_new_calls(cursor: sqlite3.Cursor | sqlite3.Connection) -> int:
    """Write the calls above the mark (STEP_CALLS of them at most) into the four indexes and move
    the mark to the last one written, in the caller's write transaction; the number of calls
    indexed (0 on a register without a mark, whose triggers index each call)."""
    try:
        marked = cursor.execute(f"SELECT up_to FROM {MARKS} WHERE name = ?", (TABLE,)).fetchone()
    except sqlite3.OperationalError:  # no such table: a register before migration 0030
        return 0
    if marked is None or not isinstance(marked[0], int):
        return 0  # a mark gone or not a number: verify names it, reindex puts it back
    start = marked[0]
    (top,) = cursor.execute(
        f"SELECT max(id) FROM (SELECT id FROM {TABLE} WHERE id > ? ORDER BY id LIMIT ?)",
        (start, STEP_CALLS),
    ).fetchone()
    if top is None:
        return 0
    _write_indexes(cursor, start, int(top))
    cursor.execute(f"UPDATE {MARKS} SET up_to = ? WHERE name = ?", (top, TABLE))
    (count,) = cursor.execute(
        f"SELECT count(*) FROM {TABLE} WHERE id > ? AND id <= ?", (start, top)
    ).fetchone()
    return int(count)


def index_every_new_call(cursor: sqlite3.Cursor | sqlite3.Connection) -> int:
    """Every call above the mark, STEP_CALLS at a time, in the caller's one transaction: for work
    that holds the register alone (a restore's replay, the bench's build, a downgrade). Each
    of those indexed only the first 2,000 once a step was bounded (session 21: the bench's
    ten-year build left 700,000 calls to the search's reading of the register)."""
    done = 0
    while step := index_new_calls(cursor):
        done += step
    return done


def _write_indexes(cursor: sqlite3.Cursor | sqlite3.Connection, start: int, top: int) -> None:
    """The calls start < id <= top into each index, as the triggers of migrations 0012, 0014
    and 0027 and the bigram writer before 0030 wrote them."""
    from dutydesk.services.core.search_digits import INDEX as DIGITS
    from dutydesk.services.core.search_digits import digit_grams_sql

    names = ", ".join(INDEXED_FIELDS)
    above = "WHERE r.id > ? AND r.id <= ?"
    cursor.execute(
        f"INSERT INTO call_fts(rowid, {names}) SELECT r.id, "
        f"{', '.join(f'r.{name}' for name in INDEXED_FIELDS)} FROM {TABLE} AS r {above}",
        (start, top),
    )
    cursor.execute(
        f"INSERT INTO call_phone(rowid, digits) SELECT r.id, {phone_digits_sql('r.phone')} "
        f"FROM {TABLE} AS r {above}",
        (start, top),
    )
    cursor.execute(
        f"INSERT INTO {DIGITS}(rowid, digits) SELECT r.id, {digit_grams_sql('r')} "
        f"FROM {TABLE} AS r {above}",
        (start, top),
    )
    rows = cursor.execute(f"SELECT r.id, {names} FROM {TABLE} AS r {above}", (start, top))
    grams = [(row[0], grams_for(*(text or "" for text in row[1:]))) for row in rows.fetchall()]
    for at in range(0, len(grams), BATCH):
        cursor.executemany(
            "INSERT INTO call_bigram(rowid, grams) VALUES (?, ?)", grams[at : at + BATCH]
        )


def set_mark_at_last_call(cursor: Any) -> None:
    """After the indexes were written again from every call (`reindex`): the mark at the last
    one, its table and row made again if they were taken away (breaker, session 20).
    `cursor`: a sqlite3 cursor or a SQLAlchemy connection (exec_driver_sql)."""
    run = getattr(cursor, "exec_driver_sql", None) or cursor.execute
    (kind,) = run(
        "SELECT coalesce(max(type), '') FROM sqlite_master WHERE name = ?", (MARKS,)
    ).fetchone()
    columns = {row[1] for row in run(f"PRAGMA table_xinfo({MARKS})", ()).fetchall()}
    if kind == "view":  # made by hand in its place (breaker, session 21)
        run(f"DROP VIEW {MARKS}", ())
    elif kind == "table" and not {"name", "up_to"} <= columns:
        run(f"DROP TABLE {MARKS}", ())
    run(f"CREATE TABLE IF NOT EXISTS {MARKS} (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "up_to INTEGER NOT NULL)", ())  # fmt: skip
    run(
        f"INSERT OR REPLACE INTO {MARKS} (name, up_to) SELECT ?, coalesce(max(id), 0) FROM {TABLE}",
        (TABLE,),
    )


def catch_up(desk: Desk) -> int:
    """`index_new_calls` in a write transaction of its own, waiting out another writer's lock;
    the number of calls indexed."""
    from dutydesk.db import raw_write, with_lock_retry

    def _catch_up() -> int:
        with raw_write(desk.engine) as cursor:
            return index_new_calls(cursor)

    done = 0
    while step := with_lock_retry(_catch_up, desk.path):  # a transaction a step
        done += step
    return done


def indexed_bound(query: Query) -> int | None:
    """The mark: the last call the indexes must hold (verify); None on a register without one
    (before migration 0030 every call had to be indexed). A mark that is not a whole number
    counts as 0, so that every index's documents show as extra."""
    try:
        rows = query(f"SELECT up_to FROM {MARKS} WHERE name = ?", (TABLE,))
    except Exception:  # noqa: BLE001 - no such table: a register before migration 0030
        return None
    if not rows:
        return None
    value = rows[0][0]
    return value if isinstance(value, int) else 0


def indexed_calls(conn: sqlite3.Connection, column: str = "id") -> str:
    """An SQL condition on a call's `column`: the call is among those the indexes must hold."""
    bound = indexed_bound(lambda sql, params: conn.execute(sql, params).fetchall())
    return "1" if bound is None else f"{column} <= {int(bound)}"


def tail_select(term_checks: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    """The SELECT of the ids of calls above the mark for which every check (an SQL condition on
    `r`, with its parameters) holds: what the indexes would have found for the calls they do not
    hold yet. Reads the mark's row and the newest indexed call (the lower of the two: a mark
    moved past the last call hid the calls saved since, never indexed: breaker, session 21).
    With the mark gone or not a number (verify names it), the calls above the newest indexed."""
    conditions = " AND ".join(f"({sql})" for sql, _params in term_checks) or "1"
    params = [param for _sql, term_params in term_checks for param in term_params]
    return (
        f"SELECT r.id FROM {TABLE} AS r "
        f"WHERE r.id > coalesce(min({UP_TO_SQL}, {NEWEST_INDEXED_SQL}), {NEWEST_INDEXED_SQL}, 0) "
        f"AND {conditions}",
        params,
    )


def without_marks(statement: str) -> str:
    """`statement` (a search's, made with tail_select) for a register whose mark's table was
    taken away: the calls above the newest the trigram index holds stand for those above the
    mark, as when the mark's row is gone."""
    return statement.replace(UP_TO_SQL, "NULL")


def text_check(term: str) -> tuple[str, list[Any]]:
    """A call above the mark holds `term` in a searched field, folded as the index that answers
    it folds (dutydesk.textfold, registered on the store's connections as `dutydesk_fold`):
    case for the trigram index's terms of three characters or more, case and accents for the
    bigram index's shorter ones."""
    from dutydesk.textfold import fold_for_search

    if len(term) < TRIGRAM and not term.isalnum():  # no index: a LIKE over the register
        like = " OR ".join(f"instr(lower(r.{field}), lower(?))" for field in INDEXED_FIELDS)
        return like, [term] * len(INDEXED_FIELDS)
    strip = 1 if len(term) < TRIGRAM else 0
    checks = " OR ".join(f"instr(dutydesk_fold(r.{field}, {strip}), ?)" for field in INDEXED_FIELDS)
    return checks, [fold_for_search(term, strip)] * len(INDEXED_FIELDS)


def phone_check(term: str, digits: str) -> tuple[str, list[Any]]:
    """A phone-like term: in a searched field, or its digits among the phone's digits."""
    text, params = text_check(term)
    return f"{text} OR instr({phone_digits_sql('r.phone')}, ?)", [*params, digits]


__all__ = [
    "MARKS",
    "catch_up",
    "index_every_new_call",
    "index_new_calls",
    "indexed_bound",
    "indexed_calls",
    "phone_check",
    "set_mark_at_last_call",
    "tail_select",
    "text_check",
    "without_marks",
]
