"""The 首报 as a document: a 突发事件信息报告 in the usual layout of a government information
report — 标题, 文号 (〔2026〕15号, services/incidents/report_numbers.py), 报告单位 and 签发人,
报告时间, the heading, the body with every element (时间、地点、事件、伤亡、影响范围、已采取措施、
下一步; a missing one marked 待核实), and 联系人及电话. Saved as plain text and as a Word
document, both from the same `FirstReport`, into the export folder under names built from
numbers only (never from what was typed)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.archive_places import EXPORTS_DIR
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.i18n import t
from dutydesk.paths import configured_export_dir
from dutydesk.services.core import check_name, check_text
from dutydesk.services.core.docx_parts import add_run, setup_page
from dutydesk.services.incidents.incident_common import raise_if
from dutydesk.services.incidents.incident_register import casualties_text
from dutydesk.services.incidents.incidents import get_incident
from dutydesk.services.incidents.report_numbers import number_label, report_number

if TYPE_CHECKING:
    from dutydesk.models import Incident, Person
    from dutydesk.services.core import Desk

TITLE_PT = 22  # 二号, the report's name
HEADING_PT = 16  # 三号 bold, the heading of this report
BODY_PT = 16  # 三号 仿宋, GB/T 9704 body text
BODY_FONT = "仿宋_GB2312"
BLANK = "＿＿＿＿＿＿"  # a value to fill in by hand on the printed report
FILE_MODE = 0o600
ELEMENTS = (
    "time", "place", "event", "casualties", "scope", "secondary_risk", "measures", "next_steps",
)  # fmt: skip


@dataclass(frozen=True)
class FirstReport:
    title: str
    number: str  # 〔2026〕15号
    office: str  # 报告单位
    signer: str  # 签发人
    reported_at: str  # 报告时间
    heading: str
    elements: list[tuple[str, str]]  # (label, text) in the usual order
    contact: str
    phone: str


@dataclass(frozen=True)
class SavedFirstReport:
    number: str
    text_path: Path
    docx_path: Path


def _element_texts(desk: Desk, incident: Incident) -> dict[str, str]:
    def given(value: str, element: str) -> str:
        return value.strip() or t("incident_text.to_verify", what=t(f"incident_element.{element}"))

    occurred = incident.occurred_at.in_timezone(desk.timezone)
    return {
        "time": occurred.format(t("incident_text.when_format")),
        "place": given(incident.place, "place"),
        "event": given(incident.summary, "summary"),
        "casualties": casualties_text(incident),
        "scope": given(incident.scope, "scope"),
        "secondary_risk": given(incident.secondary_risk, "secondary_risk"),
        "measures": given(incident.measures, "measures"),
        "next_steps": given(incident.next_steps, "next_steps"),
    }


def build_first_report(
    desk: Desk, incident: Incident, number: str, *, signer: str, contact: str, phone: str
) -> FirstReport:
    texts = _element_texts(desk, incident)
    return FirstReport(
        title=t("report_doc.title"),
        number=number,
        office=desk.office.name,
        signer=signer.strip() or BLANK,
        reported_at=desk.now().format(t("incident_text.when_format")),
        heading=t(
            "report_doc.heading",
            place=incident.place.strip(),
            type=t(f"incident_type.{incident.type}"),
        ),
        elements=[(t(f"report_doc.element_{key}"), texts[key]) for key in ELEMENTS],
        contact=contact.strip() or BLANK,
        phone=phone.strip() or BLANK,
    )


def render_text(report: FirstReport) -> str:
    lines = [
        report.title,
        report.number,
        t("report_doc.office_signer", office=report.office, signer=report.signer),
        t("report_doc.reported_at", at=report.reported_at),
        "",
        report.heading,
        *(t("report_doc.element", label=label, text=text) for label, text in report.elements),
        "",
        t("report_doc.contact", contact=report.contact, phone=report.phone),
    ]
    return "\n".join(lines) + "\n"


def render_docx(report: FirstReport) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    setup_page(document, BODY_PT)
    document.core_properties.title = f"{report.title} {report.number}"
    centred = WD_ALIGN_PARAGRAPH.CENTER
    for text, size, bold in (
        (report.title, TITLE_PT, True),
        (report.number, BODY_PT, False),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = centred
        add_run(paragraph, text, bold=bold, size=size, font=BODY_FONT)
    for text in (
        t("report_doc.office_signer", office=report.office, signer=report.signer),
        t("report_doc.reported_at", at=report.reported_at),
    ):
        add_run(document.add_paragraph(), text, size=BODY_PT, font=BODY_FONT)
    heading = document.add_paragraph()
    heading.alignment = centred
    heading.paragraph_format.space_before = Pt(BODY_PT)
    add_run(heading, report.heading, bold=True, size=HEADING_PT, font=BODY_FONT)
    for label, text in report.elements:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)  # two characters
        add_run(paragraph, label, bold=True, size=BODY_PT, font=BODY_FONT)
        add_run(paragraph, text, size=BODY_PT, font=BODY_FONT)
    contact = document.add_paragraph()
    contact.paragraph_format.space_before = Pt(BODY_PT)
    add_run(
        contact,
        t("report_doc.contact", contact=report.contact, phone=report.phone),
        size=BODY_PT,
        font=BODY_FONT,
    )
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_folder(desk: Desk) -> Path:
    """The export folder of the settings (DUTYDESK_EXPORT_DIR), else exports/ beside the
    register, made on first use."""
    folder = configured_export_dir() or desk.path.parent / EXPORTS_DIR
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DutyError("report_doc.cannot_write", path=str(folder), reason=exc.strerror) from exc
    return folder


def _write(path: Path, data: bytes) -> None:
    """All or nothing: a half-written report never takes the name."""
    temporary = path.with_name(f".tmp-{path.name}")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise DutyError("report_doc.cannot_write", path=str(path), reason=exc.strerror) from exc


def _check_names(signer: str | None, contact: str | None, phone: str) -> None:
    """What the officer typed for the report's signatures, before a number is given."""
    problems: list[FieldProblem] = []
    check_name(problems, "report_signer", signer, required=False, max_length=50)
    check_name(problems, "report_contact", contact, required=False, max_length=50)
    check_text(problems, "report_contact_phone", phone, required=False, max_length=40)
    raise_if(problems)


def save_first_report(
    desk: Desk,
    incident_id: int,
    recorder: Person,
    *,
    signer: str | None = None,
    contact: str | None = None,
    phone: str = "",
    folder: Path | None = None,
) -> SavedFirstReport:
    """Give the incident its 文号 (once) and save its 首报 as text and as DOCX. The 签发人 is
    the incident's 审核人 and the 联系人 its 报告人 (else the officer), unless named."""
    _check_names(signer, contact, phone)
    incident = get_incident(desk, incident_id)
    number = report_number(desk, incident_id, recorder)
    report = build_first_report(
        desk,
        incident,
        number_label(number),
        signer=incident.reviewer if signer is None else signer,
        contact=(incident.reporter or recorder.name) if contact is None else contact,
        phone=phone,
    )
    target = folder or report_folder(desk)
    stem = f"first-report-{number.year}-{number.number:04d}-incident-{incident_id}"
    text_path, docx_path = target / f"{stem}.txt", target / f"{stem}.docx"
    _write(text_path, render_text(report).encode("utf-8"))
    _write(docx_path, render_docx(report))
    return SavedFirstReport(report.number, text_path, docx_path)
