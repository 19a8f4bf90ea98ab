"""Reading the State Council's holiday notice as published (国务院办公厅关于YYYY年部分节假日安排的
通知) into the days off and the swapped working days (调休上班) of its year.

Each numbered item ("二、春节：…") is read clause by clause; every clause must be one this module
knows, or the notice is refused naming the line. Nothing is guessed: the weekday given in
brackets must be the date's weekday, "共N天" must equal the days counted, a swapped working day
must be a Saturday or Sunday, no day may be both off and worked, and the holidays the opening
paragraph lists must be the ones the items set.

Phrasings read: "1月27日至2月2日放假调休，共7天", "2月15日（农历腊月二十八、周日）至23日（…）放假调休",
"4月4日（周六）至6日（周一）放假", "1月1日放假，1月2日（星期一）补休", "5月1日放假，与周末连休"
(the weekend stays an ordinary weekend: the holiday itself is the one day), "2月14日（周六）、
2月28日（周六）上班", and dates with their own year ("2016年12月31日")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from dutydesk.errors import DutyError
from dutydesk.services.core.validation import _char_problem, codepoint

HOLIDAY_CODES = {
    "元旦": "new_years_day",
    "春节": "spring_festival",
    "清明节": "tomb_sweeping_day",
    "清明": "tomb_sweeping_day",
    "劳动节": "labour_day",
    "五一劳动节": "labour_day",
    "端午节": "dragon_boat_festival",
    "中秋节": "mid_autumn_festival",
    "国庆节": "national_day",
}
# Every notice sets these seven (全国年节及纪念日放假办法 art. 2); 中秋节、国庆节 may share an item.
REQUIRED_CODES = (
    "new_years_day", "spring_festival", "tomb_sweeping_day", "labour_day",
    "dragon_boat_festival", "mid_autumn_festival", "national_day",
)  # fmt: skip
# A day of the year before or after the notice's own: only a New Year run crossing 1 January
# ("2016年12月31日至2017年1月2日"), so no more than this many days from that 1 January.
NEW_YEAR_REACH = 4
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

TITLE = re.compile(r"国务院办公厅关于(\d{4})年(?:部分)?节假日安排的通知")
DOC_NUMBER = re.compile(r"^国办发(?:明电)?〔\d{4}〕\d+号$")
INTRO = re.compile(r"现将(\d{4})年(.+?)放假")
ITEM = re.compile(r"^([一二三四五六七八九十]+)、([^：:]+)[：:](.+)$")
DATE = re.compile(
    r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:[（(](?P<note>[^）)]*)[）)])?"
)
RANGE_OFF = re.compile(
    r"^(?P<a>.+?日(?:[（(][^）)]*[）)])?)至(?P<b>.+?)(?:放假|调休放假)(?:调休|公休)?$"
)
SINGLE_OFF = re.compile(r"^(?P<a>.+?)放假(?:调休|公休)?$")
TOTAL = re.compile(r"^共(\d+)天$")
MAKEUP_OFF = re.compile(r"^(?P<a>.+?)补休$")
WORKED = re.compile(r"^(?P<a>.+?)上班$")
JOINS_WEEKEND = "与周末连休"
DATE_REFERENCE = re.compile(r"\d{1,2}月\d{1,2}日")
ARRANGEMENT_WORDS = ("放假", "上班", "补休")


@dataclass(frozen=True)
class NoticeHoliday:
    code: str  # HolidayCode of the days: the last holiday the item names (中秋节、国庆节: 国庆节)
    names: str  # as the notice names them: "中秋节、国庆节"
    codes: tuple[str, ...]  # every holiday the item names
    days_off: tuple[date, ...]
    line: int


@dataclass(frozen=True)
class ParsedNotice:
    year: int
    title: str  # the notice's title, with its document number when given
    holidays: list[NoticeHoliday]
    workdays: list[tuple[date, str]]  # (date, HolidayCode it was swapped for)
    lines: tuple[str, ...] = ()  # the notice's own lines (title, number, opening, items): stored

    def days_off(self) -> dict[date, str]:
        return {day: h.code for h in self.holidays for day in h.days_off}


@dataclass
class _Item:
    year: int
    line: int
    text: str
    off: list[date] = field(default_factory=list)
    worked: list[date] = field(default_factory=list)
    total: int | None = None
    month: int | None = None  # the month of the last date read, for "至23日"


def _refuse(line: int, text: str, reason: str) -> DutyError:
    return DutyError("calendar_notice.bad_line", line=line, text=text.strip(), reason=reason)


def _date(item: _Item, match: re.Match[str], year: int | None = None) -> date:
    month = int(match["m"]) if match["m"] else item.month
    if month is None:
        raise _refuse(item.line, item.text, f"{match[0]}: 缺少月份 / no month")
    the_year = int(match["y"]) if match["y"] else (year or item.year)
    try:
        day = date(the_year, month, int(match["d"]))
    except ValueError as exc:
        raise _refuse(item.line, item.text, f"{match[0]}: 日期不存在 / no such date") from exc
    note = match["note"] or ""
    weekday = re.search(r"(?:周|星期)([一二三四五六日天])", note)
    if weekday and WEEKDAYS[weekday[1]] != day.weekday():
        raise _refuse(
            item.line, item.text, f"{match[0]}: 星期不符 / weekday wrong for {day.isoformat()}"
        )
    item.month = month
    return day


def _one_date(item: _Item, text: str) -> date:
    match = DATE.fullmatch(text.strip())
    if match is None:
        raise _refuse(item.line, item.text, f"{text}: 不是日期 / not a date")
    return _date(item, match)


def _dates(item: _Item, text: str) -> list[date]:
    """Dates listed with 、 ("2月14日（周六）、2月28日（周六）"); nothing else allowed between."""
    found = list(DATE.finditer(text))
    rest = DATE.sub("", text).replace("、", "").replace("和", "").strip()
    if not found or rest:
        raise _refuse(item.line, item.text, f"{text}: 无法识别 / not understood")
    return [_date(item, match) for match in found]


def _clause(item: _Item, clause: str) -> None:
    if m := RANGE_OFF.match(clause):
        first = _one_date(item, m["a"])
        end_match = DATE.fullmatch(m["b"].strip())
        if end_match is None:
            raise _refuse(item.line, item.text, f"{m['b']}: 不是日期 / not a date")
        last = _date(item, end_match, first.year)
        if last < first and not end_match["y"]:  # "12月31日至1月2日": into the next year
            last = last.replace(year=first.year + 1)
        if last < first or (last - first).days > 40:
            raise _refuse(item.line, item.text, f"{clause}: 日期范围不对 / bad range")
        item.off.extend(first + timedelta(days=n) for n in range((last - first).days + 1))
    elif m := TOTAL.match(clause):
        item.total = int(m[1])
    elif (m := MAKEUP_OFF.match(clause)) or (m := SINGLE_OFF.match(clause)):
        item.off.extend(_dates(item, m["a"]))
    elif m := WORKED.match(clause):
        item.worked.extend(_dates(item, m["a"]))
    elif clause == JOINS_WEEKEND:
        if not item.off or not (item.off[0].weekday() == 0 or item.off[-1].weekday() == 4):
            raise _refuse(item.line, item.text, f"{clause}: 不与周末相连 / not next to a weekend")
    else:
        raise _refuse(item.line, item.text, f"{clause}: 无法识别 / not understood")


def _read_item(year: int, line: int, text: str, body: str) -> _Item:
    item = _Item(year, line, text)
    for sentence in re.split(r"[。；;]", body):
        for clause in re.split(r"[，,](?![^（(]*[）)])", sentence):  # not a comma in brackets
            if clause.strip():
                _clause(item, clause.strip())
    if not item.off:
        raise _refuse(line, text, "没有放假日期 / no days off")
    if len(set(item.off)) != len(item.off):
        raise _refuse(line, text, "放假日期重复 / a day off given twice")
    if item.total is not None and item.total != len(item.off):
        raise _refuse(
            line,
            text,
            f"共{item.total}天，实计{len(item.off)}天 / says {item.total} days, has {len(item.off)}",
        )
    for day in item.worked:
        if day.weekday() < 5:
            raise _refuse(line, text, f"{day.isoformat()}: 调休上班日不是周末 / not a weekend day")
    return item


def _codes(line: int, text: str, names: str) -> list[str]:
    codes = []
    for name in re.split(r"[、和及]", names):
        code = HOLIDAY_CODES.get(name.strip())
        if code is None:
            raise _refuse(line, text, f"{name}: 未知节日 / unknown holiday")
        codes.append(code)
    return codes


def parse_notice(text: str) -> ParsedNotice:
    """The notice's year, holidays and swapped working days; DutyError naming the line if any
    part of it cannot be read for certain."""
    lines = text.splitlines()
    title = next(((n, m) for n, s in enumerate(lines, 1) if (m := TITLE.search(s))), None)
    if title is None:
        raise DutyError("calendar_notice.no_title")
    year = int(title[1][1])
    title_text = title[1][0]
    holidays: list[NoticeHoliday] = []
    workdays: list[tuple[date, str]] = []
    announced: set[str] | None = None
    kept: list[str] = []
    for number, raw in enumerate(lines, 1):
        _check_characters(number, raw)
        stripped = raw.strip()
        if not stripped:
            continue
        if number == title[0]:
            kept.append(stripped)
            continue
        if DOC_NUMBER.match(stripped):
            title_text += f"（{stripped}）"
            kept.append(stripped)
            continue
        if (intro := INTRO.search(stripped)) and announced is None:
            if int(intro[1]) != year:
                raise _refuse(number, raw, f"{intro[1]}年 ≠ {year}年")
            announced = set(_codes(number, raw, intro[2]))
            kept.append(stripped)
            continue
        item = ITEM.match(stripped)
        if item is None:
            if DATE_REFERENCE.search(stripped) and any(w in stripped for w in ARRANGEMENT_WORDS):
                raise _refuse(number, raw, "不在编号条目中 / not in a numbered item")
            continue
        codes = _codes(number, raw, item[2])
        read = _read_item(year, number, raw, item[3])
        _check_item_days(read, codes[-1])
        holidays.append(
            NoticeHoliday(codes[-1], item[2].strip(), tuple(codes), tuple(read.off), number)
        )
        workdays.extend((day, codes[-1]) for day in read.worked)
        kept.append(stripped)
    notice = ParsedNotice(year, title_text, holidays, workdays, tuple(kept))
    return _checked(notice, announced)


def _check_characters(number: int, raw: str) -> None:
    """A control character, bidi override or zero-width space anywhere in the notice refuses
    it, naming the line: the stored text is shown again in terminals and archives."""
    for char in raw:
        if _char_problem(char, name=False, multiline=False) is not None:
            shown = "".join(_shown(c) for c in raw)
            raise _refuse(number, shown, f"{codepoint(char)}: 不允许的字符 / character not allowed")


def _shown(char: str) -> str:
    return codepoint(char) if _char_problem(char, name=False, multiline=False) else char


def _check_item_days(item: _Item, code: str) -> None:
    """Days outside the notice's year: only a New Year run across 1 January, a few days from it.
    1 January itself is never a working day."""
    for day in item.off + item.worked:
        if day.year == item.year:
            if (day.month, day.day) == (1, 1) and day in item.worked:
                raise _refuse(item.line, item.text, "1月1日元旦不能上班 / 1 January is a holiday")
            continue
        new_year = date(max(day.year, item.year), 1, 1)
        near = abs((day - new_year).days) <= NEW_YEAR_REACH and abs(day.year - item.year) == 1
        if code != "new_years_day" or not near:
            raise _refuse(item.line, item.text, f"{day.isoformat()}: 不在{item.year}年内 / "
                          f"outside {item.year} (only a New Year run may cross 1 January)")  # fmt: skip


def _checked(notice: ParsedNotice, announced: set[str] | None) -> ParsedNotice:
    if not notice.holidays:
        raise DutyError("calendar_notice.no_items")
    all_off = [day for h in notice.holidays for day in h.days_off]
    if len(set(all_off)) != len(all_off):
        raise DutyError("calendar_notice.overlap", date=_first_repeat(all_off).isoformat())
    worked = [day for day, _ in notice.workdays]
    if len(set(worked)) != len(worked):
        raise DutyError("calendar_notice.overlap", date=_first_repeat(worked).isoformat())
    both = sorted(set(all_off) & set(worked))
    if both:
        raise DutyError("calendar_notice.overlap", date=both[0].isoformat())
    named = {code for h in notice.holidays for code in h.codes}
    missing = [code for code in REQUIRED_CODES if code not in named]
    if missing:
        raise DutyError("calendar_notice.missing_holidays", names=holiday_names(missing))
    if announced is not None and announced != named:
        differing = [code for code in REQUIRED_CODES if code in announced ^ named]
        raise DutyError("calendar_notice.items_differ", names=holiday_names(differing))
    return notice


def holiday_names(codes: list[str]) -> str:
    """ "春节、清明节": the holidays' names from the catalogue, never their internal codes."""
    from dutydesk.i18n import t

    return t("calendar_notice.name_separator").join(t(f"calendar_holiday.{c}") for c in codes)


def _first_repeat(days: list[date]) -> date:
    seen: set[date] = set()
    for day in days:
        if day in seen:
            return day
        seen.add(day)
    raise AssertionError("no repeat")
