"""The handover form (值班交接表) as a printable A4 Word document, laid out like the paper form:
the title, the shift and the people, each checklist section as a ruled table with its article,
what was not done and why, and the signatures block with a space for a handwritten signature.

Drawn from the same `Form` as the Markdown (services/handover_form.py), so the two never differ."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from dutydesk.i18n import t

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from dutydesk.services.handover.handover_form import Form

# Page and type: A4 portrait (GB/T 9704 paper size), 宋体 for Chinese text.
PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
MARGIN_TOP_CM = 2.5
MARGIN_BOTTOM_CM = 2.0
MARGIN_SIDE_CM = 2.0
FONT_WESTERN = "SimSun"
FONT_EAST_ASIAN = "宋体"
BODY_PT = 10.5  # 五号
HEADING_PT = 12  # 小四
TITLE_PT = 18  # 小二
# Column widths in cm, each table filling the 17 cm between the margins.
FACT_WIDTHS = (4.0, 13.0)
ITEM_WIDTHS = (1.2, 6.3, 3.4, 2.6, 3.5)
SIGNER_WIDTHS = (3.0, 4.0, 4.5, 5.5)
SIGNER_ROW_CM = 1.2  # room for a handwritten signature on the printed form
TABLE_STYLE = "Table Grid"


def _east_asian(element: object, name: str) -> None:
    """Set the East Asian font (w:eastAsia) on a run's or a style's properties."""
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]  # a run's or a style's element
    fonts = r_pr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _xml_safe(text: str) -> str:
    """The text as plain run text: a character XML cannot hold (a control character saved
    before text was checked, a lone surrogate) is written as its escape, not a crash."""
    return "".join(
        ascii(char)[1:-1]
        if (ord(char) < 0x20 and char not in "\t\n\r")
        or 0xD800 <= ord(char) <= 0xDFFF
        or char in "\ufffe\uffff"
        else char
        for char in text
    )


def _run(paragraph: Paragraph, text: str, *, bold: bool = False, size: float = BODY_PT) -> None:
    from docx.shared import Pt

    # add_run puts the text in w:t elements as it is (a tab or line break becomes w:tab/w:br):
    # nothing in it is read as markup or formatting
    run = paragraph.add_run(_xml_safe(text))
    run.bold = bold
    run.font.name = FONT_WESTERN
    run.font.size = Pt(size)
    _east_asian(run._element, FONT_EAST_ASIAN)


def _setup(document: DocxDocument) -> None:
    from docx.shared import Cm, Pt

    section = document.sections[0]
    section.page_width = Cm(PAGE_WIDTH_CM)
    section.page_height = Cm(PAGE_HEIGHT_CM)
    section.top_margin = Cm(MARGIN_TOP_CM)
    section.bottom_margin = Cm(MARGIN_BOTTOM_CM)
    section.left_margin = section.right_margin = Cm(MARGIN_SIDE_CM)
    normal = document.styles["Normal"]
    normal.font.name = FONT_WESTERN
    normal.font.size = Pt(BODY_PT)
    _east_asian(normal.element, FONT_EAST_ASIAN)


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
            _run(cell.paragraphs[0], text, bold=header is not None and index == 0)
    return table


def _heading(document: DocxDocument, text: str) -> None:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(HEADING_PT / 2)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, bold=True, size=HEADING_PT)


def render_docx(form: Form) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    _setup(document)
    document.core_properties.title = form.title
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, form.title, bold=True, size=TITLE_PT)
    if form.unsigned:
        _run(document.add_paragraph(), form.unsigned, bold=True)
    _table(document, None, [[name, value] for name, value in form.facts], FACT_WIDTHS)
    item_header = [t("handover_form." + key) for key in ("no", "item", "cite", "state", "detail")]
    for section in form.sections:
        _heading(document, section.title)
        if section.absent is not None:
            _run(document.add_paragraph(), section.absent)
            continue
        rows = [[str(r.number), r.item, r.cite, r.state, r.detail] for r in section.rows]
        _table(document, item_header, rows, ITEM_WIDTHS)
    if form.exceptions:
        _heading(document, t("handover_form.exceptions"))
        for exception in form.exceptions:
            _run(document.add_paragraph(), "• " + exception)
    _heading(document, t("handover_form.signatures"))
    signer_header = [t("handover_form." + key)
                     for key in ("role", "name", "time", "hand_signature")]  # fmt: skip
    signers = [[s.role, s.name, s.signed_at, ""] for s in form.signers]
    if not signers:
        signers = [[t("handover_form.unsigned_short"), "", "", ""]]
    _table(document, signer_header, signers, SIGNER_WIDTHS, SIGNER_ROW_CM)
    if form.chain_head:  # beside the signatures: the paper copy anchors the register
        _run(document.add_paragraph(), t("verify_anchor.form_head_line", head=form.chain_head))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
