"""Column types. Times are stored as fixed-width UTC ISO-8601 text (so they sort), and read back
as timezone-aware pendulum times; screens show them in the office's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

import pendulum
from pendulum import DateTime
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


def to_storage(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: every stored time must carry its zone")
    utc = value.astimezone(UTC)  # OverflowError outside years 1..9999 in UTC: see storable()
    # Formatted by hand: strftime's %Y does not pad years before 1000 on every platform.
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:"
        f"{utc.second:02d}.{utc.microsecond:06d}+00:00"
    )


def storable(value: datetime) -> bool:
    """Whether `value` can be stored and read back (aware, and within years 1..9999 in UTC)."""
    try:
        to_storage(value)
    except (ValueError, OverflowError):
        return False
    return True


if TYPE_CHECKING:
    # What a time column holds: AwareDateTime reads every stored time back as a pendulum
    # DateTime, and the services write pendulum times (desk.now(), parsed input). To pydantic,
    # which builds the models' schemas at run time, it is the plain datetime it knows.
    Timestamp: TypeAlias = DateTime
else:
    Timestamp = datetime

_ZERO = timedelta(0)


def from_storage(value: str) -> DateTime:
    parsed = datetime.fromisoformat(value)
    offset = parsed.utcoffset()
    if offset is None or offset == _ZERO:
        # What to_storage writes. The constructor is ~7x faster than pendulum.instance, which
        # dominated listing 50 calls (bench: ~400 conversions per search).
        return pendulum.DateTime(
            parsed.year,
            parsed.month,
            parsed.day,
            parsed.hour,
            parsed.minute,
            parsed.second,
            parsed.microsecond,
            tzinfo=pendulum.UTC,
        )
    return pendulum.instance(parsed, tz="UTC")


class AwareDateTime(TypeDecorator[DateTime]):
    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else to_storage(value)

    def process_result_value(self, value: Any, dialect: Any) -> DateTime | None:
        return None if value is None else from_storage(value)
