"""Issue 20, the quarterly report under 2 s: the report's call counts come from `call_day` (each
archive's calls per desk, unit and China's day, written by a trigger on `call` as they are
stored: central migration c0009) less the calls that have an amendment. They must be exactly
what reading every call of the period gives (`CALLS_READ`, the query before c0009): calls at
the edges of China's days, corrected calls (in the same archive or a later one, twice), a
unit left with no call once its call is corrected, and an archive set aside by a fork."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest

from dutydesk.services.central.connection import connect
from dutydesk.services.central.report import period_calls
from dutydesk.services.central.report_sql import CALLS_READ
from tests.support_central import held_archives
from tests.test_central import server, url  # noqa: F401  (fixtures)

CHINA = timezone(timedelta(hours=8))
ASIDE = "sha-set-aside"
PERIODS = [("2026-01-01", "2026-03-31"), ("2026-03-31", "2026-04-01"), ("2026-01-01", "2026-01-01"),
           ("2025-12-31", "2025-12-31"), ("2026-01-02", "2026-03-30"), ("2026-04-02", "2026-12-31")]  # fmt: skip


def _archive_calls() -> list[tuple[str, list[tuple]]]:
    """(archive, its calls: office, record, received (China's time), unit, amends): each list
    one INSERT, as ingest stores an archive's calls."""
    first = [
        ("chain:a", 1, datetime(2026, 1, 1, 0, 0, tzinfo=CHINA), "供电所", None),
        ("chain:a", 2, datetime(2025, 12, 31, 23, 59, 59, tzinfo=CHINA), "供电所", None),
        ("chain:a", 3, datetime(2026, 3, 31, 23, 59, 59, tzinfo=CHINA), "水务局", None),
        ("chain:a", 4, datetime(2026, 4, 1, 0, 0, tzinfo=CHINA), "水务局", None),
        ("chain:a", 5, datetime(2026, 2, 10, 9, 0, tzinfo=CHINA), "交警队", None),
        ("chain:a", 6, datetime(2026, 2, 10, 9, 5, tzinfo=CHINA), "交警队", 5),  # same archive
        ("chain:b", 1, datetime(2026, 1, 15, 8, 0, tzinfo=CHINA), "供电所", None),
        ("chain:b", 2, datetime(2026, 1, 15, 16, 30, tzinfo=UTC), "消防站", None),
    ]
    later = [
        ("chain:a", 7, datetime(2026, 3, 1, 10, 0, tzinfo=CHINA), "供电所", 3),  # unit changed
        ("chain:b", 3, datetime(2026, 1, 16, 1, 0, tzinfo=CHINA), "消防站", 2),
        ("chain:b", 4, datetime(2026, 1, 16, 2, 0, tzinfo=CHINA), "消防站", 2),  # twice
        ("chain:b", 5, datetime(2026, 2, 1, 8, 0, tzinfo=CHINA), "气象台", None),
    ]
    aside = [  # a fork's branch set aside: neither its calls nor its corrections count
        ("chain:b", 5, datetime(2026, 2, 1, 8, 0, tzinfo=CHINA), "气象台", None),
        ("chain:b", 6, datetime(2026, 2, 2, 8, 0, tzinfo=CHINA), "气象台", 1),
    ]
    return [("first", first), ("later", later), (ASIDE, aside)]


@pytest.fixture(scope="module")
def counted(server):  # noqa: F811
    from dutydesk.services.central import init_central

    made = server.create_database("central_report_days")
    init_central(made)
    with psycopg.connect(made, autocommit=True) as conn:
        conn.execute("INSERT INTO desk (office_id) VALUES ('chain:b')")
        for number, (sha, previous) in enumerate((("fork", None), (ASIDE, "fork")), start=1):
            conn.execute(
                "INSERT INTO archive (office_id, number, content, name, manifest_sha, "
                "previous_sha, created_at, head_seq, head_hash, office, manifest) VALUES "
                "('chain:b', %s, 'pack', %s, %s, %s, now(), 1, 'h', '测试', '{}')",
                (number, sha, sha, previous),
            )
        held_archives(conn, ["first", "later"])
        conn.execute("INSERT INTO conflict (office_id, fork_sha, number, first_sha, second_sha) "
                     "VALUES ('chain:b', 'fork', 2, %s, 'other')", (ASIDE,))  # fmt: skip
        for sha, calls in _archive_calls():
            conn.execute(
                "INSERT INTO call (office_id, record_id, received_at, unit, amends_id, archive_sha) "
                "SELECT o, r, t, u, a, %s FROM unnest(%s::text[], %s::bigint[], "
                "%s::timestamptz[], %s::text[], %s::bigint[]) AS c(o, r, t, u, a)",
                (sha, *map(list, zip(*calls, strict=True))),
            )
    return made


def _read(conn, period: dict[str, str]) -> dict[bool, dict[str, int]]:  # noqa: ANN001
    calls: dict[bool, dict[str, int]] = {True: {}, False: {}}
    for by_desk, key, count in conn.execute(CALLS_READ, period):
        calls[bool(by_desk)][str(key)] = int(count)
    return calls


def test_the_days_counted_at_ingest_give_what_reading_every_call_gives(counted):
    conn = connect(counted)
    try:
        assert conn.execute("SELECT count(*) FROM call_day").fetchone()[0] > 0
        for start, end in PERIODS:
            period = {"start": start, "end": end}
            assert period_calls(conn, period) == _read(conn, period), period
    finally:
        conn.close()


def test_the_quarter_by_hand(counted):
    conn = connect(counted)
    try:
        calls = period_calls(conn, {"start": "2026-01-01", "end": "2026-03-31"})
    finally:
        conn.close()
    # a: 1 (00:00 on the first day), 3 corrected by 7, 5 corrected by 6 -> 1, 6, 7; not 2, 4
    # b: 1, 2 corrected twice (3 and 4; 2 is 00:30 on 16 January in China), 5 -> 1, 3, 4, 5
    assert calls[True] == {"chain:a": 3, "chain:b": 4}
    assert calls[False] == {"供电所": 3, "交警队": 1, "消防站": 2, "气象台": 1}  # 水务局: none


def test_the_day_counts_are_insert_only(counted):
    with psycopg.connect(counted, autocommit=True) as conn:
        for change in ("UPDATE call_day SET calls = 0", "DELETE FROM call_day"):
            with pytest.raises(psycopg.errors.RaiseException, match="insert-only"):
                conn.execute(change)
