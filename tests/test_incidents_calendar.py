"""Working days on the official calendar: 2026 Spring Festival and National Day with their
swapped weekends (调休), the overrides file for notices the library lacks, and a clear refusal
of any date beyond all known data."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from dutydesk.errors import DutyError
from dutydesk.services.core import calendar
from dutydesk.services.core.calendar import OfficeCalendar, Overrides, load_overrides


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_national_day_2026_is_off_from_the_1st_to_the_7th_and_the_8th_is_worked():
    for day in days(date(2026, 10, 1), date(2026, 10, 7)):
        assert not calendar.is_workday(day), day
        assert calendar.holiday_name(day) == "national_day", day
    assert calendar.is_workday(date(2026, 10, 8))
    assert calendar.day_info(date(2026, 10, 8)).reason == "weekday"


@pytest.mark.parametrize("day", [date(2026, 9, 20), date(2026, 10, 10)])
def test_the_weekends_swapped_for_national_day_are_working_days(day):
    info = calendar.day_info(day)
    assert day.weekday() >= 5
    assert (info.workday, info.reason, info.holiday) == (True, "swapped_workday", "national_day")
    assert calendar.holiday_name(day) is None, "a swapped working day is not a holiday"


def test_spring_festival_2026_and_its_swapped_saturdays():
    assert [calendar.is_workday(d) for d in days(date(2026, 2, 15), date(2026, 2, 23))] == [
        False
    ] * 9
    assert calendar.is_workday(date(2026, 2, 14)) and calendar.is_workday(date(2026, 2, 28))
    assert calendar.day_info(date(2026, 2, 21)).reason == "holiday"  # a Saturday in the run
    assert calendar.day_info(date(2026, 3, 7)).reason == "weekend"


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # over National Day
        (date(2026, 10, 8), -1, date(2026, 9, 30)),
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # Saturday 10-10 is worked
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Sunday 09-20 is worked
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Saturday 02-14 is worked
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # then nine days off
        (date(2026, 2, 24), -3, date(2026, 2, 12)),
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # an ordinary weekend
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_add_working_days(start, n, expected):
    assert calendar.add_working_days(start, n) == expected


def test_three_working_days_before_a_roster_period():
    """提前3个工作日: the 3rd working day before 10-09 is 09-29 (the holiday does not count)."""
    assert calendar.working_days_before(date(2026, 10, 9), 3) == date(2026, 9, 29)
    assert calendar.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)


def _beyond() -> date:
    first, last = calendar.default_calendar().library_years
    year = last + 1
    while f"{year}" in calendar.default_calendar().known_years():
        year += 1
    return date(year, 1, 4)


def test_a_date_beyond_all_known_data_is_refused_never_an_ordinary_week():
    beyond = _beyond()
    for call in (calendar.is_workday, calendar.holiday_name, calendar.day_info):
        with pytest.raises(DutyError) as refused:
            call(beyond)
        assert refused.value.key == "calendar.beyond_data"
        assert beyond.isoformat() in refused.value.message()
        assert "dutydesk calendar import" in refused.value.message()
    with pytest.raises(DutyError):
        calendar.is_workday(date(2003, 12, 31))


def test_counting_into_unknown_data_is_refused():
    last_known = date(_beyond().year - 1, 12, 28)
    with pytest.raises(DutyError) as refused:
        calendar.add_working_days(last_known, 10)
    assert refused.value.key == "calendar.beyond_data"


def test_2027_is_refused_until_its_notice_is_entered():
    """The State Council's 2027 arrangement is not in the overrides file (not confirmed when it
    was written): enter it there, and change this test."""
    with pytest.raises(DutyError):
        calendar.is_workday(date(2027, 1, 4))


def test_the_shipped_overrides_file_loads():
    overrides = load_overrides(calendar.overrides_path())
    assert all(entry.notice for entry in overrides.years)


FAKE_YEAR = """
[[years]]
year = 2031
notice = "test notice, not an official arrangement"

[[years.holidays]]
code = "national_day"
first = 2031-10-01
last = 2031-10-07

[[years.workdays]]
date = 2031-09-28
code = "national_day"
"""


def test_an_override_year_is_known_with_its_holidays_and_swapped_days():
    cal = OfficeCalendar(Overrides.model_validate(tomllib.loads(FAKE_YEAR)))
    assert not cal.is_workday(date(2031, 10, 1)) and cal.holiday_name(date(2031, 10, 4))
    info = cal.day(date(2031, 9, 28))  # a Sunday
    assert (info.workday, info.reason, info.source) == (
        True,
        "swapped_workday",
        "test notice, not an official arrangement",
    )
    assert cal.is_workday(date(2031, 10, 8)) and not cal.is_workday(date(2031, 10, 11))
    assert cal.add_working_days(date(2031, 9, 30), 1) == date(2031, 10, 8)
    assert "2031" in cal.known_years()
    with pytest.raises(DutyError):
        cal.is_workday(date(2030, 6, 3))  # the years between stay unknown


@pytest.mark.parametrize(
    "text",
    [
        FAKE_YEAR.replace("last = 2031-10-07", "last = 2032-01-07"),
        FAKE_YEAR.replace('code = "national_day"', 'code = "arbor_day"', 1),
        FAKE_YEAR + FAKE_YEAR,
        "years = 3",
        "[[years]\n",
    ],
)
def test_a_broken_overrides_file_is_refused_with_its_name(tmp_path: Path, text):
    path = tmp_path / "overrides.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DutyError) as refused:
        load_overrides(path)
    assert refused.value.key == "calendar.invalid" and str(path) in refused.value.message()


def test_a_day_both_off_and_worked_is_refused():
    both = FAKE_YEAR.replace("date = 2031-09-28", "date = 2031-10-02")
    with pytest.raises(DutyError) as refused:
        OfficeCalendar(Overrides.model_validate(tomllib.loads(both)))
    assert refused.value.key == "calendar.invalid"
