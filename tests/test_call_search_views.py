"""Issue 19, calls search: list_calls(search=...) reads the matching originals' lines in the
statement that finds them (call_views.search_views), each with its own columns and a correction's
text read apart. It gives exactly the lines that reading the ids first (matching_roots) and then
the lines by id (read_views) gives: corrected or not, matching by the original or by a
correction, at any limit, and when corrections beside their originals make it ask for more."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutydesk.services.calls.call_views import read_views, search_views
from dutydesk.services.calls.calls import CallDraft, amend_call, list_calls, save_call
from dutydesk.services.core.search import matching_roots, raw_reads
from tests.support_hypothesis import examples

WORDS = ["积水", "停电", "人民路", "燃气管道", "城关镇", "幸福小区", "022-2345", "13900001111"]


@pytest.fixture
def corrected(desk, officer):
    """Forty calls of random words; a third corrected once to three times, some corrections
    keeping the original's words, some not."""
    rng = random.Random(20261202)
    calls = []
    for n in range(40):
        words = rng.sample(WORDS, 2)
        draft = CallDraft(caller=f"来电{n}", unit=rng.choice(["城关镇", "区应急管理局"]),
                          phone=rng.choice(["022-23456789", "13900001111", "0371-66123456"]),
                          summary="，".join(words), handling=rng.choice(["", "已处置"]),
                          verified=rng.random() < 0.5, follow_up=rng.random() < 0.2,
                          place=rng.choice(["", "人民路口"]))  # fmt: skip
        calls.append(save_call(desk, draft, officer))
    for call in rng.sample(calls, 14):
        for step in range(rng.randint(1, 3)):
            summary = rng.choice([call.summary, "，".join(rng.sample(WORDS, 2))]) + f"补充{step}"
            change = {"summary": summary, "verified": rng.random() < 0.5}
            amend_call(desk, call.number, f"更正{step}", change, officer)
    return desk


def _both(desk, query: str, limit: int):
    with raw_reads(desk.engine) as reads:
        return read_views(reads, matching_roots(reads, query, limit)), search_views(
            reads, query, limit
        )


@settings(max_examples=examples(300), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(words=st.lists(st.sampled_from(WORDS + ["补充", "水", "龘", "0222345"]), min_size=1,
                      max_size=2), limit=st.sampled_from([1, 2, 3, 5, 8, 13, 50]))  # fmt: skip
def test_the_lines_are_those_read_by_id(corrected, words, limit):
    by_id, found = _both(corrected, " ".join(words), limit)
    assert found == by_id
    assert [vars(view) for view in found] == [vars(view) for view in by_id]
    assert all(type(view.verified) is bool and type(view.follow_up) is bool for view in found)


def test_corrections_matching_beside_their_originals_ask_for_more(desk, officer):
    calls = [save_call(desk, CallDraft(caller=f"来电{n}", unit="城关镇", phone="022-23456789",
                                       summary=f"道路积水{n}"), officer) for n in range(8)]  # fmt: skip
    for call in calls[2:7]:
        for step in range(2):
            amend_call(desk, call.number, "补充", {"summary": f"道路积水{step}补充"}, officer)
    for limit in range(1, 10):
        by_id, found = _both(desk, "道路积水", limit)
        assert found == by_id and len(found) == min(limit, 8)
        # the corrected by their corrections (newer), then the others, each newest first
        order = [6, 5, 4, 3, 2, 7, 1, 0][:limit]
        assert [view.number for view in found] == [calls[n].number for n in order]
        assert [view.amended_by is not None for view in found] == [2 <= n <= 6 for n in order]
    assert list_calls(desk, search="道路积水", limit=3) == _both(desk, "道路积水", 3)[0]


def test_no_term_and_no_match_find_nothing(corrected):
    assert _both(corrected, "   ", 5) == ([], [])
    assert _both(corrected, "龘", 5) == ([], [])
