"""The search indexes hold the calls' text, not only their ids (archive lane, item 5): a call's
index document written again with other text (hiding it from a search for its own words) fails
`verify`, naming the index and the call; `dutydesk reindex` repairs it."""

from __future__ import annotations

import pytest

from dutydesk.services.archive.verify import verify_register
from dutydesk.services.calls.calls import CallDraft, list_calls, save_call
from tests.support_reliability import fill, scalar, tamper

FIELDS = "caller, unit, phone, summary, handling, place"


@pytest.fixture
def filled(desk, officer):
    fill(desk, officer)
    desk.close()
    return desk.path


def _content_problems(path, deep=False):  # noqa: ANN001, ANN202
    return [(p.args["index"], p.args["ids"]) for p in verify_register(path, deep=deep).problems
            if p.code == "index_content"]  # fmt: skip


def test_an_honest_register_passes(filled):
    assert verify_register(filled).ok and verify_register(filled, deep=True).ok


def test_verify_deep_on_the_command_line_compares_every_token(cli, filled):
    summary = str(scalar(filled, "SELECT summary FROM call_record WHERE id = 2"))
    _rewrite_summary(filled, 2, "某" * len(summary))
    assert cli("verify", db=filled).exit_code == 0
    result = cli("verify", "--deep", db=filled, lang="en")
    assert result.exit_code == 1 and "call_fts" in result.stdout and "#2" in result.stdout


def test_a_word_index_document_rewritten_with_other_text_fails_and_reindex_repairs(cli, filled):
    summary = scalar(filled, "SELECT summary FROM call_record WHERE id = 2")
    tamper(
        filled,
        f"INSERT INTO call_fts(call_fts, rowid, {FIELDS}) "
        f"SELECT 'delete', id, {FIELDS} FROM call_record WHERE id = 2",
        f"INSERT INTO call_fts(rowid, {FIELDS}) "
        "SELECT id, caller, unit, phone, '无关内容', handling, place FROM call_record WHERE id = 2",
    )
    assert _content_problems(filled) == [("call_fts", "2")]
    result = cli("verify", db=filled, lang="en")
    assert result.exit_code == 1 and "call_fts" in result.stdout and "#2" in result.stdout
    assert cli("reindex", db=filled).exit_code == 0
    assert verify_register(filled).ok
    assert summary  # the call's own words are found again once rebuilt
    from dutydesk.services.core.desk import open_desk

    desk = open_desk(filled)
    try:
        assert 2 in {c.id for c in list_calls(desk, search=summary[:4])}
    finally:
        desk.close()


def _rewrite_summary(path, call_id, summary):  # noqa: ANN001, ANN202
    tamper(
        path,
        f"INSERT INTO call_fts(call_fts, rowid, {FIELDS}) "
        f"SELECT 'delete', id, {FIELDS} FROM call_record WHERE id = {call_id}",
        f"INSERT INTO call_fts(rowid, {FIELDS}) SELECT id, caller, unit, phone, '{summary}', "
        f"handling, place FROM call_record WHERE id = {call_id}",
    )


def test_a_word_index_document_rewritten_with_same_length_text_fails(filled):
    # the same number of characters, so the same token counts: only the tokens differ
    summary = str(scalar(filled, "SELECT summary FROM call_record WHERE id = 2"))
    _rewrite_summary(filled, 2, "某" * len(summary))
    assert _content_problems(filled) == []  # plain verify compares the token counts only
    assert _content_problems(filled, deep=True) == [("call_fts", "2")]


def test_two_calls_index_documents_swapped_fail_naming_both(filled):
    first = str(scalar(filled, "SELECT summary FROM call_record WHERE id = 1"))
    second = str(scalar(filled, "SELECT summary FROM call_record WHERE id = 2"))
    assert len(first) == len(second) and first != second
    _rewrite_summary(filled, 1, second)
    _rewrite_summary(filled, 2, first)
    assert _content_problems(filled, deep=True) == [("call_fts", "1, 2")]


def test_text_that_sqlite_lower_does_not_fold_passes(desk, officer):
    # FTS5 folds full-width and Cyrillic capitals, SQL's lower() does not: not a fault
    draft = CallDraft(caller="李明", unit="城关镇", phone="0371-66000000",
                      summary="ＸＹＺ大厦Ё电梯困人", place="ＡＢ栋ДМ")  # fmt: skip
    save_call(desk, draft, officer)
    desk.close()
    assert verify_register(desk.path, deep=True).ok


def test_a_phone_index_document_rewritten_with_same_length_digits_fails(filled):
    tamper(
        filled,
        "INSERT INTO call_phone(call_phone, rowid, digits) "
        "SELECT 'delete', id, replace(phone, '-', '') FROM call_record WHERE id = 3",
        "INSERT INTO call_phone(rowid, digits) VALUES (3, '037166000001')",
    )
    assert _content_problems(filled, deep=True) == [("call_phone", "3")]


def test_a_phone_index_document_rewritten_with_other_digits_fails(filled):
    tamper(
        filled,
        "INSERT INTO call_phone(call_phone, rowid, digits) "
        "SELECT 'delete', id, replace(phone, '-', '') FROM call_record WHERE id = 3",
        "INSERT INTO call_phone(rowid, digits) VALUES (3, '1')",
    )
    assert _content_problems(filled) == [("call_phone", "3")]


@pytest.mark.parametrize(
    "phone",
    [
        "0371-6600 0000",
        "0371-66000000",
        "13998115458",
        "0371--1-",
        "-",
        "１２３-4",
        "12a-3",
        "022\n-1",
        "+86 (371) 66000000#12",
        "13900001111转8",
        "x123X",
        "",
        "０３７１-1",
        "--",
        "12,34*5",
        None,
        123456,
        b"022-2345",
    ],  # fmt: skip
)
def test_verify_reads_the_phone_digits_as_the_trigger_writes_them(phone):
    """verify works out the phone index's text with one Python function in place of the
    trigger's nested replace() calls: the same text for any value the column may hold."""
    import sqlite3

    from dutydesk.services.archive.register_checks import phone_digits_by_function
    from dutydesk.services.core.search_index import phone_digits_sql

    conn = sqlite3.connect(":memory:")
    (spec,) = [s for s in phone_digits_by_function(conn) if s.index == "call_phone"]
    conn.execute("CREATE TABLE call_record (phone)")
    conn.execute("INSERT INTO call_record VALUES (?)", (phone,))
    by_sql, by_function = conn.execute(
        f"SELECT {phone_digits_sql('phone')}, {spec.columns['digits']} FROM call_record"
    ).fetchone()
    assert by_function == by_sql
