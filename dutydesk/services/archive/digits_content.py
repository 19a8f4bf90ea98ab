"""`verify --deep`: what the digit-gram index (call_digits, migration 0027) holds, token by token,
against the calls.

Plain verify checks its document ids only (search_index.index_problems): a call's tokens taken
out of it (its document deleted and written again without them) would hide the call from phone
searches of six digits or more and go unnoticed. Here each call's document is written again as
the trigger writes it (the same SQL, core/search_digits) into a scratch index in the
connection's temp schema, and the two indexes' (call, token) pairs must be the same (fts5vocab
'instance': the index keeps ids only, detail=none). The register is only read."""

from __future__ import annotations

import sqlite3

from dutydesk.services.core.search_catch_up import indexed_calls
from dutydesk.services.core.search_digits import INDEX, digit_grams_sql

EXPECTED = "temp.digits_expected"
EXPECTED_TOKENS = "temp.digits_expected_tokens"
ACTUAL_TOKENS = "temp.digits_actual_tokens"


def _drop(conn: sqlite3.Connection) -> None:
    for table in (ACTUAL_TOKENS, EXPECTED_TOKENS, EXPECTED):
        conn.execute(f"DROP TABLE IF EXISTS {table}")


def digits_faults(conn: sqlite3.Connection) -> set[int]:
    """The calls whose digit-gram document is not the one their text makes (or that have one
    while there is no such call). A register without the index has nothing to check."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if INDEX not in tables or "call_record" not in tables:
        return set()
    _drop(conn)
    try:
        conn.execute(
            f"CREATE VIRTUAL TABLE {EXPECTED} USING fts5(digits, content='', detail=none, "
            "tokenize='unicode61')"
        )
        conn.execute(
            f"INSERT INTO {EXPECTED}(rowid, digits) SELECT r.id, {digit_grams_sql('r')} "
            f"FROM main.call_record AS r WHERE {indexed_calls(conn, 'r.id')}"
        )
        for view, schema, index in ((EXPECTED_TOKENS, "temp", EXPECTED[5:]),
                                    (ACTUAL_TOKENS, "main", INDEX)):  # fmt: skip
            conn.execute(
                f"CREATE VIRTUAL TABLE {view} USING fts5vocab({schema}, {index}, instance)"
            )
        one_way = "SELECT doc FROM (SELECT doc, term FROM {0} EXCEPT SELECT doc, term FROM {1})"
        rows = conn.execute(
            f"{one_way.format(ACTUAL_TOKENS, EXPECTED_TOKENS)} UNION "
            f"{one_way.format(EXPECTED_TOKENS, ACTUAL_TOKENS)}"
        ).fetchall()
        return {int(row[0]) for row in rows}
    finally:
        _drop(conn)
