"""Reading times typed by a person or given on the command line, and the span a typed record
time must fall in. A time without a zone is taken in the office's zone; the result is always
timezone-aware.

Only explicit forms are read (pendulum's lenient parser took `-5` for 12-05 and `1000` for the
year 1000): ISO 8601 date and time with or without an offset (`T` or a space between them),
and at the desk `MM-DD HH:MM`, `HH:MM` and `HHMM` (four digits: `2150` is 21:50; a year alone
is no time, so four digits have no other reading): today's (this year's), or, when that is ahead
of now and the caller names the start of the shift on duty (`back_to`), the day before's (the
year before's) if it falls within the shift: `23:55` typed at 00:05 on a night shift is five
minutes ago, while `02:44` typed at 02:41 stays today's and is refused as ahead of now, never
saved a day early. Every form, every command-line option and every form field reads the same
way: one parser, here.
Full-width digits and punctuation, as a Chinese input method types them, are read as ASCII."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pendulum
from pendulum import DateTime

from dutydesk.errors import DutyError, FieldProblem

if TYPE_CHECKING:
    from dutydesk.services.core.desk import Desk

MAX_OFFSET = timedelta(hours=14)  # the widest offset in use (Pacific/Kiritimati, UTC+14)
FUTURE_SLACK = timedelta(minutes=1)  # a time typed a few seconds ahead of the clock is not "future"
MOST_AHEAD = timedelta(days=1)  # no time typed at the desk is more than a day ahead of now
# A register started mid-shift takes that shift's calls from the paper log: a day at most.
BACKFILL = timedelta(days=1)

# Full-width forms (U+FF10..) and the ideographic space, as typed with a Chinese input method.
_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        "\uff1a": ":", "\uff0d": "-", "\uff0b": "+", "\uff0e": ".", "\u3000": " ",
        "\uff34": "T", "\uff54": "T", "\uff3a": "Z", "\uff5a": "Z",
    }
)  # fmt: skip
_CLOCK = r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
_FULL = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})(?:[Tt]| +)"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:[.,](?P<fraction>[0-9]{1,6}))?)?"
    r" *(?P<offset>[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?"
)
_MONTH_DAY = re.compile(r"(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2}) +" + _CLOCK)
_TIME_OF_DAY = re.compile(_CLOCK)
_HHMM = re.compile(r"(?P<hour>[0-2][0-9])(?P<minute>[0-5][0-9])")
_DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})")


def _normalised(text: str) -> str:
    return text.translate(_FULL_WIDTH).strip()


def _unreadable(text: str) -> DutyError:
    from dutydesk.i18n import t

    return DutyError("time_input.unreadable", value=text, forms=t("time_input.forms"))


def _offset(text: str, typed: str) -> pendulum.FixedTimezone:
    if text in ("Z", "z"):
        return pendulum.fixed_timezone(0)
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    span = timedelta(hours=hours, minutes=minutes)
    if minutes >= 60 or span > MAX_OFFSET:
        raise DutyError("time_input.bad_offset", value=typed, offset=text)
    seconds = int(span.total_seconds())
    return pendulum.fixed_timezone(-seconds if text[0] == "-" else seconds)


def _field(match: re.Match[str], name: str) -> int:
    return int(match[name] or 0)


def parse_time(
    text: str,
    timezone: str,
    now: DateTime | None = None,
    *,
    back_to: DateTime | None = None,
) -> DateTime:
    """One of the forms above; the short ones need `now` (the desk's clock) and may go back a
    day (a year) no earlier than `back_to`, as above.
    Raises DutyError naming what was typed and the forms that are read."""
    value = _normalised(text)
    if match := _HHMM.fullmatch(value):
        value = f"{match['hour']}:{match['minute']}"
    try:
        if match := _FULL.fullmatch(value):
            zone = _offset(match["offset"], text) if match["offset"] else timezone
            fraction = (match["fraction"] or "").ljust(6, "0")
            return pendulum.datetime(
                _field(match, "year"), _field(match, "month"), _field(match, "day"),
                _field(match, "hour"), _field(match, "minute"), _field(match, "second"),
                int(fraction), tz=zone,
            )  # fmt: skip
        if now is None:
            raise _unreadable(text)
        local_now = now.in_timezone(timezone)
        if match := _TIME_OF_DAY.fullmatch(value):
            today = pendulum.datetime(
                local_now.year, local_now.month, local_now.day, _field(match, "hour"),
                _field(match, "minute"), _field(match, "second"), tz=timezone,
            )  # fmt: skip
            return _latest(today, today.subtract(days=1), local_now, back_to)
        if match := _MONTH_DAY.fullmatch(value):
            return _month_day(match, local_now, timezone, back_to)
    except (ValueError, OverflowError) as exc:  # 2026-02-30, 25:99
        raise _unreadable(text) from exc
    raise _unreadable(text)


def _latest(
    current: DateTime, earlier: DateTime, local_now: DateTime, back_to: DateTime | None
) -> DateTime:
    """`current` unless it is ahead of now and `earlier` is within the shift (from `back_to`)."""
    ahead = current > local_now + FUTURE_SLACK
    return earlier if ahead and back_to is not None and earlier >= back_to else current


def _month_day(
    match: re.Match[str], local_now: DateTime, timezone: str, back_to: DateTime | None
) -> DateTime:
    def in_year(year: int) -> DateTime:
        return pendulum.datetime(
            year, _field(match, "month"), _field(match, "day"),
            _field(match, "hour"), _field(match, "minute"), _field(match, "second"), tz=timezone,
        )  # fmt: skip

    this_year = in_year(local_now.year)
    if this_year <= local_now + FUTURE_SLACK or back_to is None:
        return this_year
    try:
        return _latest(this_year, in_year(local_now.year - 1), local_now, back_to)
    except ValueError:  # 02-29: last year had none
        return this_year


def parse_date(text: str) -> pendulum.Date:
    """`YYYY-MM-DD` (month and day may be one digit), full-width digits read as digits."""
    match = _DATE.fullmatch(_normalised(text))
    if match is None:
        raise DutyError("problem.bad_date", value=text)
    try:
        return pendulum.date(_field(match, "year"), _field(match, "month"), _field(match, "day"))
    except ValueError as exc:
        raise DutyError("problem.bad_date", value=text) from exc


# ---------------------------------------------------------------- the span a record time is in


def register_created(desk: Desk) -> DateTime:
    return pendulum.instance(desk.office.created_at).in_timezone(desk.timezone)


def earliest_record_time(desk: Desk) -> DateTime:
    """The earliest time a record can carry: a day before the register was created (the shift
    on duty then is entered from paper), to the minute, as officers type times."""
    return (register_created(desk) - BACKFILL).replace(second=0, microsecond=0)


def _local(desk: Desk, value: DateTime) -> str:
    return value.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm")


def record_time_problem(
    desk: Desk, value: DateTime, *, ahead: timedelta = FUTURE_SLACK, since_register: bool = True
) -> tuple[str, dict[str, str]] | None:
    """Why `value` cannot be a record's time, as (catalogue key, parameters), or None.
    `ahead`: how far past now it may be (never more than a day); `since_register`: whether it
    must be after the register was created (not so for when an event happened)."""
    from dutydesk.models.types import storable

    if value.tzinfo is None:
        return "time_input.no_zone", {}
    if not storable(value):
        return "time_input.out_of_range", {}
    if since_register and value < earliest_record_time(desk):
        return "time_input.before_register", {
            "at": _local(desk, earliest_record_time(desk)),
            "created": _local(desk, register_created(desk)),
        }
    now = desk.now()
    if value > now + min(ahead, MOST_AHEAD):
        if ahead <= FUTURE_SLACK:
            return "problem.in_future", {}
        return "time_input.too_far_ahead", {"now": _local(desk, now)}
    return None


def check_record_time(
    problems: list[FieldProblem],
    desk: Desk,
    field: str,
    value: DateTime,
    *,
    ahead: timedelta = FUTURE_SLACK,
    since_register: bool = True,
) -> bool:
    """Append the problem with `value` as `field`'s time, if any; True when there was none."""
    found = record_time_problem(desk, value, ahead=ahead, since_register=since_register)
    if found is not None:
        problems.append(FieldProblem(field, found[0], **found[1]))
    return found is None


def parse_desk_time(desk: Desk, text: str, *, back_to: DateTime | None = None) -> DateTime:
    """A time typed on its own at this desk: read (see parse_time for `back_to`), then refused
    when before the register's earliest record time or more than a day ahead."""
    value = parse_time(text, desk.timezone, now=desk.now(), back_to=back_to)
    return typed_time_in_span(desk, value, text)


def typed_time_in_span(desk: Desk, value: DateTime, typed: str) -> DateTime:
    """A time typed on its own (a command-line option): refused, naming what was typed, when it
    is before the register existed or more than a day ahead. Returns `value`."""
    found = record_time_problem(desk, value, ahead=MOST_AHEAD)
    if found is not None:
        key, params = found
        raise DutyError(typed_key(key), value=typed, **params)
    return value


def typed_key(key: str) -> str:
    """The message, naming the typed value, for a problem `record_time_problem` found."""
    return {
        "time_input.before_register": "time_input.typed_before_register",
        "time_input.too_far_ahead": "time_input.typed_too_far_ahead",
    }.get(key, "time_input.typed_out_of_range")


def parse_filter_time(desk: Desk, text: str) -> DateTime:
    """A time to search or list from (`--since`): a date (`2026-11-01`, its start in the
    office's zone) or any form parse_time reads. Not bound to the register's span: a filter
    before the register existed simply finds everything."""
    from dutydesk.models.types import storable

    try:
        value = parse_time(text, desk.timezone, now=desk.now())
    except DutyError:
        if _DATE.fullmatch(_normalised(text)) is None:
            raise
        day = parse_date(text)
        value = pendulum.datetime(day.year, day.month, day.day, tz=desk.timezone)
    if not storable(value):
        raise DutyError("time_input.typed_out_of_range", value=text)
    return value
