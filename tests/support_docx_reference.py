"""REFERENCE ONLY (tests): the handover form DOCX as python-docx built it before session 8, cell
by cell through its element helpers. The renderer now writes rows directly
(services/handover/handover_docx_xml.py); tests/test_handover_docx_same.py checks that both
make the same document part for part, so archives written before still verify."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from dutydesk.i18n import t
from dutydesk.services.core.docx_parts import add_run, setup_page

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table

    from dutydesk.services.handover.handover_form import Form

HEADING_PT = 12  # 小四
TITLE_PT = 18  # 小二
# Column widths in cm, each table filling the 17 cm between the margins.
FACT_WIDTHS = (4.0, 13.0)
ITEM_WIDTHS = (1.2, 6.3, 3.4, 2.6, 3.5)
SIGNER_WIDTHS = (3.0, 4.0, 4.5, 5.5)
SIGNER_ROW_CM = 1.2  # room for a handwritten signature on the printed form
TABLE_STYLE = "Table Grid"


def _table(document: DocxDocument, header: list[str] | None, rows: list[list[str]],
           widths: tuple[float, ...], row_height: float | None = None) -> Table:  # fmt: skip
    from docx.shared import Cm

    table: Table = document.add_table(rows=0, cols=len(widths))  # unannotated in python-docx
    table.style = document.styles[TABLE_STYLE]
    table.autofit = False
    for index, cells in enumerate(([header] if header else []) + rows):
        row = table.add_row()  # type: ignore[no-untyped-call]  # unannotated in python-docx
        if row_height is not None and not (header and index == 0):
            row.height = Cm(row_height)
        for cell, text, width in zip(row.cells, cells, widths, strict=True):
            cell.width = Cm(width)
            add_run(cell.paragraphs[0], text, bold=header is not None and index == 0)
    return table


def _heading(document: DocxDocument, text: str) -> None:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(HEADING_PT / 2)
    paragraph.paragraph_format.keep_with_next = True
    add_run(paragraph, text, bold=True, size=HEADING_PT)


def render_docx(form: Form) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    setup_page(document)
    document.core_properties.title = form.title
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(title, form.title, bold=True, size=TITLE_PT)
    if form.unsigned:
        add_run(document.add_paragraph(), form.unsigned, bold=True)
    _table(document, None, [[name, value] for name, value in form.facts], FACT_WIDTHS)
    item_header = [t("handover_form." + key) for key in ("no", "item", "cite", "state", "detail")]
    for section in form.sections:
        _heading(document, section.title)
        if section.absent is not None:
            add_run(document.add_paragraph(), section.absent)
            continue
        rows = [[str(r.number), r.item, r.cite, r.state, r.detail] for r in section.rows]
        _table(document, item_header, rows, ITEM_WIDTHS)
    if form.exceptions:
        _heading(document, t("handover_form.exceptions"))
        for exception in form.exceptions:
            add_run(document.add_paragraph(), "• " + exception)
    _heading(document, t("handover_form.signatures"))
    signer_header = [t("handover_form." + key)
                     for key in ("role", "name", "time", "hand_signature")]  # fmt: skip
    signers = [[s.role, s.name, s.signed_at, ""] for s in form.signers]
    if not signers:
        signers = [[t("handover_form.unsigned_short"), "", "", ""]]
    _table(document, signer_header, signers, SIGNER_WIDTHS, SIGNER_ROW_CM)
    if form.chain_head:  # beside the signatures: the paper copy anchors the register
        add_run(document.add_paragraph(), t("verify_anchor.form_head_line", head=form.chain_head))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
