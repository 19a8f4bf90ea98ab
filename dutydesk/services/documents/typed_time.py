"""A time typed into a documents or orders form, read as the calls form reads it: four digits
are HH:MM (`2150` is 21:50), a short time ahead of now is this duty's (from when it began), and
a time outside the register's span is refused naming what was typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import Desk


def typed_step_time(desk: Desk, text: str) -> DateTime | None:
    """None when blank (the service takes now)."""
    from dutydesk.services.core.timeparse import parse_time, typed_time_in_span
    from dutydesk.services.roster import duty_began

    if not text.strip():
        return None
    value = parse_time(text, desk.timezone, now=desk.now(), back_to=duty_began(desk))
    return typed_time_in_span(desk, value, text)
