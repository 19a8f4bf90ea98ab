"""Stored times read back (timestore.from_storage): the same pendulum time, zone and fold as
building it field by field, whatever the year (issue 19: it is made from the parsed time's
pickled state, for speed)."""

from __future__ import annotations

from datetime import UTC, datetime

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from dutydesk.timestore import from_storage, to_storage
from tests.support_hypothesis import examples


def _expected(value: datetime) -> pendulum.DateTime:
    return pendulum.DateTime(value.year, value.month, value.day, value.hour, value.minute,
                             value.second, value.microsecond, pendulum.UTC)  # fmt: skip


@settings(max_examples=examples(2000), deadline=None, database=None)
@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_a_stored_time_reads_back_as_built_field_by_field(naive):
    stored = to_storage(naive.replace(tzinfo=UTC))
    read = from_storage(stored)
    expected = _expected(naive)
    assert type(read) is pendulum.DateTime
    assert read == expected and read.tzinfo is expected.tzinfo and read.fold == 0
    assert repr(read) == repr(expected) and to_storage(read) == stored
    assert read.in_timezone("Asia/Shanghai") == expected.in_timezone("Asia/Shanghai")


def test_other_forms_read_as_before():
    assert repr(from_storage("2026-01-02T03:04:05")) == repr(
        _expected(datetime(2026, 1, 2, 3, 4, 5))
    )
    assert from_storage("0999-01-02T03:04:05Z") == _expected(datetime(999, 1, 2, 3, 4, 5))
    east = from_storage("2026-01-02T03:04:05+08:00")
    assert east == pendulum.datetime(2026, 1, 1, 19, 4, 5, tz="UTC")
