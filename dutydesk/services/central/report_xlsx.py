"""The central report as an XLSX workbook (openpyxl): a sheet per desk figures, a sheet per
unit, headings in the user's language."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.services.central.report import Report

DESK_COLUMNS = ("office", "calls", "incidents", "deadlines_met", "deadlines_late",
                "late_minutes", "deadlines_open", "spotcheck_faults", "spotcheck_unanswered")  # fmt: skip
UNIT_COLUMNS = ("unit", "calls", "reports", "reports_late", "late_minutes", "spotcheck_faults",
                "spotcheck_unanswered")  # fmt: skip


def incidents_text(incidents: dict[str, int]) -> str:
    return "; ".join(f"{key} {count}" for key, count in sorted(incidents.items()))


def desk_rows(report: Report) -> list[list[object]]:
    return [
        [d.office, d.calls, incidents_text(d.incidents), d.deadlines_met, d.deadlines_late,
         d.late_minutes, d.deadlines_open, d.spotcheck_faults, d.spotcheck_unanswered]
        for d in report.desks
    ]  # fmt: skip


def unit_rows(report: Report) -> list[list[object]]:
    return [
        [u.unit, u.calls, u.reports, u.reports_late, u.late_minutes, u.spotcheck_faults,
         u.spotcheck_unanswered]
        for u in report.units
    ]  # fmt: skip


def write_xlsx(report: Report, path: Path) -> Path:
    """Written 0600 through a temporary beside it, as the desk's other exports; each office's
    and unit's name as text (a name typed as `=…` is not a formula)."""
    from io import BytesIO

    from openpyxl import Workbook

    from dutydesk.services.core.private_files import write_private
    from dutydesk.services.core.spreadsheet import safe_cell

    book = Workbook()
    desks = book.active
    assert desks is not None
    desks.title = t("central.sheet_desks")
    desks.append([t("central.period", start=report.start, end=report.end)])
    desks.append([t(f"central.col_{name}") for name in DESK_COLUMNS])
    for row in desk_rows(report):
        desks.append([safe_cell(row[0]), *row[1:]])
    units = book.create_sheet(t("central.sheet_units"))
    units.append([t(f"central.col_{name}") for name in UNIT_COLUMNS])
    for row in unit_rows(report):
        units.append([safe_cell(row[0]), *row[1:]])
    out = BytesIO()
    book.save(out)
    write_private(path, out.getvalue())
    return path
