"""A unit's history (抽查记录) as the spot-check issue asks for it: when the unit was last checked,
what the checks of the last HISTORY_DAYS found, and the late reports (迟报) held against it by
the incident records over the same days. Read-only.

Unit reports (services/incident_reports.py) name the reporting unit as typed; they hold no link
to the spot-check unit, so they are matched by the unit's exact name."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.models import Incident, SpotcheckOutcome, UnitReport
from dutydesk.services.spotcheck.spotcheck_views import (
    OutcomeView,
    outcomes_in_force,
    person_names,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk
    from dutydesk.services.spotcheck.units import UnitView

HISTORY_DAYS = 30  # a unit's history shows the faults and late reports of the last 30 days


@dataclass(frozen=True)
class LateMark:
    """One 迟报 mark from an incident record: the unit reported later than the profile allows."""

    unit_report_id: int
    incident_id: int
    incident: str  # the incident as shown, e.g. "事件#3 Ⅲ级（较大） 事故灾难 人民路"
    channel: str  # phone | written
    due_at: DateTime
    reported_at: DateTime
    late_minutes: int
    cite: str


@dataclass(frozen=True)
class UnitHistory:
    unit: UnitView
    last_checked: DateTime | None
    checks: int  # rounds with an outcome in the last HISTORY_DAYS
    not_answered: int  # attempts not answered in the last HISTORY_DAYS
    faults: dict[str, int]  # fault code -> times recorded in the last HISTORY_DAYS
    recent: tuple[OutcomeView, ...]  # the last HISTORY_DAYS' attempts, newest first
    late_reports: tuple[LateMark, ...] = ()  # 迟报 in the last HISTORY_DAYS, newest first


def late_marks(session: Session, unit_name: str, since: DateTime) -> tuple[LateMark, ...]:
    """The unit's late reports (迟报) made since `since`, newest first."""
    from dutydesk.services.incidents import current_levels, incident_label

    rows = session.exec(
        select(UnitReport, Incident)
        .join(Incident, col(Incident.id) == UnitReport.incident_id)
        .where(
            UnitReport.unit == unit_name,
            UnitReport.late == True,  # noqa: E712
            UnitReport.reported_at >= since,
        )
        .order_by(col(UnitReport.reported_at).desc(), col(UnitReport.id).desc())
    ).all()
    levels = current_levels(session, {incident.id for _, incident in rows})  # type: ignore[misc]  # a stored row has its id
    return tuple(
        LateMark(
            report.id,  # type: ignore[arg-type]  # a stored row has its id
            incident.id,  # type: ignore[arg-type]  # a stored row has its id
            incident_label(incident, levels.get(incident.id)),  # type: ignore[arg-type]  # a stored row has its id
            report.channel,
            report.due_at,  # type: ignore[arg-type]  # a late report has a due time
            report.reported_at,
            report.late_minutes,
            report.cite,
        )
        for report, incident in rows
    )


def unit_history(desk: Desk, unit: str | int) -> UnitHistory:
    """When a unit was last checked, what the checks of the last HISTORY_DAYS found, and its
    late reports over the same days."""
    from dutydesk.services.spotcheck.units import find_unit

    since = desk.now().subtract(days=HISTORY_DAYS)
    with read_session(desk.engine) as session:
        target = find_unit(session, unit)
        rows = list(
            session.exec(
                select(SpotcheckOutcome)
                .where(SpotcheckOutcome.unit_id == target.id)
                .order_by(col(SpotcheckOutcome.checked_at).desc(), col(SpotcheckOutcome.id).desc())
            )
        )
        names = person_names(session, {row.recorded_by_id for row in rows})
        standing = outcomes_in_force(session, rows, names)  # a corrected outcome counts once
        late = late_marks(session, target.name, since)
    recent = tuple(view for view in standing if view.checked_at >= since)
    faults: Counter[str] = Counter(fault for o in recent for fault in o.faults)
    return UnitHistory(
        target,
        rows[0].checked_at if rows else None,
        len({row.round_id for row in rows if row.checked_at >= since}),
        sum(1 for o in recent if not o.answered),
        dict(faults),
        recent,
        late,
    )


def late_mark_to_json(mark: LateMark, zone: str) -> dict[str, Any]:
    return {
        "incident_id": mark.incident_id,
        "incident": mark.incident,
        "channel": mark.channel,
        "due_at": mark.due_at.in_timezone(zone).isoformat(),
        "reported_at": mark.reported_at.in_timezone(zone).isoformat(),
        "late_minutes": mark.late_minutes,
        "rule": mark.cite,
    }
