"""The one source of "now". Everything that needs the time asks a Clock, so tests can move it."""

from __future__ import annotations

from typing import Protocol

import pendulum
from pendulum import DateTime

DEFAULT_TIMEZONE = "Asia/Shanghai"


class Clock(Protocol):
    timezone: str

    def now(self) -> DateTime: ...


class SystemClock:
    """Wall-clock time in the office's zone."""

    def __init__(self, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.timezone = timezone

    def now(self) -> DateTime:
        return pendulum.now(self.timezone)


class FrozenClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: DateTime | str, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.timezone = timezone
        if isinstance(at, str):
            at = pendulum.parse(at, tz=timezone)  # type: ignore[assignment]
        assert isinstance(at, DateTime)
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware time")
        self._now = at.in_timezone(timezone)

    def now(self) -> DateTime:
        return self._now

    def set(self, at: DateTime) -> None:
        self._now = at.in_timezone(self.timezone)

    def advance(self, **delta: float) -> DateTime:
        self._now = self._now.add(**delta)  # type: ignore[arg-type]
        return self._now


FROZEN_AT_ENV = "DUTYDESK_FROZEN_AT"


def default_clock(timezone: str = DEFAULT_TIMEZONE) -> Clock:
    """The system clock; or, for tests and drills run through the command line, a clock frozen
    at the ISO 8601 time in $DUTYDESK_FROZEN_AT."""
    import os

    frozen_at = os.environ.get(FROZEN_AT_ENV)
    if frozen_at:
        return FrozenClock(frozen_at, timezone)
    return SystemClock(timezone)
