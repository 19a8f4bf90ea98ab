"""Finding calls across all years by any part of caller, unit, phone, place or content.

Terms of three or more characters use the FTS5 trigram index. A trigram index silently finds
nothing for shorter terms (SQLite 3.40), and many Chinese terms are two characters (积水, 停电),
so one- and two-character terms use a second index of unigrams and bigrams written by
`grams_for`. A term that looks like (part of) a phone number is also looked up, digits only, in
a third index of each call's phone as digits (migration 0014): `037166123456` finds
0371-66123456 as `0371-6612` does; one with six digits or more is answered by the index of
six-digit runs (search_digits, migration 0027) and checked in the text. One written as a
register number or its six-digit serial (2026-000286, 000286) also finds the call so numbered.
The indexes are written just after the save (search_catch_up): the calls saved since are checked
in the register itself, as each index would find them. Results come newest-recorded first (by
rowid, which follows arrival order)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from dutydesk.services.core.validation import ascii_phone

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class Reads(Protocol):
    """What the search reads through: a SQLAlchemy Connection, or `raw_reads`."""

    def exec_driver_sql(self, statement: str, parameters: Any = ..., /) -> Any: ...


class _RawReads:
    def __init__(self, connection: Any, path: str) -> None:
        self._connection = connection
        self._path = path

    def exec_driver_sql(self, statement: str, parameters: Any = (), /) -> Any:
        import sqlite3

        from dutydesk.services.core.search_catch_up import MARKS, without_marks

        try:
            try:
                return self._connection.execute(statement, parameters)  # a sqlite3 cursor
            except sqlite3.OperationalError as error:
                if MARKS not in str(error):
                    raise
            # the mark's table taken away or remade (verify names it, reindex makes it again):
            # a search stopped the app, and a phone typed into the form too (breaker, session 20)
            return self._connection.execute(without_marks(statement), parameters)
        except sqlite3.DatabaseError as error:
            if _busy(error):
                raise
            # an index's table dropped or remade by hand: said, not a traceback that stopped
            # the app at every start (the draft's phone looked up again: breaker, session 21)
            from dutydesk.errors import DutyError

            raise DutyError("db.search_damaged", path=self._path, detail=str(error)) from error


def _busy(error: Exception) -> bool:
    text = str(error)
    return "locked" in text or "busy" in text


@contextmanager
def raw_reads(engine: Engine) -> Iterator[Reads]:
    """Reads on one of the pool's sqlite3 connections itself, each SELECT its own read
    transaction: SQLAlchemy's BEGIN, result wrapping and ROLLBACK around a search's three
    statements cost about as much as the index (bench: 0.1-0.4 of ~1 ms of CPU)."""
    pooled = engine.raw_connection()
    try:
        yield _RawReads(pooled.driver_connection, str(engine.url.database or ""))
    finally:
        pooled.close()  # back to the pool


INDEXED_FIELDS = ("caller", "unit", "phone", "summary", "handling", "place")
TRIGRAM = 3
PHONE_TERM = re.compile(r"[0-9+\-()#*,转xX]+")  # the characters a phone holds (validation._PHONE)
# 登记号 as calls.next_number writes it (2026-000286), or its end: the six-digit serial as shown,
# alone or after the dash and some of the year's digits (000286, -000286, 26-000286). Fewer
# digits (286) are left to the phones: short digit runs are what phone fragments are made of.
REGISTER_TAIL = re.compile(r"(?:\d{0,4}-)?(\d{6})")
CALL_BOOK = "call"  # register_sequence.book of the call register (calls.call_store.REGISTER)
# terms a search uses, the first ones (a pasted page: a thousand terms stopped the app on SQLite's
# expression depth, about 500 on its compound SELECT limit: breaker, session 20)
MAX_TERMS = 32


# Quotes a term may be typed in ("积水", “积水”, 「积水」): the search matches what is inside.
_QUOTE_PAIRS = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u300c": "\u300d",
                "\u300e": "\u300f", "\uff02": "\uff02", "\uff07": "\uff07"}  # fmt: skip


_QUOTES = frozenset(_QUOTE_PAIRS) | frozenset(_QUOTE_PAIRS.values())


def search_terms(query: str) -> list[str]:
    """The terms of `query` (split at any space, the full-width one too), each out of its
    surrounding quotes (quotes with nothing inside are searched for as typed)."""
    terms = []
    for term in query.split():
        while len(term) > 2 and _QUOTE_PAIRS.get(term[0]) == term[-1]:
            term = term[1:-1]
        # one quote left open or closed ("积水, 积水”): dropped as well (QA shift, session 10)
        if not set(term) <= _QUOTES:
            term = term[1:] if term[0] in _QUOTES else term
            term = term[:-1] if term[-1] in _QUOTES else term
        terms.append(term)
    return terms


def phone_digits(term: str) -> str | None:
    """The digits of `term` when it looks like (part of) a phone number with three or more
    digits, else None. Full-width digits and dashes count (Chinese input methods type them);
    the text index is still asked for the term as typed."""
    term = ascii_phone(term)
    if not PHONE_TERM.fullmatch(term):
        return None
    digits = "".join(char for char in term if char.isdigit())
    return digits if len(digits) >= TRIGRAM else None


def _gram_chars(text: str) -> list[str]:
    return [char for char in text.lower() if char.isalnum()]


def grams_for(*texts: str) -> str:
    """Every single character and every adjacent pair, as space-separated tokens."""
    tokens: set[str] = set()
    for text in texts:
        for run in _alnum_runs(text.lower()):
            tokens.update(run)
            tokens.update(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(sorted(tokens))


def _alnum_runs(text: str) -> list[str]:
    runs: list[str] = []
    current: list[str] = []
    for char in text:
        if char.isalnum():
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


COVER_FROM = 6  # characters: from here a term's phrase has twice the trigrams of its cover


def coverable(term: str) -> bool:
    """A long term without letters that have a case (the index folds case, instr() does not):
    looked up by its cover, then checked in the text."""
    return len(term) >= COVER_FROM and term.lower() == term.upper()


def trigram_cover(term: str) -> str:
    """Trigrams of `term` side by side from its end; fewer than three characters left at its
    start are left to the text check. Every text holding the term holds them all. FTS5 reads
    every trigram's list for a phrase, and a term's start is often what many texts share (a
    document number's 〔20, a unit's 区, 市): bench, documents: 〔2024〕12 phrase 0.58, cover
    from the start 0.33, from the end 0.13 ms; calls: 高新技术产业园区 phrase 0.44, cover 0.18 ms."""
    starts = range(len(term) - TRIGRAM, -1, -TRIGRAM)
    return " AND ".join(_quote(term[at : at + TRIGRAM]) for at in reversed(starts))


def _long_select(long_terms: list[str]) -> tuple[str, list[str]]:
    """The SELECT of the trigram index's ids for `long_terms`: each coverable term by its cover,
    checked in each field (instr) as the index walks newest first, so it stops at the limit."""
    covered = [term for term in long_terms if coverable(term)]
    match = " AND ".join(
        trigram_cover(term) if term in covered else _quote(term) for term in long_terms
    )
    if not covered:
        return "SELECT rowid FROM call_fts WHERE call_fts MATCH ?", [match]
    anywhere = "(" + " OR ".join(f"instr(r.{field}, ?)" for field in INDEXED_FIELDS) + ")"
    return (
        "SELECT f.rowid FROM call_fts AS f JOIN call_record AS r ON r.id = f.rowid "
        f"WHERE call_fts MATCH ? AND {' AND '.join([anywhere] * len(covered))}",
        [match, *(term for term in covered for _field in INDEXED_FIELDS)],
    )


def search_row_ids(connection: Reads, query: str, limit: int) -> list[int]:
    """Ids of call rows (originals or amendments) matching every term of `query`."""
    found = row_ids_sql(query, limit)
    if found is None:
        return []
    return [row[0] for row in connection.exec_driver_sql(*found).fetchall()]


def row_ids_sql(query: str, limit: int) -> tuple[str, tuple[Any, ...]] | None:
    """The SELECT of the ids of the newest `limit` call rows matching every term of `query`,
    newest first, with its parameters; None when the query has no terms."""
    terms = list(dict.fromkeys(search_terms(query)))[:MAX_TERMS]
    if not terms:
        return None
    phone_terms = {term: digits for term in terms if (digits := phone_digits(term))}
    long_terms = [term for term in terms if len(term) >= TRIGRAM and term not in phone_terms]
    short_terms = [term for term in terms if len(term) < TRIGRAM and term not in phone_terms]
    if len(terms) == 1 and phone_terms:
        found = _newest_of_phone(terms[0], phone_terms[terms[0]], limit)
        return _with_tail(
            terms, phone_terms, *_with_register_number(terms[0], *found, limit), limit
        )
    selects: list[str] = []
    params: list[str] = []
    for term, digits in phone_terms.items():
        select, term_params = _phone_select(term, digits)
        if numbered := _register_select(term):  # beside words (breaker, session 14)
            select = f"SELECT * FROM ({numbered[0]} UNION {select})"
            term_params = [*numbered[1], *term_params]
        selects.append(select)
        params.extend(term_params)
    if long_terms:
        select, long_params = _long_select(long_terms)
        selects.append(select)
        params.extend(long_params)
    for term in short_terms:
        select, short_params = _short_select(term)
        selects.append(select)
        params.extend(short_params)
    indexed = " INTERSECT ".join(selects) + " ORDER BY 1 DESC LIMIT ?"
    return _with_tail(terms, phone_terms, indexed, (*params, limit), limit)


def _with_tail(
    terms: list[str], phone_terms: dict[str, str], sql: str, params: tuple[Any, ...], limit: int
) -> tuple[str, tuple[Any, ...]]:
    """`sql` (the indexes' newest `limit`, ORDER BY and LIMIT included) with the calls saved since
    the indexes were last written (search_catch_up): newer than any the indexes hold, so the
    newest `limit` of both are the answer."""
    from dutydesk.services.core.search_catch_up import phone_check, tail_select, text_check

    checks = []
    for term in terms:
        if term not in phone_terms:
            checks.append(text_check(term))
            continue
        check, check_params = phone_check(term, phone_terms[term])
        if REGISTER_TAIL.fullmatch(number := ascii_phone(term)):  # as _register_select
            check, check_params = f"{check} OR substr(r.number, -?) = ?", [
                *check_params, len(number), number]  # fmt: skip
        checks.append((check, check_params))
    tail, tail_params = tail_select(checks)
    return (
        f"SELECT * FROM ({tail} ORDER BY 1 DESC LIMIT ?) UNION SELECT * FROM ({sql}) "
        "ORDER BY 1 DESC LIMIT ?",
        (*tail_params, limit, *params, limit),
    )


def _short_select(term: str) -> tuple[str, list[str]]:
    if len(_gram_chars(term)) == len(term):
        return "SELECT rowid FROM call_bigram WHERE call_bigram MATCH ?", [_quote(term.lower())]
    # punctuation in a short term: no index holds it, scan (bounded by LIMIT)
    like = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (
        "SELECT id FROM call_record WHERE "
        + " OR ".join(f"{field} LIKE ? ESCAPE '\\'" for field in INDEXED_FIELDS),
        [like] * len(INDEXED_FIELDS),
    )


def _phone_select(term: str, digits: str) -> tuple[str, list[str]]:
    """The SELECT of the ids of calls holding phone-like `term` (or its digits in the phone's
    digits), with its parameters."""
    from dutydesk.services.core.search_digits import checked_select, usable

    if usable(term):
        return checked_select(term, digits)
    return (
        "SELECT * FROM (SELECT rowid FROM call_fts WHERE call_fts MATCH ? "
        "UNION SELECT rowid FROM call_phone WHERE call_phone MATCH ?)",
        [_quote(term), _quote(digits)],
    )


def _register_select(term: str) -> tuple[str, list[Any]] | None:
    """The SELECT of the ids of calls whose register number is, or ends with, `term` (full-width
    digits too), with its parameters; None when `term` is not written like one. Each year's
    serial is looked up in the (year, seq) index, the years being those the register numbered."""
    tail = ascii_phone(term)
    match = REGISTER_TAIL.fullmatch(tail)
    if match is None:
        return None
    return (
        "SELECT id FROM call_record WHERE year IN (SELECT year FROM register_sequence "
        "WHERE book = ?) AND seq = ? AND substr(number, -?) = ?",
        [CALL_BOOK, int(match[1]), len(tail), tail],
    )


def _with_register_number(
    term: str, sql: str, params: tuple[Any, ...], limit: int
) -> tuple[str, tuple[Any, ...]]:
    """A term written as a register number (2026-000061, full-width digits too) or its serial
    (000061) finds that call as well as the phones holding it (new-officer shift, session 13:
    it found nothing; a later one: the serial alone found nothing)."""
    numbered = _register_select(term)
    if numbered is None:
        return sql, params
    return (
        f"SELECT * FROM ({numbered[0]} UNION SELECT * FROM ({sql})) ORDER BY 1 DESC LIMIT ?",
        (*numbered[1], *params, limit),
    )


def _newest_of_phone(term: str, digits: str, limit: int) -> tuple[str, tuple[Any, ...]]:
    """One phone-like term: the newest `limit` of either index, each asked for its own newest
    `limit` first (the newest of the union are among them). A UNION of every match sorted
    afterwards took 341 ms for "022" and 74 ms for "022-6" on the ten-year register; this
    takes 0.3 and 1.2 ms, the same rows. With six digits or more, the digit-gram index walks
    newest first and stops at the limit (022-2345: 18 ms in the two indexes before)."""
    from dutydesk.services.core.search_digits import checked_select, usable

    if usable(term):
        select, checks = checked_select(term, digits)
        return f"{select} ORDER BY 1 DESC LIMIT ?", (*checks, limit)
    sql = (
        "SELECT * FROM (SELECT * FROM (SELECT rowid FROM call_fts WHERE call_fts MATCH ? "
        "ORDER BY rowid DESC LIMIT ?) UNION SELECT * FROM (SELECT rowid FROM call_phone "
        "WHERE call_phone MATCH ? ORDER BY rowid DESC LIMIT ?)) ORDER BY 1 DESC LIMIT ?"
    )
    return sql, (_quote(term), limit, _quote(digits), limit, limit)


def matching_roots(connection: Reads, query: str, limit: int) -> list[int]:
    """Ids of the original calls whose line, or a correction of it, matches `query`, newest
    first. Asks the index for a few rows more than `limit` first, as walking further back costs
    most for rare terms (bench: 12 vs 21 ms for "022-2345" by the phrase); only corrections
    matching beside their originals beyond those make it ask for more. Each matching row's
    original is read in the same statement."""
    fetch = limit + limit // 5
    while True:
        found = row_ids_sql(query, fetch)
        if found is None:
            return []
        sql, params = found
        rows = connection.exec_driver_sql(
            f"WITH hit(id) AS ({sql}) SELECT coalesce(r.amends_id, r.id) FROM hit "
            "JOIN call_record AS r ON r.id = hit.id ORDER BY hit.id DESC",
            params,
        ).fetchall()
        roots = list(dict.fromkeys(row[0] for row in rows))
        if len(roots) >= limit or len(rows) < fetch:
            return roots[:limit]
        fetch *= 2
