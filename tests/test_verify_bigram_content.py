"""Issue 16: `verify --deep` checks what the bigram index (call_bigram, one- and two-character
terms such as 积水) holds, token by token, not only its document ids: a call's document written
again for other text of the same length, or two calls' documents swapped, fails naming the
index and the calls; plain verify (ids and counts) does not see it; reindex repairs it."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from dutydesk.services.archive.verify import verify_register
from dutydesk.services.core.search import INDEXED_FIELDS, grams_for
from tests.support_reliability import fill, tamper
from tests.test_index_content import filled  # noqa: F401  (fixture)


def _texts(path, call_id):  # noqa: ANN001, ANN202
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute(
            f"SELECT {', '.join(INDEXED_FIELDS)} FROM call_record WHERE id = ?", (call_id,)
        ).fetchone()
    return [value or "" for value in row]


def _rewrite(path, call_id, grams):  # noqa: ANN001, ANN202
    """The call's bigram document replaced (a contentless delete names the old tokens)."""
    old = grams_for(*_texts(path, call_id)).replace("'", "''")
    tamper(
        path,
        f"INSERT INTO call_bigram(call_bigram, rowid, grams) VALUES ('delete', {call_id}, '{old}')",
        f"INSERT INTO call_bigram(rowid, grams) VALUES ({call_id}, '{grams}')",
    )


def _bigram_problems(path, deep):  # noqa: ANN001, ANN202
    return [(p.args["index"], p.args["ids"]) for p in verify_register(path, deep=deep).problems
            if p.code == "index_content" and p.args["index"] == "call_bigram"]  # fmt: skip


def test_a_same_length_rewrite_of_a_bigram_document_fails_deep_verify(filled):  # noqa: F811
    texts = _texts(filled, 2)
    summary_index = INDEXED_FIELDS.index("summary")
    texts[summary_index] = "某" * len(texts[summary_index])  # as many characters, other words
    _rewrite(filled, 2, grams_for(*texts))
    assert verify_register(filled).ok, "plain verify checks the bigram index's ids only"
    assert _bigram_problems(filled, deep=True) == [("call_bigram", "2")]


def test_two_calls_bigram_documents_swapped_fail_naming_both(filled):  # noqa: F811
    first, second = grams_for(*_texts(filled, 1)), grams_for(*_texts(filled, 2))
    assert first != second
    _rewrite(filled, 1, second)
    _rewrite(filled, 2, first)
    assert _bigram_problems(filled, deep=True) == [("call_bigram", "1, 2")]


def test_the_cli_names_it_and_reindex_repairs_it(cli, filled):  # noqa: F811
    _rewrite(filled, 3, "某 某某")
    result = cli("verify", "--deep", db=filled, lang="en")
    assert result.exit_code == 1 and "call_bigram" in result.stdout and "#3" in result.stdout
    assert cli("reindex", db=filled).exit_code == 0
    assert verify_register(filled, deep=True).ok


def test_an_honest_register_with_odd_text_passes_deep_verify(desk, officer):
    from dutydesk.services.calls.calls import CallDraft, save_call

    fill(desk, officer)
    save_call(desk, CallDraft(caller="Ｏ'Brien", unit="城关镇", phone="0371-66000000",
                              summary="ＸＹＺ大厦Ё电梯困人 café", place="ＡＢ栋ДМ"), officer)  # fmt: skip
    desk.close()
    report = verify_register(desk.path, deep=True)
    assert report.ok, report.problems
