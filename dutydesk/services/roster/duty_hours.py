"""Duty hours (值班时长): per person, the shifts, hours, nights, days off and statutory holidays
they are rostered for in a month (after changes), for 补休和值班补贴 (Henan 8(3)); exported as
XLSX.

What a night is (QA #3): a shift that runs through a midnight. A leader rostered for the day
(leader_per = "day") leads the desk's whole duty that day, 24 hours where its shifts run round
the clock (Tianjin art. 11: 局级带班领导1人 for the 24-hour duty), so the day counts once, with
every hour and night of that day's shifts, whichever shift the leader's name is entered in. Where
no shift of the month runs through a night, nobody has nights to count: None, shown as "—"."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import RosterKind
from dutydesk.services.core.spreadsheet import safe_cell
from dutydesk.services.roster.rosters import month_bounds, roster_rules

if TYPE_CHECKING:
    from dutydesk.models import Person, Roster
    from dutydesk.services.core import Desk
    from dutydesk.services.roster.rosters import Cell, Seat


@dataclass(frozen=True)
class PersonCounts:
    name: str
    role: str
    shifts: int
    hours: float
    nights: int | None  # None: no shift of the month runs through a night
    days_off: int  # shifts starting on a non-working day (weekends, holidays)
    holidays: int  # shifts starting on a statutory holiday, or of a holiday roster

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _day_kind(day: date, cache: dict[date, tuple[bool, bool]]) -> tuple[bool, bool]:
    """(a day off, a statutory holiday) by the official calendar; past its data, weekends
    are days off and no day a holiday."""
    from dutydesk.services.core import day_info

    if day not in cache:
        try:
            info = day_info(day)
            cache[day] = (not info.workday, info.reason == "holiday")
        except DutyError:
            cache[day] = (day.isoweekday() >= 6, False)
    return cache[day]


def days_off_in(cell: Cell, cache: dict[date, tuple[bool, bool]]) -> tuple[int, int]:
    """(days off, statutory holidays) among the days a shift covers: its own day, or each day
    of a week shift (a week from Monday holds its weekend)."""
    off = holiday = 0
    for n in range(max(1, cell.nights)):
        day_off, day_holiday = _day_kind(cell.day + timedelta(days=n), cache)
        off += day_off
        holiday += day_holiday
    return off, holiday


def _whole_days(cells: list[tuple[Roster, Cell]]) -> dict[date, tuple[float, int]]:
    """Each day's duty as a day's leader holds it: the hours and nights of all its shifts."""
    days: dict[date, tuple[float, int]] = {}
    for _roster, cell in cells:
        hours, nights = days.get(cell.day, (0.0, 0))
        days[cell.day] = (hours + cell.hours, max(nights, cell.nights))
    return days


def tally(
    desk: Desk,
    cells: list[tuple[Roster, Cell]],
    held: dict[Seat, int],
    people: dict[int, Person],
) -> list[PersonCounts]:
    """Each rostered person's counts over `cells`, by role then name."""
    rules = roster_rules(desk.profile)
    by_key = {(c.day, c.slot_code): (r, c) for r, c in cells}
    whole_days = _whole_days(cells)
    sums: dict[tuple[int, str], list[float]] = {}
    days: dict[date, tuple[bool, bool]] = {}
    led: set[tuple[int, date]] = set()
    for (day, slot, role, _seat), person_id in held.items():
        pair = by_key.get((day, slot))
        if pair is None:
            continue
        roster, cell = pair
        hours, nights = cell.hours, cell.nights
        if role == "leader" and rules.leader_per == "day":
            if (person_id, day) in led:  # the day's leader: one duty per day
                continue
            led.add((person_id, day))
            hours, nights = whole_days[day]
        off, holiday = days_off_in(cell, days)
        holiday = holiday or int(roster.kind == RosterKind.holiday.value)
        row = sums.setdefault((person_id, role), [0, 0.0, 0, 0, 0])
        for index, value in enumerate((1, hours, nights, int(off), int(holiday))):
            row[index] += value
    any_night = any(cell.nights for _roster, cell in cells)
    order = ("leader", "officer", "standby")
    counts = [
        PersonCounts(
            people[pid].name if pid in people else str(pid),
            role,
            int(r[0]),
            round(r[1], 2),
            int(r[2]) if any_night else None,
            int(r[3]),
            int(r[4]),
        )  # fmt: skip
        for (pid, role), r in sums.items()
    ]
    return sorted(counts, key=lambda c: (order.index(c.role), c.name))


def shown_nights(count: PersonCounts) -> str:
    """The nights as the panel, the CLI and the XLSX show them: "—" where none can be."""
    return "—" if count.nights is None else str(count.nights)


def month_hours(desk: Desk, year: int, month: int) -> list[PersonCounts]:
    from dutydesk.services.roster.roster_grid import effective

    first, last = month_bounds(year, month)
    with read_session(desk.engine) as session:
        eff = effective(session, desk, first, last)
    return tally(desk, eff.cells, eff.held, eff.people)


HOURS_COLUMNS = ("name", "role", "shifts", "hours", "nights", "days_off", "holidays")


def write_hours_xlsx(desk: Desk, year: int, month: int, target: Path) -> list[PersonCounts]:
    """The month's tally as an XLSX sheet: a title row, the header, one row per person."""
    from io import BytesIO

    from openpyxl import Workbook

    from dutydesk.services.core.private_files import write_private

    counts = month_hours(desk, year, month)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("roster_hours.sheet")
    sheet.append([t("roster_hours.title", office=safe_cell(desk.office.name), year=year,
                    month=month, cite=roster_rules(desk.profile).hours_cite)])  # fmt: skip
    sheet.append([t("roster_hours.col_" + column) for column in HOURS_COLUMNS])
    for row in counts:
        nights = shown_nights(row) if row.nights is None else row.nights
        sheet.append([safe_cell(row.name), t("role." + row.role), row.shifts, row.hours,
                      nights, row.days_off, row.holidays])  # fmt: skip
    out = BytesIO()
    book.save(out)
    write_private(target, out.getvalue())  # 0600, as the register: it names people
    return counts
