"""What the trigram search indexes hold, checked against the call rows (issue 16).

`index_problems` (search_index.py) checks that each index holds a document for every call and
no other. This checks what each document holds: FTS5 keeps, per document, the number of tokens
of each column (`<index>_docsize`, SQLite varints). A trigram tokenizer makes exactly
max(characters - 2, 0) tokens of a text, so for every call the word index (call_fts, one count
per indexed field) and the phone-digits index (call_phone) must hold exactly the counts of the
call's own text. An index document replaced with another text (a call hidden from a search by
writing its index entry again with other words) changes them.

The comparison runs in SQL over hex(sz) (one byte per count below 128) and only rows that
differ there, or hold a count of 128 or more, are decoded in Python: one pass, no tokenising.
The bigram index's counts depend on the distinct characters and pairs of the text
(search.grams_for), which only Python computes: it is checked for its document ids only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dutydesk.services.core.search_index import phone_digits_sql

Query = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]
SHOWN = 5


@dataclass(frozen=True)
class ContentProblem:
    index: str
    ids: list[int]  # the first calls whose index document does not hold their text
    count: int


def _varints(blob: bytes) -> list[int]:
    values, value = [], 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            values.append(value)
            value = 0
    return values


def _expected(column: str) -> str:
    return f"max(coalesce(length({column}), 0) - 2, 0)"


def _hex_of(expressions: list[str]) -> str:
    """hex() of the docsize blob the counts make, when each is below 128."""
    return "printf('" + "%02X" * len(expressions) + "', " + ", ".join(expressions) + ")"


def _check(query: Query, index: str, expressions: list[str]) -> ContentProblem | None:
    # A count of 128 or more prints as one byte where its varint has two: such rows always
    # differ here and are decoded in Python (the SELECT list is only computed for them).
    suspects = query(
        f"SELECT c.id, d.sz, {', '.join(expressions)} "
        f"FROM call_record c JOIN {index}_docsize d ON d.id = c.id "
        f"WHERE hex(d.sz) != {_hex_of(expressions)}",
        (),
    )
    bad = [row[0] for row in suspects if _varints(row[1] or b"") != list(row[2:])]
    return ContentProblem(index, sorted(bad)[:SHOWN], len(bad)) if bad else None


def content_problems(query: Query, indexes: Sequence[str]) -> list[ContentProblem]:
    """The trigram indexes among `indexes` whose documents do not hold their call's text."""
    problems = []
    if "call_fts" in indexes:  # its own columns: an older register's index has fewer
        columns = [
            str(row[0]) for row in query("SELECT name FROM pragma_table_info('call_fts')", ())
        ]
        found = _check(query, "call_fts", [_expected(f'c."{c}"') for c in columns])
        problems += [found] if found else []
    if "call_phone" in indexes:
        found = _check(query, "call_phone", [_expected(phone_digits_sql("c.phone"))])
        problems += [found] if found else []
    return problems
