"""What `dutydesk verify` checks beyond each row against its link: that the append-only
triggers are all in place, that the numbering (register_sequence) matches the numbers issued,
and that written_at never steps back along the chain by more than the office's tolerance.

Each returns AnchorProblem-shaped findings (a message key of [verify_anchor] and its values),
so the command line says what and where in the user's language."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from dutydesk.models.office import CLOCK_TOLERANCE_S
from dutydesk.services.archive.anchors import AnchorProblem
from dutydesk.services.archive.verify_clock import MAX_CLOCK_STEPS as MAX_CLOCK_STEPS
from dutydesk.services.archive.verify_clock import ClockWatch as ClockWatch
from dutydesk.services.core.search_index import expected_indexes, schema_revision

INDEXED_AFTER_SAVE = 30  # from migration 0030 search_catch_up writes the indexes, not triggers
INDEX_TRIGGERS = (  # feed the trigram, the phone-digits and the digit-gram search indexes
    ("call_fts_insert", "call_record"),
    ("call_phone_insert", "call_record"),
    ("call_digits_insert", "call_record"),
)
NUMBERED = {"call": "call_record"}
REPORT_NUMBERS = "report_number"  # 文号 〔YYYY〕N号: per year, 1..n given in order, never skipped  # register_sequence.book -> the table holding its numbers
MAX_SHOWN = 20  # missing report numbers named in full
SHOWN_IDS = 5  # rows named when an index holds other text than theirs (as search_index_content)


def missing_triggers(conn: sqlite3.Connection, tables: Iterable[str]) -> list[AnchorProblem]:
    """Each guarded table's `<table>_no_update` and `<table>_no_delete`, present and raising
    (a trigger replaced by one that does nothing counts as missing), and the index triggers."""
    existing = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    triggers = {
        name: (table, sql or "")
        for name, table, sql in conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        )
    }
    wanted = [
        (f"{table}_no_{action}", table, True)
        for table in sorted(set(tables) & existing)
        for action in ("update", "delete")
    ]
    query = lambda sql, args: conn.execute(sql, args).fetchall()  # noqa: E731
    indexes = expected_indexes(query)
    revision = schema_revision(query)
    wanted += [
        (name, table, False)
        for name, table in INDEX_TRIGGERS
        if table in existing
        and name.removesuffix("_insert") in indexes
        and (revision is None or revision < INDEXED_AFTER_SAVE)
    ]
    problems = []
    for name, table, raises in wanted:
        found = triggers.get(name)
        if found is None or found[0] != table or (raises and "RAISE(ABORT" not in found[1].upper()):
            problems.append(AnchorProblem("trigger_missing", {"trigger": name, "table": table}))
    return problems


def sequence_problems(conn: sqlite3.Connection) -> list[AnchorProblem]:
    """Per book and year, the last number handed out is the highest number a row holds, and
    every number from 1 up to it is held (numbers are issued in the row's own transaction and
    never skipped)."""
    existing = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    problems = report_number_gaps(conn) if REPORT_NUMBERS in existing else []
    if "register_sequence" not in existing:
        return problems
    issued = {(book, year): last for book, year, last in conn.execute(
        "SELECT book, year, last_value FROM register_sequence")}  # fmt: skip
    for book, table in NUMBERED.items():
        if table not in existing:
            continue
        held = conn.execute(
            f"SELECT year, MAX(seq), COUNT(DISTINCT seq) FROM {table} GROUP BY year ORDER BY year"
        ).fetchall()
        years = {year for year, _top, _count in held} | {y for b, y in issued if b == book}
        tops = {year: (top, count) for year, top, count in held}
        for year in sorted(years):
            top, count = tops.get(year, (0, 0))
            last = issued.get((book, year), 0)
            where = {"book": book, "year": year, "last": last, "highest": top}
            if last != top:
                problems.append(AnchorProblem("sequence_mismatch", where))
            if count != top:
                problems.append(AnchorProblem("numbers_missing", {**where, "count": count}))
    return problems


def report_number_gaps(conn: sqlite3.Connection) -> list[AnchorProblem]:
    """Per year, every report number from 1 up to the highest given is held (a number is given
    as max + 1 in its row's own transaction, so a hole is a deleted row)."""
    problems = []
    held: dict[int, set[int]] = {}
    for year, number in conn.execute(f"SELECT year, number FROM {REPORT_NUMBERS}"):
        held.setdefault(year, set()).add(number)
    for year, numbers in sorted(held.items()):
        missing = sorted(set(range(1, max(numbers) + 1)) - numbers)
        if missing:
            shown = ", ".join(str(n) for n in missing[:MAX_SHOWN])
            problems.append(AnchorProblem("report_numbers_missing",
                            {"year": year, "highest": max(numbers), "missing": shown}))  # fmt: skip
    return problems


def clock_tolerance(conn: sqlite3.Connection) -> int:
    """The office's tolerance (seconds): the newest chained office setting's, else 5 minutes."""
    try:
        row = conn.execute(
            "SELECT clock_tolerance_s FROM office_setting ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.Error:  # a register from before the office was chained
        return CLOCK_TOLERANCE_S
    return int(row[0]) if row is not None else CLOCK_TOLERANCE_S


def index_content(conn: sqlite3.Connection, deep: bool = False) -> list[AnchorProblem]:
    """Each trigram index document holds its record's text: its token counts, and with `deep`
    every token (search_index_content), every token of the bigram index (bigram_content) and
    of the digit-gram index (digits_content)."""
    from dutydesk.services.core.search_index import expected_indexes
    from dutydesk.services.core.search_index_content import content_problems

    def query(sql: str, params: Sequence[Any]) -> list[Any]:
        return conn.execute(sql, params).fetchall()

    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "call_record" not in tables:
        return []
    candidates = [*expected_indexes(query), "document_fts", "contact_fts"]
    # an index missing any of its tables is named by the index checks (search_index), and
    # FTS5 cannot read it: it stopped `verify --deep` as "cannot open" (breaker, session 21)
    present = [i for i in candidates if _whole(i, tables)]
    specs = phone_digits_by_function(conn)
    problems: list[AnchorProblem] = []
    try:  # together: the call register's indexes are counted in one pass over it
        found = content_problems(query, present, specs, deep=deep)
    except sqlite3.DatabaseError:  # an index's blobs rewritten by hand ("malformed"): which
        found = []
        for index in present:
            try:
                found += content_problems(query, [index], specs, deep=deep)
            except sqlite3.DatabaseError as error:
                problems.append(AnchorProblem("index_unreadable",
                                              {"index": index, "detail": str(error)}))  # fmt: skip
    problems += [AnchorProblem("index_content", {"index": p.index, "count": p.count,
                               "ids": ", ".join(str(i) for i in p.ids)}) for p in found]  # fmt: skip
    if deep:  # the bigram and digit-gram indexes' tokens, written again and compared
        from dutydesk.services.archive.bigram_content import INDEX, bigram_faults
        from dutydesk.services.archive.digits_content import digits_faults
        from dutydesk.services.core.search_digits import INDEX as DIGITS

        for index, read in ((INDEX, bigram_faults), (DIGITS, digits_faults)):
            if not _whole(index, tables):
                continue
            try:
                faults = sorted(read(conn))
            except sqlite3.DatabaseError as error:
                problems.append(AnchorProblem("index_unreadable",
                                              {"index": index, "detail": str(error)}))  # fmt: skip
                continue
            if faults:
                shown = ", ".join(str(i) for i in faults[:SHOWN_IDS])
                problems.append(AnchorProblem("index_content",
                                              {"index": index, "count": len(faults), "ids": shown}))  # fmt: skip
    return problems


def _whole(index: str, tables: set[str]) -> bool:
    """`index` and its four FTS5 tables are all there, each a table."""
    return {
        index,
        *(f"{index}_{shadow}" for shadow in ("config", "data", "docsize", "idx")),
    } <= tables


def phone_digits_by_function(conn: sqlite3.Connection) -> list[Any]:
    """The indexes' specs with the phone's digits worked out by one Python function instead of
    the trigger's eleven nested replace() calls (the same characters removed, the same text):
    the phone index's count check on ten years, 2.3 -> 1.6 s of CPU (issue 19)."""
    from dataclasses import replace

    from dutydesk.services.core.search_index import PHONE_NOT_DIGITS, phone_digits_sql
    from dutydesk.services.core.search_index_content import TEXT_INDEXES

    removed = {ord(char): None for char in PHONE_NOT_DIGITS}

    conn.create_function("dutydesk_phone_digits", 1, lambda text: text.translate(removed),
                         deterministic=True)  # fmt: skip
    # Most phones are digits, or digits and dashes: those are made by GLOB and replace() in C,
    # the rest by the function (a Python call per row: 2.5 -> 1.6 s of CPU on ten years).
    text = ("CASE WHEN phone NOT GLOB '*[^0-9]*' THEN phone "
            "WHEN phone NOT GLOB '*[^0-9-]*' THEN replace(phone, '-', '') "
            "ELSE dutydesk_phone_digits(phone) END")  # fmt: skip
    either = (f"CASE WHEN typeof(phone) = 'text' THEN {text} "
              f"ELSE {phone_digits_sql('phone')} END")  # a number or a blob: as the trigger  # fmt: skip
    return [replace(spec, columns={"digits": either})
            if spec.index == "call_phone" else spec for spec in TEXT_INDEXES]  # fmt: skip
