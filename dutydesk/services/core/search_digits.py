"""The calls' digit-gram index (migration 0027): what it holds and how a phone-like term uses it.

A trigram index answers a rare phone fragment slowly: every Tianjin number holds 022, 22- and
2-2, so the phrase `022-2345` walks lists of 600,000 calls to find 84 (bench: 12 ms in the
trigram index and 6 ms in the phone-digits one, for 0.1 ms of answer). Digit trigrams are poor
keys (a thousand of them); six digits in a row are good ones.

`call_digits` is a contentless FTS5 index (detail=none: ids only) holding, per call, every six
digits in a row of each searched field once every character a phone may hold besides digits is
removed from it (as call_phone removes them from the phone). A phone-like term occurring in a
field, or whose digits occur in the phone's digits, has each six digits in a row of its digits
among its call's tokens, so the AND of side-by-side ones finds a superset of the calls the
trigram phrase and the phone-digits phrase find; each is then checked in the call's own text
(`instr`), newest first as the index walks, so the walk stops at the limit. Written after the
save with the other indexes (search_catch_up; a trigger on the call register before migration
0030): about 0.05 ms a call (a field of 4,000 digits: about 12 ms, as SQLite cuts text from its
start at each position)."""

from __future__ import annotations

from dutydesk.services.core.search import INDEXED_FIELDS, phone_digits
from dutydesk.services.core.search_index import phone_digits_sql as strip_sql

INDEX = "call_digits"
GRAM = 6  # digits per token
POSITIONS = "search_position"  # ids 1..8192 (migration 0024): a trigger has no recursive CTE


def _field_grams_sql(field: str) -> str:
    """The tokens of one field (an SQL expression over it), space-separated, '' for none. Most
    texts hold no six digits in a row and are passed over by one GLOB; the others are stripped
    once (a subquery with LIMIT is not flattened into the join, so SQLite does not strip again
    per position), then cut at each position."""
    gram, run = f"substr(x.s, p.id, {GRAM})", "[0-9]" * GRAM
    return (
        f"CASE WHEN {strip_sql(field)} GLOB '*{run}*' THEN coalesce((SELECT group_concat({gram}, "
        f"' ') FROM (SELECT {strip_sql(field)} AS s LIMIT 1) AS x JOIN {POSITIONS} AS p "
        f"ON p.id <= length(x.s) - {GRAM - 1} WHERE {gram} GLOB '{run}'), '') ELSE '' END"
    )


def digit_grams_sql(row: str) -> str:
    """The document of call row `row` (`new`, or a table alias) in the index."""
    return " || ' ' || ".join(_field_grams_sql(f"{row}.{field}") for field in INDEXED_FIELDS)


def create_sql() -> list[str]:
    """The index, its trigger and its filling from the calls already there (migration 0027;
    migration 0030 drops the trigger)."""
    return [
        f"CREATE VIRTUAL TABLE {INDEX} USING fts5(digits, content='', detail=none, "
        "tokenize='unicode61')",
        f"CREATE TRIGGER {INDEX}_insert AFTER INSERT ON call_record BEGIN "
        f"INSERT INTO {INDEX}(rowid, digits) VALUES (new.id, {digit_grams_sql('new')}); END",
        *fill_sql(),
        f"INSERT INTO {INDEX}({INDEX}, rank) VALUES ('automerge', 0)",  # upkeep merges (0007)
    ]


def fill_sql() -> list[str]:
    """Write the index again from the calls, whatever it held (`dutydesk reindex`)."""
    return [
        f"INSERT INTO {INDEX}({INDEX}) VALUES ('delete-all')",
        f"INSERT INTO {INDEX}(rowid, digits) SELECT r.id, {digit_grams_sql('r')} FROM call_record AS r",
    ]


def usable(term: str) -> str | None:
    """The digits of `term` when the index can answer it (a phone-like term with six digits or
    more), else None."""
    digits = phone_digits(term)
    return digits if digits is not None and len(digits) >= GRAM else None


def cover(digits: str) -> str:
    """The FTS5 query of side-by-side six-digit tokens of `digits`, the last ending at its end."""
    grams = [digits[at : at + GRAM] for at in range(0, len(digits) - GRAM + 1, GRAM)]
    if len(digits) % GRAM:
        grams.append(digits[-GRAM:])
    return " AND ".join(f'"{gram}"' for gram in grams)


def checked_select(term: str, digits: str) -> tuple[str, list[str]]:
    """The SELECT of the ids of calls with `term` in a searched field (case folded, as the
    trigram index folds it) or `digits` in the phone's digits, and its parameters."""
    folded = term.lower() != term.upper()  # an x or X: the trigram index folds case
    text = "lower(r.{0})" if folded else "r.{0}"
    checks = [f"instr({text.format(field)}, ?)" for field in INDEXED_FIELDS]
    checks.append(f"instr({strip_sql('r.phone')}, ?)")
    sql = (
        f"SELECT d.rowid AS id FROM {INDEX} AS d JOIN call_record AS r ON r.id = d.rowid "
        f"WHERE {INDEX} MATCH ? AND ({' OR '.join(checks)})"
    )
    shown = term.lower() if folded else term
    return sql, [cover(digits), *([shown] * len(INDEXED_FIELDS)), digits]
