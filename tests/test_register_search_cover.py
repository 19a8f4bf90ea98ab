"""Issue 19, document search p50 < 1 ms: a long term without cased letters (a document number,
〔2024〕12) is looked up by a cover of side-by-side trigrams, then checked in the text, instead of
by the phrase of every trigram; it finds exactly what the phrase finds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutydesk.services.documents import add_document
from dutydesk.services.lookup import search_register
from dutydesk.services.lookup.register_search import matching_sql
from tests.support_hypothesis import examples


def _found(desk, query: str) -> list[int]:
    with desk.engine.connect() as connection:
        return search_register(connection, "document", query, 50)


def _phrase(desk, term: str) -> list[int]:  # what the trigram phrase alone finds
    with desk.engine.connect() as connection:
        sql = ("SELECT rowid FROM document_fts WHERE document_fts MATCH ? "
               "ORDER BY rowid DESC LIMIT 50")  # fmt: skip
        quoted = '"' + term.replace('"', '""') + '"'
        return [row[0] for row in connection.exec_driver_sql(sql, (quoted,)).fetchall()]


def _document(desk, officer, number: str, title: str, body: str = "") -> int:
    return add_document(desk, officer, direction="in", party="市政府办公室", title=title,
                        kind="file", urgency="putong", number=number, body=body).id  # fmt: skip


@pytest.fixture
def numbered(desk, officer):
    return {
        "holds": _document(desk, officer, "市政办〔2026〕12号", "关于做好防汛工作的通知"),
        # every trigram of the cover of 〔2026〕12, but never side by side
        "apart": _document(desk, officer, "区应急〔2027〕12号", "转发〔2026〕3号文件的通知"),
        "cited": _document(
            desk, officer, "区政办〔2025〕4号", "转发通知", body="根据市政办〔2026〕12号文件要求"
        ),  # fmt: skip
        "latin": _document(desk, officer, "ABC〔2026〕7号", "WiFi安全检查通知"),
    }


def test_a_document_number_is_looked_up_by_its_cover_and_checked_in_the_text():
    sql, params = matching_sql("document", "〔2026〕12", 50)  # type: ignore[misc]
    assert params[:2] == ['"026" AND "〕12"', "〔2026〕12"]  # 〔2 (in every number): by instr
    assert "instr(s.text, ?)" in sql


def test_the_cover_finds_exactly_what_the_phrase_finds(desk, numbered):
    assert _found(desk, "〔2026〕12") == [numbered["cited"], numbered["holds"]]
    for term in ("〔2026〕12", "〔2027〕12号", "转发〔2026〕3号", "〔2026〕13", "市政办〔2026〕"):
        assert _found(desk, term) == _phrase(desk, term), term


def test_two_covered_terms_are_each_checked(desk, numbered):
    assert _found(desk, "〔2026〕12 做好防汛工作") == [numbered["holds"]]
    assert _found(desk, "〔2026〕12 〔2027〕12") == []


def test_a_term_with_letters_keeps_the_phrase_which_folds_case(desk, numbered):
    sql, params = matching_sql("document", "wifi安全检查", 50)  # type: ignore[misc]
    assert params[0] == '"wifi安全检查"' and "instr" not in sql
    assert _found(desk, "wifi安全检查") == [numbered["latin"]]


NUMBER_TEXTS = ["市政办〔2026〕12号", "区应急〔2027〕12号", "转发〔2026〕3号文件的通知",
                "根据市政办〔2026〕12号文件要求", "市应急〔2019〕112号", "津应急〔2019〕12号"]  # fmt: skip


@settings(max_examples=examples(300), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=st.data())
def test_any_long_piece_of_a_number_finds_what_its_phrase_finds(numbered, desk, data):
    source = data.draw(st.sampled_from(NUMBER_TEXTS))
    start = data.draw(st.integers(0, len(source) - 6))
    term = source[start : data.draw(st.integers(start + 6, len(source)))]
    if data.draw(st.booleans()):  # a character changed: found nowhere, or elsewhere
        at = data.draw(st.integers(0, len(term) - 1))
        term = term[:at] + data.draw(st.sampled_from("〔〕0123号市")) + term[at + 1 :]
    assert _found(desk, term) == _phrase(desk, term), term
