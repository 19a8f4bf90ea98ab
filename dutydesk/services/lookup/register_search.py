"""Finding documents and contacts by any part of their text, with the calls search's terms.

Every term of the query must match (absent terms find nothing). A term of three or more
characters is looked up in the register's trigram index, a one- or two-character term in its
index of characters and pairs, a phone-looking term also as digits only (`0222345` finds
022-2345 as `022-2345` does), and a short term holding punctuation in the text itself (bounded
by the limit). What each index holds is said in register_sql; hits come newest first (by id,
which follows the order recorded)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutydesk.services.core.search import (
    TRIGRAM,
    coverable,
    phone_digits,
    search_terms,
    trigram_cover,
)
from dutydesk.services.lookup.register_sql import REGISTER_INDEXES, RegisterIndex

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

INDEXES = {index.register: index for index in REGISTER_INDEXES}


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _long_select(index: RegisterIndex, within: list[str]) -> str:
    """The SELECT of the trigram index's ids; each term of `within` checked in the text
    (instr), read as the index walks newest first, so it stops at the limit."""
    fts = index.fts[0]
    if not within:
        return f"SELECT rowid AS id FROM {fts} WHERE {fts} MATCH ?"
    checks = "".join(" AND instr(s.text, ?)" for _ in within)
    return (f"SELECT {fts}.rowid AS id FROM {fts} JOIN {index.table} AS s "
            f"ON s.id = {fts}.rowid WHERE {fts} MATCH ?{checks}")  # fmt: skip


def _selects(index: RegisterIndex, terms: list[str]) -> tuple[list[str], list[str]]:
    """One SELECT of ids per index the terms need, with its parameters."""
    grams = index.fts[1]
    long_terms: list[str] = []
    within: list[str] = []  # long terms found by their cover, then checked in the text
    short_terms: list[str] = []
    selects: list[str] = []
    params: list[str] = []
    for term in terms:
        digits = phone_digits(term)
        if digits is not None and digits != term:
            long_terms.append(f"({_quote(term)} OR {_quote(digits)})")
        elif coverable(term):
            long_terms.append(trigram_cover(term))
            within.append(term)
        elif len(term) >= TRIGRAM:
            long_terms.append(_quote(term))
        elif all(char.isalnum() for char in term):
            short_terms.append(_quote(term.lower()))
        else:  # punctuation in a short term: no index holds it
            selects.append(f"SELECT id FROM {index.table} WHERE text LIKE ? ESCAPE '\\'")
            params.append(_like(term))
    if long_terms:
        selects.insert(0, _long_select(index, within))
        params[0:0] = [" AND ".join(long_terms), *within]
    if short_terms:
        selects.insert(0, f"SELECT rowid AS id FROM {grams} WHERE {grams} MATCH ?")
        params.insert(0, " AND ".join(short_terms))
    return selects, params


def matching_sql(register: str, query: str, limit: int) -> tuple[str, list[Any]] | None:
    """The SELECT of the ids of `register`'s live records matching every term of `query`,
    newest first, at most `limit`, with its parameters; None when the query has no terms."""
    terms = search_terms(query)  # as the calls search: "积水", “积水”, 「积水」 find 积水
    if not terms or limit < 1:
        return None
    selects, params = _selects(INDEXES[register], terms)
    return " INTERSECT ".join(selects) + " ORDER BY 1 DESC LIMIT ?", [*params, limit]


def search_register(connection: Connection, register: str, query: str, limit: int) -> list[int]:
    """Ids of the live records of `register` ("document" or "contact") matching every term of
    `query`, newest first, at most `limit`."""
    found = matching_sql(register, query, limit)
    if found is None:
        return []
    sql, params = found
    return [row[0] for row in connection.exec_driver_sql(sql, tuple(params)).fetchall()]


def joined_sql(register: str, query: str, limit: int,
               columns: str) -> tuple[str, tuple[Any, ...]] | None:  # fmt: skip
    """The SELECT of `columns` (of `register` as r) of the matching records, as search_register
    finds them, newest first, in one statement, with its parameters; None: no terms."""
    found = matching_sql(register, query, limit)
    if found is None:
        return None
    sql, params = found
    joined = (f"SELECT {columns} FROM ({sql}) AS hit JOIN {register} AS r ON r.id = hit.id "
              "ORDER BY r.id DESC")  # fmt: skip
    return joined, tuple(params)
