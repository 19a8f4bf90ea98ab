"""The handover form (值班交接表) as a printable A4 Word document, laid out like the paper form:
the title, the shift and the people, each checklist section as a ruled table with its article,
what was not done and why, and the signatures block with a space for a handwritten signature.

Drawn from the same `Form` as the Markdown (services/handover_form.py), so the two never differ.
python-docx gives the package, the page and the tables' frames; the rows and paragraphs are
written as elements directly (handover_docx_xml), which is most of the time saved."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from dutydesk.i18n import t
from dutydesk.services.core.docx_parts import BODY_PT, setup_page
from dutydesk.services.handover.handover_docx_xml import add_row, paragraph, twips

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table

    from dutydesk.services.handover.handover_form import Form

HEADING_PT = 12  # 小四
HEADING_SPACE = 120  # twips before a heading: half its size (6 pt)
TITLE_PT = 18  # 小二
# Column widths in cm, each table filling the 17 cm between the margins.
FACT_WIDTHS = (4.0, 13.0)
ITEM_WIDTHS = (1.2, 6.3, 3.4, 2.6, 3.5)
SIGNER_WIDTHS = (3.0, 4.0, 4.5, 5.5)
SIGNER_ROW_CM = 1.2  # room for a handwritten signature on the printed form
TABLE_STYLE_ID = "TableGrid"  # the style "Table Grid" of python-docx's default template


def _table(document: DocxDocument, header: list[str] | None, rows: list[list[str]],
           widths: tuple[float, ...], row_height: float | None = None) -> Table:  # fmt: skip
    """A ruled table (python-docx makes its frame; its rows are written directly)."""
    table: Table = document.add_table(rows=0, cols=len(widths))  # unannotated in python-docx
    tbl = table._tbl
    tbl.tblStyle_val = TABLE_STYLE_ID  # as `table.style = "Table Grid"`, without a style search
    table.autofit = False
    cell_widths = [twips(width) for width in widths]
    height = twips(row_height) if row_height is not None else None
    if header:
        add_row(tbl, header, cell_widths, bold=True, size_pt=BODY_PT)
    for cells in rows:
        add_row(tbl, cells, cell_widths, bold=False, size_pt=BODY_PT, height_twips=height)
    return table


def render_docx(form: Form) -> bytes:
    from docx import Document

    document = Document()
    setup_page(document)
    document.core_properties.title = form.title
    end = document.element.body[-1]  # the section properties: every paragraph goes before it

    def say(text: str, *, bold: bool = False) -> None:
        paragraph(end, text, bold=bold, size_pt=BODY_PT)

    def heading(text: str) -> None:
        paragraph(end, text, bold=True, size_pt=HEADING_PT, heading_space_twips=HEADING_SPACE)

    paragraph(end, form.title, bold=True, size_pt=TITLE_PT, centred=True)
    if form.unsigned:
        say(form.unsigned, bold=True)
    _table(document, None, [[name, value] for name, value in form.facts], FACT_WIDTHS)
    item_header = [t("handover_form." + key) for key in ("no", "item", "cite", "state", "detail")]
    for section in form.sections:
        heading(section.title)
        if section.absent is not None:
            say(section.absent)
            continue
        rows = [[str(r.number), r.item, r.cite, r.state, r.detail] for r in section.rows]
        _table(document, item_header, rows, ITEM_WIDTHS)
    if form.exceptions:
        heading(t("handover_form.exceptions"))
        for exception in form.exceptions:
            say("• " + exception)
    heading(t("handover_form.signatures"))
    signer_header = [t("handover_form." + key)
                     for key in ("role", "name", "time", "hand_signature")]  # fmt: skip
    signers = [[s.role, s.name, s.signed_at, ""] for s in form.signers]
    if not signers:
        signers = [[t("handover_form.unsigned_short"), "", "", ""]]
    _table(document, signer_header, signers, SIGNER_WIDTHS, SIGNER_ROW_CM)
    if form.chain_head:  # beside the signatures: the paper copy anchors the register
        say(t("verify_anchor.form_head_line", head=form.chain_head))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
