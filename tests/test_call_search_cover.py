"""Issue 19, calls search: a long term without cased letters (a unit's full name, 高新技术产业园区)
is looked up by a cover of side-by-side trigrams laid from its end and checked in each field,
instead of by the phrase of every trigram; it finds exactly what the phrase finds."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.core.search import search_row_ids, trigram_cover
from tests.support_hypothesis import examples
from tests.support_search_tail import indexed_and_not

UNITS = ["高新技术产业园区管委会", "区应急管理局", "市应急管理局", "高新区应急办", "技术产业园区"]
TEXTS = ["道路积水约三十厘米请求排水", "高新技术产业园区内燃气管道泄漏", "区应急管理局通知做好防汛准备",
         "积水已排除，道路恢复通行", "园区管委会报告：技术产业园区停电"]  # fmt: skip


def _phrase(connection, terms: list[str], limit: int) -> list[int]:
    """What the trigram phrases alone find (each term a phrase, all of them)."""
    match = " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)
    sql = "SELECT rowid FROM call_fts WHERE call_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
    return [row[0] for row in connection.exec_driver_sql(sql, (match, limit)).fetchall()]


@pytest.fixture
def both(desk, officer, tmp_path):
    """The calls in the indexes, and a copy of the register holding them above its mark."""
    rng = random.Random(20261202)
    for n in range(30):
        draft = CallDraft(caller=f"来电{n}", unit=rng.choice(UNITS), phone="022-23456789",
                          summary=rng.choice(TEXTS), handling=rng.choice(TEXTS + [""]))  # fmt: skip
        save_call(desk, draft, officer)
    with indexed_and_not(desk, tmp_path) as unindexed:
        yield desk, unindexed


def _piece(data: st.DataObject) -> str:
    source = data.draw(st.sampled_from(UNITS + TEXTS))
    start = data.draw(st.integers(0, max(0, len(source) - 6)))
    term = source[start : data.draw(st.integers(min(start + 6, len(source)), len(source)))]
    if data.draw(st.booleans()):  # one character changed: found elsewhere or nowhere
        at = data.draw(st.integers(0, len(term) - 1))
        term = term[:at] + data.draw(st.sampled_from("区园市局积水")) + term[at + 1 :]
    return term


@settings(max_examples=examples(400), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=st.data(), limit=st.sampled_from([1, 5, 50]), two=st.booleans())
def test_a_long_term_finds_exactly_what_its_phrase_finds(both, data, limit, two):
    """In the indexes, and in the calls not yet indexed (read from the register itself)."""
    terms = [_piece(data)] + ([_piece(data)] if two else [])
    indexed, unindexed = both
    with indexed.engine.connect() as connection:
        found = search_row_ids(connection, " ".join(terms), limit)
        assert found == _phrase(connection, terms, limit), terms
    with unindexed.engine.connect() as connection:
        assert search_row_ids(connection, " ".join(terms), limit) == found, terms


def test_the_cover_is_laid_from_the_end():
    assert trigram_cover("高新技术产业园区") == '"技术产" AND "业园区"'  # 高新: by instr
    assert trigram_cover("区应急管理局") == '"区应急" AND "管理局"'
    assert trigram_cover("市应急〔2019") == '"急〔2" AND "019"'


def test_roots_come_once_newest_first_however_many_corrections_match(desk, officer):
    from dutydesk.services.calls.calls import amend_call, list_calls
    from dutydesk.services.core.search import matching_roots

    calls = [save_call(desk, CallDraft(caller=f"来电{n}", unit="城关镇", phone="022-23456789",
                                       summary=f"道路积水{n}"), officer) for n in range(8)]  # fmt: skip
    for call in calls[2:7]:  # corrections still holding the term, two each: 10 more rows
        for step in range(2):
            amend_call(desk, call.number, "补充", {"summary": f"道路积水{step}补充"}, officer)
    with desk.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT coalesce(amends_id, id) FROM call_record WHERE summary LIKE '%道路积水%' "
            "ORDER BY id DESC"
        ).fetchall()
        expected = list(dict.fromkeys(row[0] for row in rows))
        assert len(expected) == 8
        for limit in range(1, 10):
            assert matching_roots(connection, "道路积水", limit) == expected[:limit], limit
    assert [view.number for view in list_calls(desk, search="道路积水", limit=3)] == [
        calls[6].number, calls[5].number, calls[4].number]  # fmt: skip


@pytest.mark.parametrize("amended", [False, True])
def test_a_line_built_from_its_row_equals_the_dataclass_built_the_usual_way(amended):
    from dutydesk.services.calls.call_view import CallView, view_from_row
    from dutydesk.timestore import from_storage

    at, later = "2026-11-23T05:58:00.123456+00:00", "2026-11-23T06:01:00.000000+00:00"
    row = (7, "2026-000007", later, None, "2026-000009" if amended else None, "补充",
           at, "in", "李红", "城关镇", "022-23456789", 1, "incident", "积水", "已处置", 0, None)  # fmt: skip
    usual = CallView(
        id=7, number="2026-000007", received_at=from_storage(at), recorded_at=from_storage(later),
        direction="in", caller="李红", unit="城关镇", phone="022-23456789", verified=True,
        category="incident", summary="积水", handling="已处置", follow_up=False, recorded_by="?",
        place="", amended_by="2026-000009" if amended else None,
        amend_reason="补充" if amended else None,
    )  # fmt: skip
    built = view_from_row(row)
    assert built == usual and vars(built) == vars(usual) and hash(built) == hash(usual)
    assert repr(built) == repr(usual)


@pytest.mark.parametrize(
    "stored",
    ["2026-11-23T05:58:00.123456+00:00", "2026-11-23T05:58:00+00:00", "0999-01-02T03:04:05.000006+00:00",
     "2026-11-24T00:00:00+08:00", "2026-11-23T05:58:00.5-03:30", "2026-11-23T05:58:00"],
)  # fmt: skip
def test_a_stored_time_reads_back_as_pendulum_reads_it(stored):
    import pendulum

    from dutydesk.timestore import from_storage

    read = from_storage(stored)
    assert type(read) is pendulum.DateTime and read.fold == 0
    assert read == pendulum.parse(stored, tz="UTC")
    assert read.utcoffset() == pendulum.parse(stored, tz="UTC").utcoffset()
    if stored.endswith("+00:00") or "+" not in stored[10:] and "-" not in stored[10:]:
        assert read.tzinfo is pendulum.UTC  # what to_storage writes, or a time without zone


def test_a_register_connection_keeps_a_page_cache_for_search(desk):
    from dutydesk.db import PAGE_CACHE_KIB

    with desk.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -PAGE_CACHE_KIB
    assert PAGE_CACHE_KIB >= 16384
