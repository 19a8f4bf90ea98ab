"""Assigning from the roster screen: a seat of a day no roster covers yet goes into the month's
roster, made on the first assignment (the screen shows the month's slots before any roster)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutydesk.services.core import Desk


def assign_seat(
    desk: Desk,
    month: tuple[int, int],
    roster_id: int | None,
    cell: tuple[date, str],
    seat: tuple[str, int],
    name: str | None,
    by: str,
) -> None:
    """Put `name` (None: nobody) in `seat` (role, index) of `cell` (day, slot) of roster
    `roster_id`, or of `month`'s roster (made if need be) when no roster covers the day."""
    from dutydesk.services.roster.rosters import assign, month_roster_id

    if roster_id is None:
        roster_id = month_roster_id(desk, month[0], month[1], by)
    role, index = seat
    assign(desk, roster_id, cell[0], cell[1], role, name, by=by, seat=index)
