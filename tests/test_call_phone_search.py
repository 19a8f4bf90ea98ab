"""Phone numbers are compared digits only: however a number was written down, typing its digits
(or part of them, with or without separators) finds the call."""

from __future__ import annotations

import pendulum
import pytest

from dutydesk.services.calls.calls import CallDraft, list_calls, save_call


@pytest.fixture
def two_calls(desk, officer):
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="0371-66123456", summary="积水"), officer)  # fmt: skip
    save_call(desk, CallDraft(caller="周涛", unit="柳林镇", phone="138 0013 8000", summary="停电"), officer)  # fmt: skip
    return desk


@pytest.mark.parametrize(
    ("typed", "caller"),
    [
        ("037166123456", "李红"),
        ("0371-6612", "李红"),
        ("66123456", "李红"),
        ("(0371)66123", "李红"),
        ("13800138000", "周涛"),
        ("138-0013-8000", "周涛"),
        ("00138", "周涛"),
    ],
)
def test_a_phone_is_found_by_its_digits(two_calls, typed, caller):
    assert [view.caller for view in list_calls(two_calls, search=typed)] == [caller]


def test_digits_still_find_other_fields_and_combine_with_words(two_calls):
    assert [view.caller for view in list_calls(two_calls, search="积水 66123456")] == ["李红"]
    assert list_calls(two_calls, search="停电 66123456") == []
    assert list_calls(two_calls, search="99999999") == []


def test_one_phone_term_gives_the_newest_matches_of_either_index(desk, officer):
    # matches by digits (phone) and by text (the fragment written in the summary), interleaved,
    # more than the limit on each side: the newest `limit` of the union, as the general query
    from dutydesk.services.core.search import search_row_ids

    for n in range(12):
        if n % 3 == 0:
            draft = CallDraft(
                caller=f"来电{n}", unit="城关镇", phone="022-2345-0000", summary="咨询"
            )
        elif n % 3 == 1:
            draft = CallDraft(
                caller=f"来电{n}", unit="城关镇", phone="0371-1111", summary="回电 022-2345"
            )
        else:
            draft = CallDraft(caller=f"来电{n}", unit="城关镇", phone="0371-9999", summary="无关")
        save_call(desk, draft, officer)
    with desk.engine.connect() as connection:
        everything = connection.exec_driver_sql(
            "SELECT id FROM call_record WHERE replace(phone, '-', '') LIKE '%0222345%' "
            "OR summary LIKE '%022-2345%' ORDER BY id DESC"
        ).fetchall()
        expected = [row[0] for row in everything]
        assert len(expected) == 8
        for limit in (1, 3, 5, 8, 20):
            assert search_row_ids(connection, "022-2345", limit) == expected[:limit]


def test_a_register_number_finds_its_call_and_only_it(two_calls):
    numbers = {view.caller: view.number for view in list_calls(two_calls)}
    assert [view.caller for view in list_calls(two_calls, search=numbers["李红"])] == ["李红"]
    full_width = numbers["周涛"].translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert [view.caller for view in list_calls(two_calls, search=full_width)] == ["周涛"]
    assert list_calls(two_calls, search="1999-000001") == []
    # beside a word: the call with that number holding it (breaker, session 14)
    assert [view.caller for view in list_calls(two_calls, search=f"{numbers['李红']} 积水")] == ["李红"]  # fmt: skip
    assert list_calls(two_calls, search=f"{numbers['李红']} 停电") == []


@pytest.mark.parametrize(
    ("typed", "callers"),
    [
        ("000002", ["周涛"]),  # the serial as the list shows it (new officer: it found nothing)
        ("-000002", ["周涛"]),
        ("26-000002", ["周涛"]),
        ("\uff10\uff10\uff10\uff10\uff10\uff11", ["李红"]),  # full-width 000001
        ("27-000001", []),  # another year's digits
        ("000003", []),
        ("001", ["周涛"]),  # short digits stay phone fragments (138 0013 8000), not serials
        ("2", ["李红"]),  # one character: no serial either
    ],
)
def test_a_register_numbers_serial_finds_its_call(two_calls, typed, callers):
    assert [view.caller for view in list_calls(two_calls, search=typed)] == callers


def test_a_serial_finds_that_serial_of_every_year_and_beside_words(desk, officer, clock):
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="0371-1111", summary="积水"), officer)  # fmt: skip
    clock.set(pendulum.parse("2027-01-02T09:00:00+08:00"))  # type: ignore[arg-type]
    save_call(desk, CallDraft(caller="周涛", unit="柳林镇", phone="0371-2222", summary="停电"), officer)  # fmt: skip
    save_call(desk, CallDraft(caller="吴敏", unit="柳林镇", phone="0371-3333", summary="回电 000001"), officer)  # fmt: skip
    assert [view.caller for view in list_calls(desk, search="000001")] == ["吴敏", "周涛", "李红"]
    assert [view.caller for view in list_calls(desk, search="27-000001")] == ["周涛"]
    assert [view.caller for view in list_calls(desk, search="000001 积水")] == ["李红"]
    assert [view.caller for view in list_calls(desk, search="000001 柳林镇")] == ["吴敏", "周涛"]


def test_a_serial_is_read_through_the_year_and_serial_index(two_calls):
    from dutydesk.services.core.search import row_ids_sql

    for query in ("000286", "26-000286 积水"):
        found = row_ids_sql(query, 10)
        assert found is not None
        with two_calls.engine.connect() as connection:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {found[0]}", found[1]).all()
        details = [row[-1] for row in plan]
        assert not any(d.startswith("SCAN") and "call_record" in d for d in details), details
