"""`verify --deep`: what the bigram index (call_bigram) holds, token by token, against the calls.

The bigram index is contentless: its documents are `grams_for` of each call's texts, which only
Python computes (services/core/search.py), so plain verify checks its document ids only
(search_index.index_problems) and a same-length rewrite of a document, or two calls' documents
swapped, went unnoticed: the call no longer found by a two-character term (积水). Here each
call's document is written again as the service writes it into a scratch index in the
connection's temp schema (same tokenizer; the register is only read), and the two indexes'
(document, token, position) instances must be the same.

Comparing the instances themselves (an EXCEPT both ways) sorts every token of every call: about
2.5 minutes of CPU per year of calls. Instead each side is summed in one streaming pass: per
term its document and instance counts (fts5vocab 'row', exact), and over all instances a sum
of (call, position) times token, each reduced modulo a prime (a product, so two documents of
the same length swapped change it too). Only when they differ are the per-call sums grouped,
to name the calls. A deliberate forger with the source could balance the sum with other tokens
at other positions while keeping every term's counts: this is a checksum for the same-length
rewrite and the swap, and the README says so."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from dutydesk.services.core.search import INDEXED_FIELDS, grams_for
from dutydesk.services.core.search_catch_up import indexed_calls

INDEX = "call_bigram"
TABLE = "call_record"
BATCH = 5000
EXPECTED = "temp.bigram_expected"
EXPECTED_TOKENS = "temp.bigram_expected_tokens"
ACTUAL_TOKENS = "temp.bigram_actual_tokens"
EXPECTED_ROWS = "temp.bigram_expected_terms"
ACTUAL_ROWS = "temp.bigram_actual_terms"


def _tokenizer(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (INDEX,)).fetchone()
    found = re.search(r"tokenize\s*=\s*'([^']*)'", str(row[0]) if row else "")
    return (found.group(1) if found else "unicode61").replace("'", "''")


def _write_expected(conn: sqlite3.Connection) -> None:
    columns = ", ".join(INDEXED_FIELDS)
    rows = conn.execute(f"SELECT id, {columns} FROM {TABLE} WHERE {indexed_calls(conn)}")
    while batch := rows.fetchmany(BATCH):
        conn.executemany(
            f"INSERT INTO {EXPECTED}(rowid, grams) VALUES (?, ?)",
            [(row[0], grams_for(*(value or "" for value in row[1:]))) for row in batch],
        )


def _drop(conn: sqlite3.Connection) -> None:
    for table in (ACTUAL_ROWS, EXPECTED_ROWS, ACTUAL_TOKENS, EXPECTED_TOKENS, EXPECTED):
        conn.execute(f"DROP TABLE IF EXISTS {table}")


PRIME = 2147483629  # below 2**31: a product of two residues stays a 64-bit integer
# per instance: (where: call and position) times (what: the token), each reduced modulo PRIME
# (bigram tokens are one or two characters; longer ones differ in the exact per-term counts)
MIX = (
    f"((doc * 1000003 + offset * 7919 + 1) % {PRIME}) * ((unicode(term) * 65599 + "
    f"coalesce(unicode(substr(term, 2)), 0) + length(term)) % {PRIME}) % {PRIME}"
)
MIXES = (MIX,)


def _sums(conn: sqlite3.Connection, tokens: str) -> tuple[Any, ...]:
    return tuple(
        conn.execute(
            f"SELECT count(*), {', '.join(f'sum({m})' for m in MIXES)} FROM {tokens}"
        ).fetchone()
    )


def _per_doc(conn: sqlite3.Connection, tokens: str) -> dict[int, tuple[Any, ...]]:
    sums = ", ".join(f"sum({m})" for m in MIXES)
    rows = conn.execute(f"SELECT doc, count(*), {sums} FROM {tokens} GROUP BY doc")
    return {int(row[0]): tuple(row[1:]) for row in rows}


def _terms_differ(conn: sqlite3.Connection) -> bool:
    one_way = "SELECT term, doc, cnt FROM {0} EXCEPT SELECT term, doc, cnt FROM {1}"
    rows = conn.execute(
        f"SELECT 1 FROM ({one_way.format(ACTUAL_ROWS, EXPECTED_ROWS)}) UNION ALL "
        f"SELECT 1 FROM ({one_way.format(EXPECTED_ROWS, ACTUAL_ROWS)}) LIMIT 1"
    ).fetchall()
    return bool(rows)


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
        for view, schema, index, kind in (
            (EXPECTED_TOKENS, "temp", EXPECTED[5:], "instance"),
            (ACTUAL_TOKENS, "main", INDEX, "instance"),
            (EXPECTED_ROWS, "temp", EXPECTED[5:], "row"),
            (ACTUAL_ROWS, "main", INDEX, "row"),
        ):
            conn.execute(f"CREATE VIRTUAL TABLE {view} USING fts5vocab({schema}, {index}, {kind})")
        if _sums(conn, ACTUAL_TOKENS) == _sums(conn, EXPECTED_TOKENS) and not _terms_differ(conn):
            return set()
        actual, expected = _per_doc(conn, ACTUAL_TOKENS), _per_doc(conn, EXPECTED_TOKENS)
        return {
            doc for doc in actual.keys() | expected.keys() if actual.get(doc) != expected.get(doc)
        }
    finally:
        _drop(conn)
