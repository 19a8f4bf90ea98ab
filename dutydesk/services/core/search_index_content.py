"""What the trigram search indexes hold, checked token by token against the live rows (issue 16).

`index_problems` (search_index.py) checks that each index holds a document for every row and no
other. This checks what each document holds, for any trigram index given as an `IndexedText`
(the index, the table it indexes, and per index column the SQL expression of the row's text):

- its token counts: FTS5 keeps per document the number of tokens of each column
  (`<index>_docsize`, SQLite varints); a trigram tokenizer makes exactly max(characters - 2, 0)
  tokens of a text;
- its tokens: an fts5vocab 'instance' table lists every token the index holds with its document,
  column and position. A trigram tokenizer's token at position p is the three characters of the
  text from p, case-folded, so each is compared with the row's own text in one pass over the
  index. SQL's lower() folds ASCII only, so a token that differs there is tokenized again by
  FTS5 itself (a scratch index in the temp schema with the same tokenizer) before it is called a
  fault: an index document replaced with another text of the same length fails.

Both read only (the scratch tables live in the connection's temp schema). The bigram index's
tokens depend on the distinct characters and pairs of the text (search.grams_for), which only
Python computes: `verify --deep` checks them in services/archive/bigram_content.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dutydesk.services.core.search import INDEXED_FIELDS
from dutydesk.services.core.search_index import phone_digits_sql

Query = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]
SHOWN = 5
TRIGRAM = 3
MAX_SUSPECTS = 100_000  # differing tokens tokenized again; past this the index is plainly wrong


@dataclass(frozen=True)
class IndexedText:
    """A trigram FTS5 index over the text of a table's rows: its documents' rowids are the
    table's `key`, and `columns` maps each index column to the SQL expression (over the table's
    columns) of the text the index was given."""

    index: str
    table: str
    key: str
    columns: dict[str, str]


TEXT_INDEXES = (  # each trigram index verify checks
    IndexedText("call_fts", "call_record", "id", {field: field for field in INDEXED_FIELDS}),
    IndexedText("call_phone", "call_record", "id", {"digits": phone_digits_sql("phone")}),
    IndexedText("document_fts", "document_search", "id", {"text": "text"}),
    IndexedText("contact_fts", "contact_search", "id", {"text": "text"}),
)


@dataclass(frozen=True)
class ContentProblem:
    index: str
    ids: list[int]  # the first rows whose index document does not hold their text
    count: int


def _varint_bytes(counts: list[int]) -> bytes:
    """The docsize record FTS5 writes for these token counts: each a SQLite varint (seven bits
    a byte, high bits first, every byte but the last with its top bit set)."""
    made = bytearray()
    for count in counts:
        groups = [count & 0x7F]
        while count > 0x7F:
            count >>= 7
            groups.append(0x80 | (count & 0x7F))
        made += bytes(reversed(groups))
    return bytes(made)


def _expected(expression: str) -> str:
    return f"max(coalesce(length({expression}), 0) - 2, 0)"


def _differs(size: str, expressions: list[str]) -> str:
    """Whether the docsize record `size` may not be the one the counts make, in SQL: when each
    count is below 128, char() writes each as the one byte its varint is, and the record is
    compared as a blob (1.7 -> 1.2 s of CPU on ten years' calls against hex() of the record and
    printf() of the counts, issue 19). A record longer than one byte a count (a count of 128 or
    more) always goes to Python, which writes the varints (_varint_bytes): a record forged as
    char()'s UTF-8 of such counts would equal it (breaker, session 19). Its length, not the
    counts again: SQLite would work each count out twice."""
    blob = f"CAST(char({', '.join(expressions)}) AS BLOB)"
    return f"({size}.sz IS NOT {blob} OR length({size}.sz) > {len(expressions)})"


def _count_faults(
    query: Query, table: str, key: str, checked: list[tuple[IndexedText, list[str]]]
) -> dict[str, set[int]]:
    """Per index, the rows whose index document's token counts are not their text's. The
    indexes of one table are checked in one pass over it (the call register's two: 2.7 ->
    1.6 s of CPU on ten years); a row an index has no document for is index_problems' finding."""
    selected, differs, widths = [], [], []
    for number, (spec, columns) in enumerate(checked):
        expressions = [_expected(spec.columns[column]) for column in columns]
        size = f"d{number}"
        # the record as a blob whatever it holds (text not UTF-8 could not be read), and whether
        # it was one (FTS5 writes blobs); NULL where the index has no document for the row
        selected += [f"CASE WHEN {size}.id IS NULL THEN NULL ELSE typeof({size}.sz) = 'blob' END",
                     f"CAST({size}.sz AS BLOB)", *expressions]  # fmt: skip
        differs.append(f"({size}.id IS NOT NULL AND {_differs(size, expressions)})")
        widths.append(len(expressions))
    joins = " ".join(
        f"LEFT JOIN {spec.index}_docsize d{number} ON d{number}.id = t.{key}"
        for number, (spec, _columns) in enumerate(checked)
    )
    suspects = query(
        f"SELECT t.{key}, {', '.join(selected)} FROM {table} t {joins} WHERE {' OR '.join(differs)}",
        (),
    )
    faults: dict[str, set[int]] = {spec.index: set() for spec, _columns in checked}
    for row in suspects:
        at = 1
        for (spec, _columns), width in zip(checked, widths, strict=True):
            blob, size, counts = row[at], row[at + 1], list(row[at + 2 : at + 2 + width])
            at += 2 + width
            if blob == 0 or (blob and size != _varint_bytes(counts)):
                faults[spec.index].add(row[0])
    return faults


def _tokenizer(query: Query, index: str) -> str:
    rows = query("SELECT sql FROM sqlite_master WHERE name = ?", (index,))
    found = re.search(r"tokenize\s*=\s*'([^']*)'", str(rows[0][0]) if rows else "")
    return found.group(1) if found else ""


def _suspect_tokens(query: Query, spec: IndexedText, columns: list[str]) -> Sequence[Any]:
    """(row, column, position, token) of each index token that differs from the three
    characters at its position in the row's own text, ASCII-folded."""
    texts, vocab, width = f"temp.{spec.index}_texts", f"temp.{spec.index}_tokens", len(columns)
    query(f"DROP TABLE IF EXISTS {texts}", ())
    query(f"DROP TABLE IF EXISTS {vocab}", ())
    query(f"CREATE TABLE {texts}(k INTEGER PRIMARY KEY, body TEXT)", ())
    query(f"CREATE VIRTUAL TABLE {vocab} USING fts5vocab(main, {spec.index}, instance)", ())
    parts = [
        f"SELECT {spec.key} * {width} + {number}, lower({spec.columns[column]}) FROM {spec.table}"
        f" WHERE length({spec.columns[column]}) >= {TRIGRAM}"
        for number, column in enumerate(columns)
    ]
    try:
        query(f"INSERT INTO {texts} {' UNION ALL '.join(parts)}", ())
        number_of = " ".join(f"WHEN '{column}' THEN {n}" for n, column in enumerate(columns))
        return query(
            f"SELECT v.doc, v.col, v.offset, v.term FROM {vocab} v "
            f"LEFT JOIN {texts} t ON t.k = v.doc * {width} + (CASE v.col {number_of} END) "
            f"WHERE t.body IS NULL OR v.term != substr(t.body, v.offset + 1, {TRIGRAM}) "
            f"LIMIT {MAX_SUSPECTS}",
            (),
        )
    finally:
        query(f"DROP TABLE IF EXISTS {texts}", ())
        query(f"DROP TABLE IF EXISTS {vocab}", ())


def _token_faults(query: Query, spec: IndexedText, columns: list[str]) -> set[int]:
    """The rows holding a token that FTS5's own tokenizing of the row's text does not give."""
    suspects = _suspect_tokens(query, spec, columns)
    if not suspects:
        return set()
    probe, probe_vocab = f"temp.{spec.index}_probe", f"temp.{spec.index}_probe_tokens"
    query(f"DROP TABLE IF EXISTS {probe}", ())
    query(f"DROP TABLE IF EXISTS {probe_vocab}", ())
    tokenizer = _tokenizer(query, spec.index).replace("'", "''")
    query(f"CREATE VIRTUAL TABLE {probe} USING fts5(body, tokenize='{tokenizer}')", ())
    query(f"CREATE VIRTUAL TABLE {probe_vocab} USING fts5vocab(temp, {probe[5:]}, instance)", ())
    try:
        faults, tokens = set(), _probe_tokens(query, spec, probe, probe_vocab, suspects)
        for doc, column, position, term in suspects:
            if tokens.get((doc, column, position)) != term:
                faults.add(int(doc))
        return faults
    finally:
        query(f"DROP TABLE IF EXISTS {probe_vocab}", ())
        query(f"DROP TABLE IF EXISTS {probe}", ())


def _probe_tokens(
    query: Query, spec: IndexedText, probe: str, probe_vocab: str, suspects: Sequence[Any]
) -> dict[tuple[int, str, int], str]:
    """(row, column, position) -> token, for the suspect rows' columns as FTS5 tokenizes them."""
    wanted = sorted({(int(doc), str(column)) for doc, column, _p, _t in suspects})
    slots = {}
    for slot, (doc, column) in enumerate(wanted, start=1):
        if column not in spec.columns:
            continue
        expression = spec.columns[column]
        query(
            f"INSERT INTO {probe}(rowid, body) SELECT ?, {expression} FROM {spec.table} "
            f"WHERE {spec.key} = ?",
            (slot, doc),
        )
        slots[slot] = (doc, column)
    rows = query(f"SELECT doc, offset, term FROM {probe_vocab}", ())
    return {(*slots[slot], position): term for slot, position, term in rows if slot in slots}


def _columns(query: Query, spec: IndexedText) -> list[str]:
    """The index's own columns (an older register's call index has fewer)."""
    names = [
        str(row[0]) for row in query(f"SELECT name FROM pragma_table_info('{spec.index}')", ())
    ]
    return [name for name in names if name in spec.columns]


def content_problems(
    query: Query,
    indexes: Sequence[str],
    specs: Sequence[IndexedText] = TEXT_INDEXES,
    *,
    deep: bool = True,
) -> list[ContentProblem]:
    """The trigram indexes among `indexes` whose documents do not hold their row's text: each
    document's token counts, and with `deep` each token against the row's own text. The token
    pass reads every token of the index (about 18 s of CPU per year of calls, against under a
    second for the counts), so plain `verify` runs the counts and `verify --deep` both."""
    checked = [(spec, _columns(query, spec)) for spec in specs if spec.index in indexes]
    tables: dict[tuple[str, str], list[tuple[IndexedText, list[str]]]] = {}
    for spec, columns in checked:
        tables.setdefault((spec.table, spec.key), []).append((spec, columns))
    bad: dict[str, set[int]] = {}
    for (table, key), together in tables.items():
        bad.update(_count_faults(query, table, key, together))
    problems = []
    for spec, columns in checked:
        faults = bad[spec.index] | (_token_faults(query, spec, columns) if deep else set())
        if faults:
            problems.append(ContentProblem(spec.index, sorted(faults)[:SHOWN], len(faults)))
    return problems
