"""The required seats of a roster nobody holds, listed for the officer (date, shift, role in
the user's language): filing is refused while any is left (Tianjin art. 11, 13; Henan 6(3)). A
leader the profile sets per day (Tianjin art. 10 当日带班领导, 12(2)–(4) 每天须有1名局级领导在岗值班;
Henan 6(3) 领导带班安排表) is missing for a day; one it sets per shift (district 工作制度 一:
24小时领导带班) for each shift; an optional standby seat is never missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dutydesk.i18n import t
from dutydesk.services.roster.rosters import roster_rules, seats_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dutydesk.services.core import Desk
    from dutydesk.services.roster.roster_grid import GridCell

LISTED = 12  # seats named in a message; the rest are counted


@dataclass(frozen=True)
class EmptySeat:
    day: date
    slot_code: str | None  # None: the day's leader, missing from every shift of the day
    role: str
    seat: int

    def label(self) -> str:
        slot = t("roster.whole_day") if self.slot_code is None else t("shift." + self.slot_code)
        role = t("role." + self.role)
        if self.role == "officer" and self.seat:
            role = t("roster.nth_officer", role=role, seat=self.seat + 1)
        return t("roster.empty_seat", day=self.day.isoformat(), slot=slot, role=role)


def _holder(cell: GridCell, role: str, seat: int) -> str | None:
    if role == "leader":
        return cell.leader
    if role == "standby":
        return cell.standby
    return cell.officers[seat] if seat < len(cell.officers) else None


def empty_seats(desk: Desk, cells: Sequence[GridCell]) -> list[EmptySeat]:
    """Every required seat of `cells` (in order) that nobody holds after the changes."""
    rules = roster_rules(desk.profile)
    led_days = {cell.day for cell in cells if cell.leader}
    missing: list[EmptySeat] = []
    for cell in cells:
        for role, seat in seats_of(rules):
            if role == "standby" and rules.standby != "required":
                continue
            if role == "leader" and rules.leader_per == "day":
                day_seat = EmptySeat(cell.day, None, role, seat)
                if cell.day not in led_days and day_seat not in missing:
                    missing.append(day_seat)
                continue
            if _holder(cell, role, seat) is None:
                missing.append(EmptySeat(cell.day, cell.slot_code, role, seat))
    return missing


def describe(seats: Sequence[EmptySeat]) -> str:
    """The seats named one by one, the first LISTED of them, then how many more."""
    named = t("roster.seat_separator").join(seat.label() for seat in seats[:LISTED])
    if len(seats) > LISTED:
        named += t("roster.more_seats", count=len(seats) - LISTED)
    return named


def cites(desk: Desk, seats: Sequence[EmptySeat]) -> str:
    """The articles that require the empty seats, each once."""
    rules = roster_rules(desk.profile)
    by_role = {"leader": rules.leader_cite, "officer": rules.officers_cite,
               "standby": rules.standby_cite}  # fmt: skip
    return t("roster.seat_separator").join(dict.fromkeys(by_role[seat.role] for seat in seats))
