"""The official working-day calendar (工作日): statutory holidays and the weekends swapped into
working days (调休), from the chinese-calendar library plus `data/calendar/overrides.toml` for
State Council notices the library does not know yet, and the notices imported into the register
(`dutydesk calendar import`), which win over both. A date outside all known data is refused
with a DutyError, never treated as an ordinary week; 1 January alone is a holiday every year,
notice or not (全国年节及纪念日放假办法 art. 2: 元旦放假1天).

Used for "N working days ahead" rules (Henan 6(3), 6(6), Tianjin art. 13) and by the handover
schedule (`is_workday`, `holiday_name`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dutydesk.errors import DutyError
from dutydesk.paths import data_dir

HolidayCode = Literal[
    "new_years_day",  # 元旦
    "spring_festival",  # 春节
    "tomb_sweeping_day",  # 清明节
    "labour_day",  # 劳动节
    "dragon_boat_festival",  # 端午节
    "mid_autumn_festival",  # 中秋节
    "national_day",  # 国庆节
    "anti_fascist_70th_day",  # 2015 抗战胜利70周年纪念日
]
NEW_YEARS_DAY_SOURCE = "全国年节及纪念日放假办法 第二条"
MAX_STEPS = 3660
DATA_WARNING_DAYS = 30  # the header and `shift status` warn this long before the data ends  # the longest walk add_working_days takes (about ten years of days)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HolidayRun(_Strict):
    code: HolidayCode
    first: date
    last: date


class SwappedWorkday(_Strict):
    date: date
    code: HolidayCode


class YearOverride(_Strict):
    year: int = Field(ge=2000, le=2100)
    notice: str = Field(min_length=1)
    holidays: list[HolidayRun] = Field(min_length=1)
    workdays: list[SwappedWorkday] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_in_year(self) -> YearOverride:
        for run in self.holidays:
            if run.first > run.last:
                raise ValueError(f"{run.code}: first is after last")
            if run.first.year != self.year or run.last.year != self.year:
                raise ValueError(f"{run.code}: dates outside {self.year}")
        for swapped in self.workdays:
            if swapped.date.year != self.year:
                raise ValueError(f"{swapped.date}: outside {self.year}")
        return self


class Overrides(_Strict):
    years: list[YearOverride] = Field(default_factory=list)


@dataclass(frozen=True)
class DayInfo:
    day: date
    workday: bool
    reason: str  # weekday | weekend | holiday | swapped_workday
    holiday: str | None  # HolidayCode for a holiday or a swapped working day
    source: str  # "chinese-calendar 1.11.0" or the notice entered in the overrides file


@dataclass(frozen=True)
class RegisterYear:
    """A year from a notice imported into the register: it replaces that whole year. Days of an
    adjacent year it names ("2016年12月31日") are applied to that year's data as single days."""

    year: int
    notice: str
    days_off: dict[date, str]  # date -> HolidayCode
    workdays: dict[date, str]  # swapped working days (调休上班) -> HolidayCode


def overrides_path() -> Path:
    return data_dir() / "calendar" / "overrides.toml"


def load_overrides(path: Path) -> Overrides:
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise DutyError(
            "calendar.unreadable", file=str(path), reason=exc.strerror or str(exc)
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DutyError("calendar.invalid", file=str(path), reason=str(exc)) from exc
    try:
        overrides = Overrides.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "-"
        raise DutyError(
            "calendar.invalid", file=str(path), reason=f"{where}: {first['msg']}"
        ) from exc
    years = [entry.year for entry in overrides.years]
    if len(set(years)) != len(years):
        raise DutyError("calendar.invalid", file=str(path), reason="a year is entered twice")
    return overrides


class OfficeCalendar:
    """Working days from the library, with whole years replaced by the overrides."""

    def __init__(
        self, overrides: Overrides | None = None, register: tuple[RegisterYear, ...] = ()
    ) -> None:
        import chinese_calendar

        self._lib = chinese_calendar
        self._codes = {holiday.value: holiday.name for holiday in chinese_calendar.Holiday}
        lib_years = {d.year for d in chinese_calendar.holidays} | {
            d.year for d in chinese_calendar.workdays
        }
        self.library_years = (min(lib_years), max(lib_years))
        self.library_source = f"chinese-calendar {version('chinese_calendar')}"
        self._years: dict[int, tuple[dict[date, str], dict[date, str], str]] = {}
        for entry in (overrides or Overrides()).years:
            off: dict[date, str] = {}
            for run in entry.holidays:
                day = run.first
                while day <= run.last:
                    off[day] = run.code
                    day += timedelta(days=1)
            on: dict[date, str] = {swapped.date: swapped.code for swapped in entry.workdays}
            both = sorted(set(off) & set(on))
            if both:
                raise DutyError(
                    "calendar.invalid",
                    file=str(overrides_path()),
                    reason=f"{both[0]} is both a holiday and a working day",
                )
            self._years[entry.year] = (off, on, entry.notice)
        # Single days an imported notice names in an adjacent year: (workday, code, notice).
        self._single_days: dict[date, tuple[bool, str, str]] = {}
        for imported in register:
            inside = {d: c for d, c in imported.days_off.items() if d.year == imported.year}
            worked = {d: c for d, c in imported.workdays.items() if d.year == imported.year}
            self._years[imported.year] = (inside, worked, imported.notice)
            for day, code in imported.days_off.items():
                if day.year != imported.year:
                    self._single_days[day] = (False, code, imported.notice)
            for day, code in imported.workdays.items():
                if day.year != imported.year:
                    self._single_days[day] = (True, code, imported.notice)

    def known_years(self) -> str:
        """The years the calendar knows, as shown in messages: "2004–2026" or "2004–2027"."""
        first, last = self.library_years
        extra = sorted(year for year in self._years if not first <= year <= last)
        while extra and extra[0] == last + 1:
            last = extra.pop(0)
        parts = [f"{first}–{last}", *(str(year) for year in extra)]
        return ", ".join(parts)

    def last_known_day(self, since: date) -> date:
        """The last day of the unbroken run of known years from `since`'s year."""
        year = since.year
        while self.knows_year(year + 1):
            year += 1
        return date(year, 12, 31)

    def knows_year(self, year: int) -> bool:
        first, last = self.library_years
        return year in self._years or first <= year <= last

    def day(self, day: date) -> DayInfo:
        if (day.month, day.day) != (1, 1):
            return self._from_data(day)
        # 元旦 is a holiday every year, whatever a notice says or leaves out (art. 2)
        try:
            info = self._from_data(day)
        except DutyError:  # beyond the data: still a holiday
            info = None
        if info is not None and info.reason == "holiday" and info.holiday == "new_years_day":
            return info
        return DayInfo(day, False, "holiday", "new_years_day", NEW_YEARS_DAY_SOURCE)

    def _from_data(self, day: date) -> DayInfo:
        weekend = day.weekday() >= 5
        if day in self._single_days:
            worked, named, notice = self._single_days[day]
            return DayInfo(day, worked, "swapped_workday" if worked else "holiday", named, notice)
        if day.year in self._years:
            off, on, notice = self._years[day.year]
            if day in off:
                return DayInfo(day, False, "holiday", off[day], notice)
            if day in on:
                return DayInfo(day, True, "swapped_workday", on[day], notice)
            return DayInfo(day, not weekend, "weekend" if weekend else "weekday", None, notice)
        first, last = self.library_years
        if not first <= day.year <= last:
            raise DutyError("calendar.beyond_data", date=day.isoformat(), known=self.known_years())
        try:
            holiday, name = self._lib.get_holiday_detail(day)
        except NotImplementedError as exc:  # the library's own range check
            raise DutyError(
                "calendar.beyond_data", date=day.isoformat(), known=self.known_years()
            ) from exc
        code = self._codes.get(name) if name else None
        source = self.library_source
        if holiday:
            if code is not None:
                return DayInfo(day, False, "holiday", code, source)
            return DayInfo(day, False, "weekend", None, source)
        if weekend:
            return DayInfo(day, True, "swapped_workday", code, source)
        return DayInfo(day, True, "weekday", None, source)

    def is_workday(self, day: date) -> bool:
        return self.day(day).workday

    def holiday_name(self, day: date) -> str | None:
        """The statutory holiday `day` is a day off for (a HolidayCode), or None."""
        info = self.day(day)
        return info.holiday if info.reason == "holiday" else None

    def add_working_days(self, day: date, n: int) -> date:
        """The date `n` working days after `day` (n < 0: before); `day` itself is not counted,
        so n = 1 from a Friday before an ordinary weekend is the Monday. n = 0 returns `day`."""
        if abs(n) > MAX_STEPS:
            raise DutyError("calendar.too_far", n=n, limit=MAX_STEPS)
        self.day(day)  # the start must be known too: refused beyond the data
        step = timedelta(days=1 if n > 0 else -1)
        left = abs(n)
        current = day
        while left:
            current += step
            if self.is_workday(current):
                left -= 1
        return current


@cache
def package_calendar() -> OfficeCalendar:
    """The package's data alone: the library and the overrides file."""
    return OfficeCalendar(load_overrides(overrides_path()))


# The register's years, once a register is opened: one register per process (a CLI command,
# the app), so the calendar it imported is the one every service in the process counts with.
_register_calendar: OfficeCalendar | None = None


def use_register_years(years: tuple[RegisterYear, ...]) -> None:
    """Count with the package's data and these years (they win); () goes back to the package."""
    global _register_calendar
    _register_calendar = OfficeCalendar(load_overrides(overrides_path()), years) if years else None


def default_calendar() -> OfficeCalendar:
    return _register_calendar or package_calendar()


def data_ends_soon(today: date) -> tuple[date, int] | None:
    """(the last day the calendar knows, days left until it) when coming dates within
    DATA_WARNING_DAYS are past the data; None when the data reaches far enough."""
    calendar = default_calendar()
    if not calendar.knows_year(today.year):  # today itself is past the data
        last = date(today.year - 1, 12, 31)
        return last, (last - today).days
    last = calendar.last_known_day(today)
    left = (last - today).days
    return (last, left) if left <= DATA_WARNING_DAYS else None


def day_info(day: date) -> DayInfo:
    return default_calendar().day(day)


def is_workday(day: date) -> bool:
    return default_calendar().is_workday(day)


def holiday_name(day: date) -> str | None:
    return default_calendar().holiday_name(day)


def add_working_days(day: date, n: int) -> date:
    return default_calendar().add_working_days(day, n)


def working_days_before(day: date, n: int) -> date:
    """The nth working day before `day` ("提前N个工作日": filed by that date)."""
    return default_calendar().add_working_days(day, -n)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    return default_calendar().add_working_days(day, 1)
