"""Shifts (班次): the profile's windows back to back, each opened at the desk (by the handover's
sign-off) some minutes after it starts (calls logged before that have no shift, as with
dutydesk.services.roster.shifts)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from bench.gen.writer import Row, stamp, to_us
from dutydesk.profiles import Profile
from dutydesk.services.roster.shifts import shift_window

SHIFT_COLUMNS = {
    "slot_code",
    "starts_at",
    "ends_at",
    "officer_id",
    "leader_id",
    "standby_id",
    "opened_at",
}
MINUTE_US = 60 * 1_000_000
OPENED_AFTER_S = (8 * 60, 30 * 60)  # a shift is opened this long after its window starts


@dataclass(frozen=True)
class Window:
    index: int
    code: str
    start: int  # µs since the epoch
    end: int


def windows(profile: Profile, start: int, end: int) -> Iterator[Window]:
    """The profile's shift windows from the one containing `start` to the one containing `end`."""
    import pendulum

    at = pendulum.instance(datetime.fromtimestamp(start / 1e6, UTC))
    index = 0
    while True:
        window = shift_window(profile, at)
        begin, finish = to_us(window.starts_at), to_us(window.ends_at)
        yield Window(index, window.code, begin, finish)
        if finish > end:
            return
        at = window.ends_at
        index += 1


def shift_row(rng: random.Random, window: Window, crew: tuple[Row, Row, Row]) -> Row:
    officer, leader, standby = crew
    # Opened by the handover's sign-off, once the checklist is ticked (services.handover).
    opened = window.start + rng.randint(*OPENED_AFTER_S) * 1_000_000 + rng.randint(0, 999_999)
    return Row(
        "shift",
        opened,
        {
            "slot_code": window.code,
            "starts_at": stamp(window.start),
            "ends_at": stamp(window.end),
            "opened_at": stamp(opened),
        },
        refs={"officer_id": officer, "leader_id": leader, "standby_id": standby},
    )
