"""The State Council's holiday notice read into the official calendar (issue 14, item 1), and
1 January a holiday every year (item 2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pendulum
import pytest

from dutydesk.errors import DutyError
from dutydesk.services.core import calendar
from dutydesk.services.core.calendar import OfficeCalendar, RegisterYear, use_register_years
from dutydesk.services.core.calendar_notice import parse_notice

FIXTURES = Path(__file__).parent / "fixtures" / "calendar"


@pytest.fixture(autouse=True)
def _package_calendar_after() -> Iterator[None]:
    yield
    use_register_years(())


def notice_text(year: int) -> str:
    return (FIXTURES / f"notice-{year}.txt").read_text(encoding="utf-8")


def as_register(text: str) -> RegisterYear:
    notice = parse_notice(text)
    return RegisterYear(notice.year, notice.title, notice.days_off(), dict(notice.workdays))


def every_day(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("year", [2017, 2026])
def test_the_imported_notice_equals_chinese_calendar_day_by_day(year):
    imported = OfficeCalendar(register=(as_register(notice_text(year)),))
    compared = 0
    for day in every_day(year):
        info = imported.day(day)
        library_holiday, library_name = chinese_calendar.get_holiday_detail(day)
        assert info.workday == chinese_calendar.is_workday(day), day
        assert (info.reason == "holiday") == (library_name is not None and library_holiday), day
        assert info.source.startswith(f"国务院办公厅关于{year}年"), (
            day
        )  # the notice, not the library
        compared += 1
    assert compared == (365 if year % 4 else 366)


def test_the_2026_spring_festival_line_of_the_issue():
    notice = parse_notice(notice_text(2026))
    spring = next(h for h in notice.holidays if h.code == "spring_festival")
    assert spring.days_off[0] == date(2026, 2, 15) and spring.days_off[-1] == date(2026, 2, 23)
    assert len(spring.days_off) == 9
    swapped = [day for day, code in notice.workdays if code == "spring_festival"]
    assert swapped == [date(2026, 2, 14), date(2026, 2, 28)]
    assert notice.year == 2026 and notice.title == "国务院办公厅关于2026年部分节假日安排的通知"


def test_the_older_phrasings_makeup_day_and_joined_weekend():
    notice = parse_notice(notice_text(2017))
    off = notice.days_off()
    assert off[date(2017, 1, 2)] == "new_years_day"  # 1月2日（星期一）补休
    assert off[date(2017, 5, 1)] == "labour_day"  # 与周末连休: the weekend stays a weekend
    assert date(2017, 4, 29) not in off and date(2017, 4, 30) not in off
    assert "国办发明电〔2016〕17号" in notice.title
    autumn = next(h for h in notice.holidays if h.names == "中秋节、国庆节")
    assert autumn.codes == ("mid_autumn_festival", "national_day") and len(autumn.days_off) == 8


NOTICE_2012 = """国务院办公厅关于2012年部分节假日安排的通知

经国务院批准，现将2012年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。

一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。

二、春节：1月22日至28日放假调休，共7天。1月21日（星期六）、1月29日（星期日）上班。

三、清明节：4月2日至4日放假调休，共3天。3月31日（星期六）、4月1日（星期日）上班。

四、劳动节：4月29日至5月1日放假调休，共3天。4月28日（星期六）上班。

五、端午节：6月22日至24日放假公休，共3天。

六、中秋节、国庆节：9月30日至10月7日放假调休，共8天。9月29日（星期六）上班。
"""


def test_a_range_across_months_and_a_date_of_the_previous_year():
    """Two items of the 2012 notice: "9月30日至10月7日" and "2011年12月31日（星期六）上班"."""
    imported = OfficeCalendar(register=(as_register(NOTICE_2012),))
    for day in [date(2011, 12, 31), *(date(2012, 9, 29) + timedelta(n) for n in range(10))]:
        assert imported.is_workday(day) == chinese_calendar.is_workday(day), day
    assert imported.day(date(2011, 12, 31)).reason == "swapped_workday"
    assert imported.holiday_name(date(2012, 10, 7)) == "national_day"
    assert [imported.is_workday(date(2012, 1, d)) for d in (1, 2, 3, 4)] == [False] * 3 + [True]


def _broken(old: str, new: str) -> str:
    text = notice_text(2026)
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        (_broken("共9天", "共8天"), 9, "共8天，实计9天"),  # the count does not add up
        (_broken("1月4日（周日）上班", "1月4日（周一）上班"), 7, "星期不符"),
        (_broken("5月9日（周六）上班", "5月9日（周六）补班"), 13, "无法识别"),
        (_broken("5月9日（周六）上班", "5月8日（周五）上班"), 13, "不是周末"),
        (_broken("六、中秋节", "六、重阳节"), 17, "未知节日"),
        (_broken("2月28日（周六）上班", "2月30日（周六）上班"), 9, "日期不存在"),
        (_broken("鼓励单位", "另：12月31日下午放假。鼓励单位"), 21, "不在编号条目中"),
        (_broken("9月25日（周五）至27日", "9月25日（周五）到27日"), 17, "无法识别"),
    ],
)
def test_a_notice_it_cannot_read_for_certain_is_refused_naming_the_line(text, line, why):
    with pytest.raises(DutyError) as refused:
        parse_notice(text)
    assert refused.value.key == "calendar_notice.bad_line"
    message = refused.value.message()
    assert f"第 {line} 行" in message and why in message, message


def test_a_notice_without_its_title_or_items_is_refused():
    with pytest.raises(DutyError) as refused:
        parse_notice(
            notice_text(2026).replace("国务院办公厅关于2026年部分节假日安排的通知", "通知")
        )
    assert refused.value.key == "calendar_notice.no_title"
    with pytest.raises(DutyError) as refused:
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n\n国务院办公厅\n")
    assert refused.value.key == "calendar_notice.no_items"


def test_an_item_left_out_of_what_the_opening_announces_is_refused():
    text = notice_text(2026).replace(
        "劳动节、端午节", "劳动节"
    )  # the opening omits it, an item sets it
    assert text != notice_text(2026)
    with pytest.raises(DutyError) as refused:
        parse_notice(text)
    assert refused.value.key == "calendar_notice.items_differ"
    assert "端午节" in refused.value.message()
    assert "dragon_boat_festival" not in refused.value.message()


@pytest.mark.parametrize(
    ("removed", "names"),
    [
        (["五、端午节：6月19日（周五）至21日（周日）放假，共3天。"], "端午节"),
        (["一、元旦：", "二、春节："], "元旦、春节"),
    ],
)
def test_a_notice_without_all_seven_holidays_is_refused_naming_them(removed, names):
    """QA 7: every notice sets all seven, with or without its opening paragraph."""
    lines = [
        line for line in notice_text(2026).splitlines()
        if "现将" not in line and not any(line.startswith(r) for r in removed)
    ]  # fmt: skip
    with pytest.raises(DutyError) as refused:
        parse_notice("\n".join(lines))
    assert refused.value.key == "calendar_notice.missing_holidays"
    message = refused.value.message()
    assert f"缺少{names}的安排" in message and "_" not in message.split("（")[0], message
    only_new_year = (
        "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）放假，共1天。\n"
    )
    with pytest.raises(DutyError) as refused:
        parse_notice(only_new_year)
    assert "春节、清明节、劳动节、端午节、中秋节、国庆节" in refused.value.message()


def test_a_day_both_off_and_worked_is_refused():
    text = _broken("5月9日（周六）上班", "5月2日（周六）上班")
    with pytest.raises(DutyError) as refused:
        parse_notice(text)
    assert (
        refused.value.key == "calendar_notice.overlap" and "2026-05-02" in refused.value.message()
    )


def test_the_registers_year_wins_over_the_package():
    """A notice for 2026 that gives 元旦 one day only: 01-02 is then a working day and 01-04 an
    ordinary Sunday, though chinese-calendar says otherwise."""
    one_day = notice_text(2026).replace(
        "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。",
        "一、元旦：1月1日（周四）放假，共1天。",
    )
    assert not calendar.is_workday(date(2026, 1, 2))  # the package: a holiday
    use_register_years((as_register(one_day),))
    assert calendar.is_workday(date(2026, 1, 2))
    assert not calendar.is_workday(date(2026, 1, 4))
    assert calendar.day_info(date(2026, 1, 2)).source.startswith("国务院办公厅关于2026年")
    assert calendar.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)
    use_register_years(())
    assert not calendar.is_workday(date(2026, 1, 2))


def test_new_years_day_is_a_holiday_every_year_notice_or_not():
    package = calendar.package_calendar()
    for year in (2027, 2030, 2099):
        info = package.day(date(year, 1, 1))
        assert not info.workday and info.holiday == "new_years_day", year
        with pytest.raises(DutyError):  # the rest of the year stays unknown
            package.day(date(year, 1, 2))
    assert calendar.holiday_name(date(2027, 1, 1)) == "new_years_day"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 30), None),  # 31 days of data left
        (date(2026, 12, 1), (date(2026, 12, 31), 30)),
        (date(2026, 12, 31), (date(2026, 12, 31), 0)),
        (date(2027, 1, 5), (date(2026, 12, 31), -5)),
    ],
)
def test_the_data_is_said_to_end_30_days_ahead(today, expected):
    assert calendar.data_ends_soon(today) == expected


def test_a_year_imported_moves_the_end_of_the_data():
    made_up = RegisterYear(2027, "2027", {date(2027, 1, 1): "new_years_day"}, {})
    use_register_years((made_up,))  # made up for the test: 2027's is not out yet
    assert calendar.data_ends_soon(date(2026, 12, 1)) is None
    assert calendar.data_ends_soon(date(2027, 12, 10)) == (date(2027, 12, 31), 21)


NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日至12日放假调休，共7天。
三、清明节：4月3日至5日放假，共3天。
四、劳动节：5月1日至5日放假调休，共5天。
五、端午节：6月9日至11日放假，共3天。
六、中秋节、国庆节：9月15日至17日放假；10月1日至7日放假调休，共10天。
"""  # made up for the tests, with the right weekdays: 2027's notice is not out yet


def test_the_made_up_2027_notice_is_read():
    notice = parse_notice(NOTICE_2027)
    assert notice.year == 2027 and len(notice.days_off()) == 31


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [  # QA 5: the run from 2026-12-07, a past 11-28, a day of 2024 in a 2023 notice
        ("1月1日（周五）至3日（周日）放假，共3天。",
         "2026年12月7日（周一）至2027年1月1日（周五）放假调休，共26天。", 2),
        ("共3天。\n二", "共3天。2026年11月28日（周六）上班。\n二", 2),
        ("4月3日至5日放假，共3天。", "4月3日至5日放假。2028年1月1日放假。", 4),
        ("2月6日至12日放假调休，共7天。", "2月6日至12日放假调休。2026年12月31日放假。", 3),
    ],
)  # fmt: skip
def test_a_day_outside_the_year_beyond_the_new_year_run_is_refused_naming_the_line(old, new, line):
    assert old in NOTICE_2027
    with pytest.raises(DutyError) as refused:
        parse_notice(NOTICE_2027.replace(old, new, 1))
    assert refused.value.key == "calendar_notice.bad_line"
    assert f"第 {line} 行" in refused.value.message() and "不在2027年内" in refused.value.message()


def test_a_new_year_run_may_cross_into_the_days_around_1_january():
    crossing = NOTICE_2027.replace(
        "1月1日（周五）至3日（周日）放假，共3天。",
        "2026年12月31日（周四）至2027年1月3日（周日）放假调休，共4天。",
    )
    assert parse_notice(crossing).days_off()[date(2026, 12, 31)] == "new_years_day"


def test_a_notice_cannot_make_1_january_a_working_day():
    """2028-01-01 is a Saturday: "1月1日（周六）上班" would otherwise be a plain swapped day."""
    worked = NOTICE_2027.replace("2027年", "2028年").replace(
        "一、元旦：1月1日（周五）至3日（周日）放假，共3天。",
        "一、元旦：1月2日至3日放假，共2天。1月1日（周六）上班。",
    )
    with pytest.raises(DutyError) as refused:
        parse_notice(worked)
    assert "第 2 行" in refused.value.message() and "1月1日元旦不能上班" in refused.value.message()


def test_1_january_is_a_holiday_even_when_a_stored_year_leaves_it_out():
    """QA 6: a year stored without 元旦 (as a notice lacking it was, before it was refused):
    1 January still off, and New Year's Eve's night the holiday night."""
    from dutydesk.profiles import load_profile
    from dutydesk.services.roster.shifts import shift_window

    notice = parse_notice(NOTICE_2027)
    days = {d: c for d, c in notice.days_off().items() if c != "new_years_day"}
    no_new_year = RegisterYear(2027, notice.title, days, {})
    imported = OfficeCalendar(register=(no_new_year,))
    info = imported.day(date(2027, 1, 1))
    assert not info.workday and info.holiday == "new_years_day"
    assert imported.is_workday(date(2027, 1, 4))
    use_register_years((no_new_year,))
    eve = pendulum.parse("2026-12-31T20:00:00+08:00")
    assert shift_window(load_profile("tianjin"), eve).code != "night"  # type: ignore[arg-type]


def test_control_characters_are_refused_naming_the_line_and_only_the_notice_is_kept():
    with pytest.raises(DutyError) as refused:
        parse_notice(NOTICE_2027.replace("三、清明节", "\x1b[2J三、清明节"))
    assert "第 4 行" in refused.value.message() and "U+001B" in refused.value.message()
    with pytest.raises(DutyError) as refused:
        parse_notice(NOTICE_2027 + "\u202e附件\n")
    assert "第 8 行" in refused.value.message() and "U+202E" in refused.value.message()
    padded = "网页导航 首页\n" + NOTICE_2027 + "\n国务院办公厅\n2026年11月\n" + "广告" * 1000
    kept = parse_notice(padded).lines
    assert kept[0] == "国务院办公厅关于2027年部分节假日安排的通知" and len(kept) == 7
    assert "广告" not in "\n".join(kept)
