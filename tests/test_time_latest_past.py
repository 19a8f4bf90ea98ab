"""`HH:MM` and `MM-DD HH:MM` typed at the desk mean the most recent such time not in the
future: `23:55` typed at 00:05 on a night shift is five minutes ago, not tonight."""

from __future__ import annotations

import pendulum
import pytest

from dutydesk.errors import DutyError
from dutydesk.services.core.timeparse import parse_time

ZONE = "Asia/Shanghai"


def _at(iso: str) -> pendulum.DateTime:
    return pendulum.parse(iso)  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("now", "typed", "expected"),
    [
        ("2026-12-02T00:05:00+08:00", "23:55", "2026-12-01T23:55:00+08:00"),
        ("2026-12-02T00:05:00+08:00", "00:04", "2026-12-02T00:04:00+08:00"),
        ("2026-12-02T00:05:00+08:00", "00:06", "2026-12-02T00:06:00+08:00"),  # within a minute
        ("2026-12-02T07:00:00+08:00", "18:30", "2026-12-01T18:30:00+08:00"),  # the night before
        ("2026-12-01T21:52:00+08:00", "21:50", "2026-12-01T21:50:00+08:00"),
        ("2027-01-01T00:05:00+08:00", "12-31 23:50", "2026-12-31T23:50:00+08:00"),
        ("2027-01-01T00:05:00+08:00", "01-01 00:01", "2027-01-01T00:01:00+08:00"),
        ("2027-03-01T09:00:00+08:00", "02-29 10:00", "2024-02-29T10:00:00+08:00"),
        ("2026-12-02T00:05:00+08:00", "2026-12-02 23:55", "2026-12-02T23:55:00+08:00"),
    ],
)
def test_a_short_time_is_the_latest_one_not_ahead_of_now(now, typed, expected):
    assert parse_time(typed, ZONE, now=_at(now)) == _at(expected)


def test_a_view_of_later_today_keeps_todays_time():
    """`deadlines --at 18:00` at 14:00 asks about this evening, not yesterday's."""
    now = _at("2026-12-01T14:00:00+08:00")
    later = parse_time("18:00", ZONE, now=now, latest_past=False)
    assert later == _at("2026-12-01T18:00:00+08:00")
    assert parse_time("18:00", ZONE, now=now) == _at("2026-11-30T18:00:00+08:00")


def test_an_impossible_day_is_still_refused():
    with pytest.raises(DutyError):
        parse_time("02-30 10:00", ZONE, now=_at("2027-03-01T09:00:00+08:00"))
    with pytest.raises(DutyError):
        parse_time("02-29 10:00", ZONE, now=_at("2027-03-01T09:00:00+08:00"), latest_past=False)
