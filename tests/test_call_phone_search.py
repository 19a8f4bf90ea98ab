"""Phone numbers are compared digits only: however a number was written down, typing its digits
(or part of them, with or without separators) finds the call."""

from __future__ import annotations

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
