"""The 值班表 as filed: an XLSX sheet and an A4 Word document in the usual layout (date,
weekday, shift, leader, officers, standby, phones), drawn from the same rows so the two never
differ. A change after filing shows the substitute with the original in brackets."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.i18n import t
from dutydesk.models import RosterPhone
from dutydesk.services.core.docx_parts import add_run, setup_page
from dutydesk.services.core.spreadsheet import safe_cell
from dutydesk.services.roster.roster_checks import conflicts
from dutydesk.services.roster.roster_grid import GridCell, effective, grid_cell
from dutydesk.services.roster.rosters import get_roster

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

COLUMNS = ("date", "weekday", "slot", "leader", "officer", "standby", "phones")
WIDTHS_CM = (2.3, 1.4, 1.8, 2.4, 3.2, 2.2, 3.7)  # 17 cm between the margins
TITLE_PT = 16


@dataclass(frozen=True)
class RosterSheet:
    title: str
    header: list[str]
    rows: list[list[str]]
    cells: list[GridCell]


def phones(session: Session) -> dict[str, str]:
    """Each person's phone in force (the latest row), by name."""
    from dutydesk.models import Person

    rows = session.exec(
        select(Person.name, RosterPhone.phone)
        .join(Person, col(Person.id) == RosterPhone.person_id)
        .order_by(col(RosterPhone.id))
    ).all()
    return dict(rows)


def _shown(cell: GridCell, role: str, seat: int, name: str | None) -> str:
    """The name in force, with the rostered one it replaced: 李娜（原：张伟）."""
    if name is None:
        return ""
    for change in cell.changes:
        if (change.role, change.seat) == (role, seat) and change.substitute == name:
            return t("roster_file.changed", name=name, original=change.original)
    return name


def roster_sheet(desk: Desk, roster_id: int) -> RosterSheet:
    with read_session(desk.engine) as session:
        roster = get_roster(session, roster_id)
        eff = effective(session, desk, roster.starts_on, roster.ends_on)
        numbers = phones(session)
    eff.cells[:] = [(r, c) for r, c in eff.cells if r.id == roster_id]
    found = conflicts(desk, [c for _r, c in eff.cells], eff.held, eff.people)
    cells = [grid_cell(desk, eff, r, c, found) for r, c in eff.cells]
    rows = []
    for cell in cells:
        officers = [_shown(cell, "officer", n, name) for n, name in enumerate(cell.officers)]
        names = [cell.leader, *cell.officers, cell.standby]
        reach = [f"{name} {numbers[name]}" for name in names if name and name in numbers]
        rows.append([
            cell.day.isoformat(), t(f"roster_file.weekday_{cell.day.isoweekday()}"),
            t("shift." + cell.slot_code), _shown(cell, "leader", 0, cell.leader),
            "、".join(name for name in officers if name), _shown(cell, "standby", 0, cell.standby),
            "；".join(reach),
        ])  # fmt: skip
    title = t("roster_file.title", office=desk.office.name, label=roster.label)
    header = [t("roster_file.col_" + column) for column in COLUMNS]
    return RosterSheet(title, header, rows, cells)


def xlsx_bytes(sheet: RosterSheet) -> bytes:
    """Row 1 the title, row 2 the header, then one row per shift; typed text through
    safe_cell (a name or phone never runs as a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = t("roster_file.sheet")
    page.append([safe_cell(sheet.title)])
    page.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(sheet.header))
    page.append(sheet.header)
    for row in sheet.rows:
        page.append([safe_cell(value) for value in row])
    for index, width in enumerate(WIDTHS_CM):
        page.column_dimensions[chr(ord("A") + index)].width = width * 5
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(sheet: RosterSheet) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = Document()
    setup_page(document)
    document.core_properties.title = sheet.title
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(title, sheet.title, bold=True, size=TITLE_PT)
    table = document.add_table(rows=0, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for index, values in enumerate([sheet.header, *sheet.rows]):
        row = table.add_row()
        for cell, text, width in zip(row.cells, values, WIDTHS_CM, strict=True):
            cell.width = Cm(width)
            add_run(cell.paragraphs[0], text, bold=index == 0)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def set_phone(desk: Desk, name: str, phone: str) -> RosterPhone:
    """The phone `name` is reached on while rostered (the 值班表's phone column)."""
    from dutydesk.db import with_lock_retry, write_session
    from dutydesk.errors import DutyError
    from dutydesk.services.core import audit
    from dutydesk.services.core.validation import ascii_phone
    from dutydesk.services.roster.rosters import person_by_name

    phone = ascii_phone(phone).strip()  # ０３７１－… typed full-width: stored in ASCII
    if not phone or len(phone) > 30 or not all(ch.isdigit() or ch in "-+ ()" for ch in phone):
        raise DutyError("roster.bad_phone", phone=phone)

    def _save() -> RosterPhone:
        with write_session(desk.engine) as session:
            person = person_by_name(session, name)
            row = RosterPhone(person_id=person.id, phone=phone, set_at=desk.now())  # type: ignore[arg-type]  # stored rows have ids
            session.add(row)
            session.flush()
            assert row.id is not None
            audit.append(session, "roster_phone", row.id, desk.now())
            return row

    return with_lock_retry(_save, desk.path)
