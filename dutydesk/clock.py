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
            parsed = pendulum.parse(at, tz=timezone)
            assert isinstance(parsed, DateTime)
            at = parsed
        assert isinstance(at, DateTime)
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware time")
        self._now = at.in_timezone(timezone)

    def now(self) -> DateTime:
        return self._now

    def set(self, at: DateTime) -> None:
        self._now = at.in_timezone(self.timezone)

    def advance(self, **delta: float) -> DateTime:
        self._now = self._now.add(**delta)  # type: ignore[arg-type]  # pendulum types most units int
        return self._now


def default_clock(timezone: str = DEFAULT_TIMEZONE) -> Clock:
    """The system clock. The installed program reads no other time: tests and drills pass a
    clock in code (`make_app(clock=...)`, `dutydesk.cli.main(argv, clock=...)`)."""
    return SystemClock(timezone)
