"""`dutydesk central report --from D --to D`: over a period (dates in China's time, both
included), per desk: calls, incidents by type and level, deadlines met and late with the
minutes late, spot-check faults; per unit (across desks): its calls, its reports to the desks
(on time, late, minutes late) and the faults found when it was spot-checked.

Counted as the desk counts them: a corrected call once (its newest version), an incident at
its level now (the newest re-grading), a deadline superseded by a re-grading neither met nor
late, a corrected spot-check outcome by its correction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import pendulum

from dutydesk.errors import RefusedInput
from dutydesk.services.central.connection import connect
from dutydesk.services.central.report_sql import (
    AMENDED_CALLS,
    CALLS,
    DESK_DEADLINES,
    DESK_INCIDENTS,
    DESK_SPOTCHECKS,
    DESKS,
    UNIT_REPORTS,
    UNIT_SPOTCHECKS,
)

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]


@dataclass
class DeskFigures:
    office: str
    office_id: str
    calls: int = 0
    incidents: dict[str, int] = field(default_factory=dict)  # "type/level" -> count
    deadlines_met: int = 0
    deadlines_late: int = 0
    late_minutes: int = 0
    deadlines_open: int = 0
    spotcheck_faults: int = 0
    spotcheck_unanswered: int = 0


@dataclass
class UnitFigures:
    unit: str
    calls: int = 0
    reports: int = 0
    reports_late: int = 0
    late_minutes: int = 0
    spotcheck_faults: int = 0
    spotcheck_unanswered: int = 0


@dataclass
class Report:
    start: str
    end: str
    desks: list[DeskFigures]
    units: list[UnitFigures]

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start, "to": self.end, "desks": [asdict(d) for d in self.desks],
                "units": [asdict(u) for u in self.units]}  # fmt: skip


def _date(text: str) -> str:
    """The date as ISO 8601 with a four-digit year (pendulum's to_date_string gives 1-01-01 for
    the year 1, which also sorts wrongly against the period's other end)."""
    try:
        return pendulum.from_format(text, "YYYY-MM-DD").date().isoformat()
    except ValueError as exc:
        raise RefusedInput("central.bad_date", value=text) from exc


def central_report(url: str, start: str, end: str) -> Report:
    period = {"start": _date(start), "end": _date(end)}
    if period["start"] > period["end"]:
        raise RefusedInput("central.bad_period", start=start, end=end)
    conn = connect(url)
    try:
        with conn.transaction():  # one snapshot for every figure
            calls = period_calls(conn, period)
            desks, units = _desks(conn, period, calls[True]), _units(conn, period, calls[False])
            return Report(period["start"], period["end"], desks, units)
    finally:
        conn.close()


def period_calls(conn: Conn, period: dict[str, str]) -> dict[bool, dict[str, int]]:
    """The period's calls by desk (True) and by unit (False): the archives' day counts less
    the calls that have an amendment; a desk or unit left with none is not listed."""
    calls: dict[bool, dict[str, int]] = {True: {}, False: {}}
    for by_desk, key, count in conn.execute(CALLS, period):
        calls[bool(by_desk)][str(key)] = int(count)
    for by_desk, key, count in conn.execute(AMENDED_CALLS, period):
        calls[bool(by_desk)][str(key)] -= int(count)
    return {side: {key: n for key, n in counted.items() if n} for side, counted in calls.items()}


def _desks(conn: Conn, period: dict[str, str], calls: dict[str, int]) -> list[DeskFigures]:
    desks = {oid: DeskFigures(str(office), str(oid)) for oid, office in conn.execute(DESKS)}
    for oid, count in calls.items():
        desks[oid].calls = count
    for oid, kind, level, count in conn.execute(DESK_INCIDENTS, period):
        desks[oid].incidents[f"{kind}/{level}"] = int(count)
    for oid, met, late, minutes, still_open in conn.execute(DESK_DEADLINES, period):
        figures = desks[oid]
        figures.deadlines_met, figures.deadlines_late = int(met), int(late)
        figures.late_minutes, figures.deadlines_open = int(minutes), int(still_open)
    for oid, faults, unanswered in conn.execute(DESK_SPOTCHECKS, period):
        desks[oid].spotcheck_faults, desks[oid].spotcheck_unanswered = int(faults), int(unanswered)
    return sorted(desks.values(), key=lambda d: (d.office, d.office_id))


def _units(conn: Conn, period: dict[str, str], calls: dict[str, int]) -> list[UnitFigures]:
    units: dict[str, UnitFigures] = defaultdict(lambda: UnitFigures(""))
    for unit, count in calls.items():
        units[unit].calls = count
    for unit, reports, late, minutes in conn.execute(UNIT_REPORTS, period):
        figures = units[unit]
        figures.reports, figures.reports_late, figures.late_minutes = (
            int(reports), int(late), int(minutes))  # fmt: skip
    for unit, faults, unanswered in conn.execute(UNIT_SPOTCHECKS, period):
        units[unit].spotcheck_faults, units[unit].spotcheck_unanswered = (
            int(faults), int(unanswered))  # fmt: skip
    for name, figures in units.items():
        figures.unit = name
    return sorted(units.values(), key=lambda u: u.unit)
