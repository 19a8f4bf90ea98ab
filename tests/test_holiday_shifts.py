"""Tianjin art. 12: the holiday shift (节假日班) starts at 18:00 on the day before a statutory
holiday, with real dates from the office calendar (2026 National Day, 2026 Spring Festival)."""

from __future__ import annotations

from datetime import date

import pendulum
import pytest
from pydantic import ValidationError

from dutydesk.clock import FrozenClock
from dutydesk.profiles import Shifts, load_profile
from dutydesk.services.core.desk import init_database
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.schedule import handover_due, incoming_window, schedule
from dutydesk.services.roster.shifts import open_shift, shift_window
from tests.support_people import authority_for

TIANJIN = load_profile("tianjin")


def _at(text: str):
    return pendulum.parse(text + "+08:00")


def _window(text: str, profile=TIANJIN):
    return shift_window(profile, _at(text))


def _span(window) -> tuple[str, str]:
    return (window.starts_at.format("MM-DD HH:mm"), window.ends_at.format("MM-DD HH:mm"))


def test_the_national_day_eve_night_shift_is_the_holiday_shift():
    eve = _window("2026-09-30T19:00")  # 10-01 is the first day of the National Day holiday
    assert eve.code == "holiday_night" and eve.holiday == "national_day"
    assert _span(eve) == ("09-30 18:00", "10-01 08:30")  # runs into the first holiday morning
    assert eve.cite == "Tianjin art. 12"
    before = _window("2026-09-30T17:59")  # the eve's day shift is still an ordinary one
    assert before.code == "day" and before.holiday is None


@pytest.mark.parametrize(
    ("when", "code", "span"),
    [
        ("2026-10-01T10:00", "holiday_day", ("10-01 08:30", "10-01 18:00")),
        ("2026-10-04T03:00", "holiday_night", ("10-03 18:00", "10-04 08:30")),
        ("2026-10-07T20:00", "holiday_night", ("10-07 18:00", "10-08 08:30")),  # the last night
        ("2026-10-08T09:00", "day", ("10-08 08:30", "10-08 18:00")),  # first working day
    ],
)
def test_through_national_day_the_slots_keep_their_times_as_holiday_shifts(when, code, span):
    window = _window(when)
    assert window.code == code and _span(window) == span
    assert (window.holiday == "national_day") == code.startswith("holiday_")


def test_spring_festival_2026_starts_on_a_swapped_working_saturday():
    # 02-14 is a Saturday made a working day (调休); the holiday runs 02-15 to 02-23.
    assert _window("2026-02-14T10:00").code == "day"
    eve = _window("2026-02-14T18:00")
    assert eve.code == "holiday_night" and eve.holiday == "spring_festival"
    assert _window("2026-02-23T12:00").code == "holiday_day"
    assert _window("2026-02-24T08:29").code == "holiday_night"  # the last night, to 08:30
    assert _window("2026-02-24T08:30").code == "day"


def test_an_ordinary_weekend_is_not_a_holiday():
    # Art. 34: 节假日 are the statutory holidays; 11-28 is an ordinary Saturday.
    assert _window("2026-11-27T19:00").code == "night"
    assert _window("2026-11-28T10:00").code == "day"


def test_profiles_without_the_rule_keep_the_regular_shifts():
    henan = load_profile("henan")
    assert _window("2026-09-30T19:00", henan).code == "night"
    assert _window("2026-10-01T10:00", henan).calendar == "not_needed"


def test_beyond_the_calendar_the_regular_shift_is_given_and_said():
    window = _window("2027-01-02T10:00")  # 2027 is past the calendar's data (1 January aside)
    assert window.code == "day" and window.calendar == "beyond_data"


def test_new_years_eve_from_18_00_is_the_holiday_night_shift_notice_or_not():
    """Tianjin art. 12 on 2026-12-31: 1 January is a holiday every year (全国年节及纪念日放假办法),
    so the eve's night is the holiday shift though no 2027 data is known."""
    eve = _window("2026-12-31T18:00")
    assert eve.code == "holiday_night" and eve.holiday == "new_years_day"
    assert _span(eve) == ("12-31 18:00", "01-01 08:30") and eve.cite == "Tianjin art. 12"
    assert _window("2026-12-31T17:59").code == "day"
    new_years_day = _window("2027-01-01T10:00")
    assert new_years_day.code == "holiday_day" and new_years_day.calendar == "applied"
    assert _window("2031-12-31T18:00").code == "holiday_night"  # a year with no data at all


def test_the_holiday_eve_must_be_a_shift_change():
    base = {"cycle": "daily", "cite": "x", "holiday_eve_cite": "Tianjin art. 12",
            "slots": [{"code": "day", "start": "08:30", "end": "17:30", "cite": "x"},
                      {"code": "night", "start": "17:30", "end": "08:30", "cite": "x"}]}  # fmt: skip
    with pytest.raises(ValidationError, match="start of a daily slot"):
        Shifts.model_validate({**base, "holiday_eve_start": "18:00"})
    assert Shifts.model_validate({**base, "holiday_eve_start": "17:30"}).holiday_eve_start
    with pytest.raises(ValidationError, match="holiday_eve_cite"):
        Shifts.model_validate({**base, "holiday_eve_start": "17:30", "holiday_eve_cite": None})


def test_the_desk_opens_and_hands_over_the_holiday_shift(tmp_path):
    from dutydesk.i18n import t

    clock = FrozenClock(_at("2026-09-30T17:45"))
    desk = init_database(tmp_path / "d.sqlite3", "测试值班室", "tianjin", clock)
    add_person(
        desk, "张伟", "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    day = open_shift(desk, "张伟")
    assert day.slot_code == "day"
    # the day shift handed over at 17:45 on the eve: the incoming officer takes the holiday shift
    window, _start = incoming_window(desk, day, clock.now())
    assert window.code == "holiday_night" and _span(window) == ("09-30 18:00", "10-01 08:30")
    desk.close()  # a shift on duty is not opened again (it lasts until its handover):
    clock.set(_at("2026-09-30T18:10"))  # a desk first opened on the eve
    desk = init_database(tmp_path / "n.sqlite3", "测试值班室", "tianjin", clock)
    add_person(
        desk, "张伟", "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    night = open_shift(desk, "张伟")
    assert night.slot_code == "holiday_night"
    assert handover_due(desk, night).at == _at("2026-10-01T08:30")
    assert schedule(desk).window.code == "holiday_night"
    assert t("shift." + night.slot_code) == "节假日夜班"
    desk.close()


async def test_the_header_says_so_when_the_calendar_cannot_tell_a_holiday_shift(tmp_path):
    """2027 is beyond every calendar source here: Tianjin's holiday shifts cannot be known."""
    from textual.widgets import Static

    from dutydesk.app import make_app

    clock = FrozenClock(pendulum.parse("2027-01-05T10:00:00+08:00"))
    desk = init_database(tmp_path / "d.sqlite3", "测试区总值班室", "tianjin", clock)
    add_person(
        desk, "张伟", "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    open_shift(desk, "张伟")
    assert shift_window(desk.profile, desk.now()).calendar == "beyond_data"
    desk.close()
    app = make_app(tmp_path / "d.sqlite3", clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        label = app.screen.query_one("#header-shift", Static)
        warning = app.screen.query_one("#header-calendar", Static)
        assert label.has_class("warning") and "日历数据未覆盖" in str(warning.render())
