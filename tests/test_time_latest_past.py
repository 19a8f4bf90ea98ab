"""`HH:MM` and `MM-DD HH:MM` typed at the desk: today's (this year's), or the day before's
(year before's) when today's is ahead of now and the day before's falls within the shift on duty.
`23:55` typed at 00:05 on a night shift is five minutes ago; `02:44` typed at 02:41 is never
saved a day early (found by QA: it was, before the shift was asked)."""

from __future__ import annotations

import pendulum
import pytest

from dutydesk.errors import DutyError
from dutydesk.services.core.timeparse import parse_time

ZONE = "Asia/Shanghai"


def _at(iso: str) -> pendulum.DateTime:
    return pendulum.parse(iso)  # type: ignore[return-value]


NIGHT = "2026-12-01T18:00:00+08:00"  # a night shift that began at 18:00


@pytest.mark.parametrize(
    ("now", "typed", "back_to", "expected"),
    [
        ("2026-12-02T00:05:00+08:00", "23:55", NIGHT, "2026-12-01T23:55:00+08:00"),
        ("2026-12-02T00:05:00+08:00", "00:04", NIGHT, "2026-12-02T00:04:00+08:00"),
        ("2026-12-02T00:05:00+08:00", "00:06", NIGHT, "2026-12-02T00:06:00+08:00"),  # a minute
        ("2026-12-02T07:00:00+08:00", "18:30", NIGHT, "2026-12-01T18:30:00+08:00"),
        ("2026-12-02T07:00:00+08:00", "17:30", NIGHT, "2026-12-02T17:30:00+08:00"),  # not in it
        ("2026-12-02T02:41:00+08:00", "02:44", NIGHT, "2026-12-02T02:44:00+08:00"),  # QA's case
        ("2026-12-02T00:05:00+08:00", "23:55", None, "2026-12-02T23:55:00+08:00"),  # no shift
        ("2027-01-01T00:05:00+08:00", "12-31 23:50", "2026-12-31T18:00:00+08:00",
         "2026-12-31T23:50:00+08:00"),
        ("2027-01-01T00:05:00+08:00", "12-30 23:50", "2026-12-31T18:00:00+08:00",
         "2027-12-30T23:50:00+08:00"),
        ("2026-12-02T00:05:00+08:00", "2026-12-02 23:55", NIGHT, "2026-12-02T23:55:00+08:00"),
    ],
)  # fmt: skip
def test_a_short_time_goes_back_a_day_only_within_the_shift(now, typed, back_to, expected):
    since = _at(back_to) if back_to else None
    assert parse_time(typed, ZONE, now=_at(now), back_to=since) == _at(expected)


def test_an_impossible_day_is_still_refused():
    with pytest.raises(DutyError):
        parse_time("02-30 10:00", ZONE, now=_at("2027-03-01T09:00:00+08:00"))
    with pytest.raises(DutyError):
        parse_time("02-29 10:00", ZONE, now=_at("2027-03-01T09:00:00+08:00"), back_to=_at(NIGHT))


def test_a_call_typed_at_2355_just_after_midnight_is_saved_in_the_shift(cli_desk):
    """Through the command line, as an officer logs it: the shift on duty (opened 11-23 10:00,
    on duty until its handover) decides; four minutes ahead stays today's and is refused."""
    import json

    cli_desk.at("2026-11-24T00:05:00+08:00")
    saved = cli_desk("calls", "add", "--caller", "李红", "--unit", "柳林镇", "--phone", "13800000000", "--summary", "积水",
                     "--received-at", "23:55", "--json")  # fmt: skip
    assert saved.exit_code == 0, saved.output
    assert json.loads(saved.output)["received_at"].startswith("2026-11-23T23:55")
    ahead = cli_desk("calls", "add", "--caller", "李红", "--unit", "柳林镇", "--phone", "13800000000", "--summary", "积水",
                     "--received-at", "00:09")  # fmt: skip
    assert ahead.exit_code != 0 and "不能晚于现在" in ahead.output
