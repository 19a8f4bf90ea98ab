"""The document numbers (文号) of the written 首报 sent up as a 突发事件信息报告: 〔2026〕15号,
numbered per year in this office (a register holds one office). An incident's number is given
once, as a chained, append-only row, and is the same each time its report is saved again; a
number is never handed out twice (the table is unique on year and number)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import func, select

from dutydesk.db import with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import Incident, ReportNumber
from dutydesk.services.incidents.incident_common import add_row

if TYPE_CHECKING:
    from dutydesk.models import Person
    from dutydesk.services.core import Desk


def number_label(row: ReportNumber) -> str:
    return t("report_doc.number", year=row.year, n=row.number)


def report_number(desk: Desk, incident_id: int, recorder: Person) -> ReportNumber:
    """The incident's 文号: the one given before, or the next of this year (the desk's year
    now), given now in the write transaction so that two desks never take the same."""

    def _allocate() -> ReportNumber:
        with write_session(desk.engine) as session:
            if session.get(Incident, incident_id) is None:
                raise DutyError("incident.unknown", id=incident_id)
            given = session.exec(
                select(ReportNumber).where(ReportNumber.incident_id == incident_id)
            ).first()
            if given is not None:
                return given
            now = desk.now()
            year = now.year
            last = session.exec(
                select(func.max(ReportNumber.number)).where(ReportNumber.year == year)
            ).one()
            return add_row(
                session,
                desk,
                ReportNumber(
                    incident_id=incident_id,
                    year=year,
                    number=(last or 0) + 1,
                    allocated_at=now,
                    allocated_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                ),
                "report_number",
            )

    return with_lock_retry(_allocate, desk.path)
