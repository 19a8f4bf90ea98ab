"""Column types. Times are stored as fixed-width UTC ISO-8601 text (so they sort), and read back
as timezone-aware pendulum times; screens show them in the office's zone."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from pendulum import DateTime
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from dutydesk.timestore import from_storage as from_storage
from dutydesk.timestore import to_storage as to_storage


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


class AwareDateTime(TypeDecorator[DateTime]):
    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else to_storage(value)

    def process_result_value(self, value: Any, dialect: Any) -> DateTime | None:
        return None if value is None else from_storage(value)
