"""The official calendar as text, the same for `dutydesk calendar` and the app's calendar view:
a year's month grid (Monday first, holidays and swapped working days marked, with a legend) and
the table of what a notice sets. Plain text, aligned by terminal cells (Chinese takes two)."""

from __future__ import annotations

import calendar as stdlib_calendar
import unicodedata
from datetime import date
from typing import TYPE_CHECKING

from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.core.calendar import NEW_YEARS_DAY_SOURCE, OfficeCalendar, default_calendar
from dutydesk.services.core.calendar_notice import ParsedNotice

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core.desk import Desk

MONTHS_ACROSS = 3
CELL = 5  # "29休 ": day, mark, gap
GAP = "   "


def cell_len(text: str) -> int:
    """Terminal cells of `text`: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def _mark(calendar: OfficeCalendar, day: date) -> str:
    info = calendar.day(day)
    if info.reason == "holiday":
        return t("calendar_view.mark_holiday")
    if info.reason == "swapped_workday":
        return t("calendar_view.mark_workday")
    return ""


def _month_lines(calendar: OfficeCalendar, year: int, month: int) -> list[str]:
    title = t("calendar_view.month_title", year=year, month=t(f"calendar_view.month_{month}"))
    header = "".join(_pad(t(f"calendar_view.weekday_{n}"), CELL) for n in range(1, 8))
    lines = [_pad(title, CELL * 7), header]
    for week in stdlib_calendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
        cells = []
        for number in week:
            if number == 0:
                cells.append(" " * CELL)
            else:
                mark = _mark(calendar, date(year, month, number))
                cells.append(_pad(f"{number:>2}{mark}", CELL))
        lines.append("".join(cells))
    while len(lines) < 8:  # six weeks at most: rows of months line up
        lines.append(" " * (CELL * 7))
    return lines


def year_grid(calendar: OfficeCalendar, year: int) -> list[str]:
    """Twelve months, three across, then the legend. Refused for a year the calendar lacks."""
    if not calendar.knows_year(year):
        raise DutyError("calendar.beyond_data", date=str(year), known=calendar.known_years())
    lines: list[str] = []
    for first in range(1, 13, MONTHS_ACROSS):
        months = [_month_lines(calendar, year, m) for m in range(first, first + MONTHS_ACROSS)]
        for row in zip(*months, strict=True):
            lines.append(GAP.join(row).rstrip())
        lines.append("")
    lines.append(t("calendar_view.legend"))
    return lines


def _weekday(day: date) -> str:
    return t(f"calendar_weekday.{day.isoweekday()}")


def notice_table(notice: ParsedNotice) -> list[str]:
    """What a notice sets, as read: each holiday's days off, then the swapped working days."""
    rows = [
        (t("calendar_view.col_holiday"), t("calendar_view.col_days"), t("calendar_view.col_dates"))
    ]
    for holiday in notice.holidays:
        first, last = holiday.days_off[0], holiday.days_off[-1]
        dates = (
            _span(first, last)
            if len(holiday.days_off) == (last - first).days + 1
            else "、".join(d.isoformat() for d in holiday.days_off)
        )
        rows.append((holiday.names, str(len(holiday.days_off)), dates))
    widths = [max(cell_len(row[i]) for row in rows) + 2 for i in range(2)]
    lines = [t("calendar_view.days_off_title", year=notice.year)]
    lines += ["  " + _pad(a, widths[0]) + _pad(b, widths[1]) + c for a, b, c in rows]
    lines.append(t("calendar_view.workdays_title"))
    if not notice.workdays:
        lines.append("  " + t("calendar_view.no_workdays"))
    for day, code in sorted(notice.workdays):
        name = t(f"calendar_holiday.{code}")
        lines.append("  " + t("calendar_view.workday_line", date=day.isoformat(),
                                weekday=_weekday(day), holiday=name))  # fmt: skip
    return lines


def _span(first: date, last: date) -> str:
    if first == last:
        return t("calendar_view.one_day", date=first.isoformat(), weekday=_weekday(first))
    return t("calendar_view.span", first=first.isoformat(), first_weekday=_weekday(first),
             last=last.isoformat(), last_weekday=_weekday(last))  # fmt: skip


def differences(notice: ParsedNotice, calendar: OfficeCalendar) -> list[date] | None:
    """The days of the notice's year on which `calendar` (the package's data) says otherwise
    (day off or working day), or None if it has no data for the year."""
    if not calendar.knows_year(notice.year):
        return None
    off = notice.days_off()
    worked = dict(notice.workdays)
    differing = []
    day = date(notice.year, 1, 1)
    while day.year == notice.year:
        expected = day in worked or (day not in off and day.weekday() < 5)
        if calendar.is_workday(day) != expected:
            differing.append(day)
        day = day.fromordinal(day.toordinal() + 1)
    return differing


def when(desk: Desk, value: DateTime) -> str:
    return value.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm")


def year_view(desk: Desk, year: int) -> list[str]:
    """What `calendar show YEAR` prints and the app's calendar view shows: the source of the
    year's data, its month grid and legend, and the register's records of the year."""
    from dutydesk.services.core.calendar_register import year_records

    office_calendar = default_calendar()
    grid = year_grid(office_calendar, year)
    records = year_records(desk, year)
    if records:
        row = records[-1].row
        source = t("calendar_cli.source_register", title=row.notice_title, id=row.id,
                   who=records[-1].entered_by, when=when(desk, row.entered_at))  # fmt: skip
    else:
        known = office_calendar.day(date(year, 1, 2)).source
        source = t("calendar_cli.source_package", source=known)
    lines = [source, *_days_from_other_notices(office_calendar, year), "", *grid]
    if records:
        lines += ["", t("calendar_cli.history_title", year=year)]
    for record in records:
        state = "history_superseded" if record.superseded else "history_in_force"
        lines.append(t("calendar_cli.history_line", id=record.row.id, who=record.entered_by,
                       when=when(desk, record.row.entered_at), title=record.row.notice_title,
                       state=t(f"calendar_cli.{state}")))  # fmt: skip
    return lines


def _days_from_other_notices(office_calendar: OfficeCalendar, year: int) -> list[str]:
    """A line per notice of another year that sets days of this one (a New Year run across
    1 January), so the header does not claim the whole year for one source."""
    try:
        main = office_calendar.day(date(year, 6, 1)).source  # far from any other year's notice
    except DutyError:
        return []
    edges = [*(date(year, 1, d) for d in range(1, 6)), *(date(year, 12, d) for d in range(27, 32))]
    by_source: dict[str, list[str]] = {}
    for day in edges:
        try:
            source = office_calendar.day(day).source
        except DutyError:
            continue
        if source not in (main, NEW_YEARS_DAY_SOURCE):
            by_source.setdefault(source, []).append(day.isoformat())
    return [t("calendar_cli.source_other_notice", days="、".join(days), title=title)
            for title, days in by_source.items()]  # fmt: skip
