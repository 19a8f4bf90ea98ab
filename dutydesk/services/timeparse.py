"""Reading times typed by a person or given on the command line. A time without a zone is taken
in the office's zone; the result is always timezone-aware."""

from __future__ import annotations

import re

import pendulum
from pendulum import DateTime

from dutydesk.errors import DutyError

_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
_MD_HHMM = re.compile(r"^(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})$")


def parse_time(text: str, timezone: str, now: DateTime | None = None) -> DateTime:
    """ISO 8601 (with or without offset), or at the desk the short forms `HH:MM` (today) and
    `MM-DD HH:MM` (this year)."""
    value = text.strip()
    if not value:
        raise DutyError("problem.bad_time", value=text)
    try:
        if now is not None:
            local_now = now.in_timezone(timezone)
            if match := _HHMM.match(value):
                return local_now.set(
                    hour=int(match[1]), minute=int(match[2]), second=0, microsecond=0
                )
            if match := _MD_HHMM.match(value):
                return pendulum.datetime(
                    local_now.year,
                    int(match[1]),
                    int(match[2]),
                    int(match[3]),
                    int(match[4]),
                    tz=timezone,
                )
        parsed = pendulum.parse(value, tz=timezone, strict=False)
        if isinstance(parsed, DateTime):
            parsed.utcoffset()  # an offset of a day or more (+99:00) raises ValueError here
    except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError) as exc:
        raise DutyError("problem.bad_time", value=text) from exc
    if not isinstance(parsed, DateTime):
        raise DutyError("problem.bad_time", value=text)
    return parsed


def parse_date(text: str) -> pendulum.Date:
    try:
        parsed = pendulum.parse(text.strip(), exact=True)
    except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError) as exc:
        raise DutyError("problem.bad_date", value=text) from exc
    if isinstance(parsed, DateTime):
        return parsed.date()
    if not isinstance(parsed, pendulum.Date):
        raise DutyError("problem.bad_date", value=text)
    return parsed
