"""Issue 19, phone fragments: a phone-like term with six digits or more is answered by the index
of six-digit runs (migration 0027) and checked in the call's text; it finds exactly what the
trigram phrase and the phone-digits phrase found together, in the same order."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutydesk.services.archive.verify import verify_register
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.core.search import search_row_ids
from dutydesk.services.core.search_digits import checked_select, cover, usable
from tests.support_hypothesis import examples
from tests.support_search_tail import indexed_and_not
from tests.test_call_place import _migrate

SEPARATORS = "-- ()#*,转xX"
NUMBERS = ["022-23456789", "022-2345-6700", "(022)2345 6789", "13902345678", "022-88486612",
           "0371-66123456", "138 0013 8000", "022-2345转601", "400-022-2345", "022X23456789"]  # fmt: skip
TEXTS = ["咨询", "回电022-2345 6789", "电话 (022)23456789 转 6", "值守 13902345678", "无关",
         "门牌2345号 022", "0222345678", "传真022x2345-6789"]  # fmt: skip


def _old_union(connection, term: str, digits: str, limit: int) -> list[int]:
    """What the two trigram indexes found for a phone-like term before migration 0027."""
    sql = ("SELECT rowid FROM call_fts WHERE call_fts MATCH ? UNION "
           "SELECT rowid FROM call_phone WHERE call_phone MATCH ? ORDER BY 1 DESC LIMIT ?")  # fmt: skip
    quoted = ['"' + text.replace('"', '""') + '"' for text in (term, digits)]
    return [row[0] for row in connection.exec_driver_sql(sql, (*quoted, limit)).fetchall()]


@pytest.fixture
def both(desk, officer, tmp_path):
    """The calls in the indexes, and a copy of the register holding them above its mark."""
    rng = random.Random(20261202)
    for n in range(36):
        draft = CallDraft(caller=f"来电{n}", unit=rng.choice(["城关镇", "柳林镇2345"]),
                          phone=rng.choice(NUMBERS), summary=rng.choice(TEXTS))  # fmt: skip
        save_call(desk, draft, officer)
    with indexed_and_not(desk, tmp_path) as unindexed:
        yield desk, unindexed


@pytest.fixture
def phones(both):
    return both[0]


def _fragment(data: st.DataObject) -> str:
    """A piece of a stored number or text, its separators sometimes changed or dropped."""
    source = data.draw(st.sampled_from(NUMBERS + TEXTS))
    start = data.draw(st.integers(0, len(source) - 1))
    piece = source[start : data.draw(st.integers(start + 1, len(source)))]
    chars = [data.draw(st.sampled_from(SEPARATORS)) if c in SEPARATORS and data.draw(st.booleans())
             else c for c in piece]  # fmt: skip
    return "".join(chars).strip()


@settings(max_examples=examples(600), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=st.data(), limit=st.sampled_from([1, 3, 50]))
def test_the_digit_grams_find_exactly_what_the_two_phrases_found(both, data, limit):
    """And the calls not yet indexed are found alike, read from the register itself."""
    term = data.draw(st.one_of(st.builds(lambda: _fragment(data)),
                               st.text(alphabet="0123456789-()转xX", min_size=6, max_size=14)))  # fmt: skip
    digits = usable(term)
    if digits is None or " " in term or not term:
        return
    indexed, unindexed = both
    with indexed.engine.connect() as connection:
        found = search_row_ids(connection, term, limit)
        assert found == _old_union(connection, term, digits, limit), term
    with unindexed.engine.connect() as connection:
        assert search_row_ids(connection, term, limit) == found, term


@pytest.mark.parametrize("term", ["022-2345", "0222345", "(022)2345", "2345-67", "022x2345",
                                  "13902345678", "400-022-2345", "2345转601"])  # fmt: skip
def test_known_fragments_alone_and_beside_a_word(both, term):
    digits = usable(term)
    assert digits is not None
    phones, unindexed = both
    with phones.engine.connect() as connection:
        found = search_row_ids(connection, term, 50)
        assert found == _old_union(connection, term, digits, 50)
        assert found, term  # each occurs in the fixture's numbers or texts
        beside = search_row_ids(connection, f"{term} 城关镇", 50)
        assert beside == [
            row for row in found if row in set(search_row_ids(connection, "城关镇", 50))
        ]
    with unindexed.engine.connect() as connection:  # the same, read from the register itself
        assert search_row_ids(connection, term, 50) == found
        assert search_row_ids(connection, f"{term} 城关镇", 50) == beside


def test_only_phone_like_terms_of_six_digits_use_it():
    assert usable("022-2345") == "0222345"
    assert usable("02234") is None and usable("积水022345") is None
    assert usable("(022)-2345-6789-0011-2233-4455-6677-8899-0000") is not None
    assert cover("0222345") == '"022234" AND "222345"'
    assert cover("022234567890") == '"022234" AND "567890"'
    sql, params = checked_select("022X2345", "0222345")
    assert "lower(r.caller)" in sql and params[1] == "022x2345"


def test_calls_from_before_the_migration_are_indexed_and_a_downgrade_drops_only_the_index(
    phones,
):
    with phones.engine.connect() as connection:
        before = search_row_ids(connection, "022-2345", 50)
    phones.close()
    _migrate(phones.path, "0026", down=True)
    with closing(sqlite3.connect(phones.path)) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert not {name for name in names if name.startswith("call_digits")}
    assert verify_register(phones.path).ok
    _migrate(phones.path, "heads")
    with closing(sqlite3.connect(phones.path)) as conn:
        held = conn.execute("SELECT count(*) FROM call_digits_docsize").fetchone()[0]
        calls = conn.execute("SELECT count(*) FROM call_record").fetchone()[0]
        sql = "SELECT rowid FROM call_digits WHERE call_digits MATCH ? ORDER BY rowid DESC"
        assert [r[0] for r in conn.execute(sql, (cover("0222345"),))][: len(before)] != []
    assert held == calls
    assert verify_register(phones.path).ok


def _digit_problems(path, deep):  # noqa: ANN001, ANN202
    return [(p.args["index"], p.args["ids"]) for p in verify_register(path, deep=deep).problems
            if p.code == "index_content" and p.args["index"] == "call_digits"]  # fmt: skip


def test_a_call_taken_out_of_the_digit_grams_fails_deep_verify_and_reindex_repairs_it(phones):
    from dutydesk.services.core.search_digits import digit_grams_sql
    from dutydesk.services.core.search_index import rebuild_search_indexes

    with phones.engine.connect() as connection:  # the newest call holding 022-2345
        target = connection.exec_driver_sql(
            "SELECT max(id) FROM call_record WHERE instr(phone, '022-2345')"
        ).scalar()
    phones.close()
    with closing(sqlite3.connect(phones.path)) as conn, conn:  # its tokens deleted, written empty
        tokens = conn.execute(
            f"SELECT {digit_grams_sql('r')} FROM call_record AS r WHERE r.id = ?", (target,)
        ).fetchone()[0]
        conn.execute("INSERT INTO call_digits(call_digits, rowid, digits) VALUES ('delete', ?, ?)",
                     (target, tokens))  # fmt: skip
        conn.execute("INSERT INTO call_digits(rowid, digits) VALUES (?, '')", (target,))
    assert _digit_problems(phones.path, deep=False) == []  # its document id is still there
    assert _digit_problems(phones.path, deep=True) == [("call_digits", str(target))]
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk

    desk = open_desk(phones.path, FrozenClock(pendulum.parse("2026-11-23T12:00:00+08:00")))
    try:
        with desk.engine.connect() as connection:
            assert target not in search_row_ids(connection, "022-2345", 50)  # hidden
        rebuild_search_indexes(desk)
        with desk.engine.connect() as connection:
            assert target in search_row_ids(connection, "022-2345", 50)
    finally:
        desk.close()
    assert verify_register(phones.path, deep=True).ok
