"""What the counts panel and the duty-hours tally count as a night (QA #3): a day's leader
leads the 24-hour duty, so their day has its night; where no shift runs through a night there
are no nights to count, shown "—" rather than 0."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pendulum

from dutydesk.models import Person, Roster
from dutydesk.profiles import load_profile
from dutydesk.screens.roster_rows import count_rows
from dutydesk.services.roster.duty_hours import tally
from dutydesk.services.roster.rosters import cells_of

NOW = pendulum.datetime(2026, 11, 23, tz="Asia/Shanghai")


def _counts(day_shifts_only: bool):
    profile = load_profile("tianjin")  # a leader for each day
    cells = cells_of(profile, "month", date(2026, 12, 1), date(2026, 12, 4))
    if day_shifts_only:
        cells = [c for c in cells if c.slot_code == "day"]
    roster = Roster(id=1, kind="month", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31))
    leader = Person(id=1, name="领导甲", role="leader", created_at=NOW)
    officer = Person(id=2, name="值班乙", role="officer", created_at=NOW)
    held = {}
    for cell in cells:
        if cell.slot_code == "day":  # the leader entered on the day shift only
            held[(cell.day, cell.slot_code, "leader", 0)] = 1
        held[(cell.day, cell.slot_code, "officer", 0)] = 2
    found = tally(SimpleNamespace(profile=profile), [(roster, c) for c in cells], held,
                  {1: leader, 2: officer})  # fmt: skip
    return {c.name: c for c in found}


def test_a_days_leader_has_that_days_night_and_hours():
    counts = _counts(day_shifts_only=False)
    assert (counts["领导甲"].shifts, counts["领导甲"].nights, counts["领导甲"].hours) == (4, 4, 96)
    assert (counts["值班乙"].shifts, counts["值班乙"].nights) == (8, 4)


def test_without_a_night_shift_nights_are_shown_as_a_dash():
    counts = _counts(day_shifts_only=True)
    assert counts["领导甲"].nights is None and counts["值班乙"].nights is None
    rows = count_rows(tuple(counts.values()))
    assert [row[3] for row in rows] == ["—", "—"]
