"""`verify --deep`: what the bigram index (call_bigram) holds, token by token, against the calls.

The bigram index is contentless: its documents are `grams_for` of each call's texts, which only
Python computes (services/core/search.py), so plain verify checks its document ids only
(search_index.index_problems) and a same-length rewrite of a document, or two calls' documents
swapped, went unnoticed: the call no longer found by a two-character term (积水). Here each
call's document is written again as the service writes it into a scratch index in the
connection's temp schema (same tokenizer; the register is only read), and the two indexes'
(document, token, position) instances must be the same, both ways."""

from __future__ import annotations

import re
import sqlite3

from dutydesk.services.core.search import INDEXED_FIELDS, grams_for

INDEX = "call_bigram"
TABLE = "call_record"
BATCH = 5000
EXPECTED = "temp.bigram_expected"
EXPECTED_TOKENS = "temp.bigram_expected_tokens"
ACTUAL_TOKENS = "temp.bigram_actual_tokens"


def _tokenizer(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (INDEX,)).fetchone()
    found = re.search(r"tokenize\s*=\s*'([^']*)'", str(row[0]) if row else "")
    return (found.group(1) if found else "unicode61").replace("'", "''")


def _write_expected(conn: sqlite3.Connection) -> None:
    columns = ", ".join(INDEXED_FIELDS)
    rows = conn.execute(f"SELECT id, {columns} FROM {TABLE}")
    while batch := rows.fetchmany(BATCH):
        conn.executemany(
            f"INSERT INTO {EXPECTED}(rowid, grams) VALUES (?, ?)",
            [(row[0], grams_for(*(value or "" for value in row[1:]))) for row in batch],
        )


def _drop(conn: sqlite3.Connection) -> None:
    for table in (ACTUAL_TOKENS, EXPECTED_TOKENS, EXPECTED):
        conn.execute(f"DROP TABLE IF EXISTS {table}")


def bigram_faults(conn: sqlite3.Connection) -> set[int]:
    """The calls whose bigram index document is not the one their text makes (or that have a
    document while there is no such call)."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if INDEX not in tables or TABLE not in tables:
        return set()
    _drop(conn)
    try:
        conn.execute(
            f"CREATE VIRTUAL TABLE {EXPECTED} USING fts5(grams, tokenize='{_tokenizer(conn)}')"
        )
        _write_expected(conn)
        conn.execute(
            f"CREATE VIRTUAL TABLE {EXPECTED_TOKENS} "
            f"USING fts5vocab(temp, {EXPECTED[5:]}, instance)"
        )
        conn.execute(
            f"CREATE VIRTUAL TABLE {ACTUAL_TOKENS} USING fts5vocab(main, {INDEX}, instance)"
        )
        one_way = "SELECT doc FROM (SELECT doc, term, offset FROM {0} EXCEPT " \
                  "SELECT doc, term, offset FROM {1})"  # fmt: skip
        rows = conn.execute(
            f"{one_way.format(ACTUAL_TOKENS, EXPECTED_TOKENS)} UNION "
            f"{one_way.format(EXPECTED_TOKENS, ACTUAL_TOKENS)}"
        ).fetchall()
        return {int(row[0]) for row in rows}
    finally:
        _drop(conn)
