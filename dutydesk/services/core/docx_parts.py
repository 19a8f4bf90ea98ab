"""The parts every printed Word document of the desk shares (the handover form, the 突发事件信息
报告): an A4 page with GB/T 9704 margins, 宋体 body text, and runs whose text is written as text
(python-docx escapes it; characters XML cannot hold are written as their escapes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

# Page and type: A4 portrait (GB/T 9704 paper size), 宋体 for Chinese text.
PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
MARGIN_TOP_CM = 2.5
MARGIN_BOTTOM_CM = 2.0
MARGIN_SIDE_CM = 2.0
FONT_WESTERN = "SimSun"
FONT_EAST_ASIAN = "宋体"
BODY_PT = 10.5  # 五号


def east_asian(element: object, name: str) -> None:
    """Set the East Asian font (w:eastAsia) on a run's or a style's properties."""
    from docx.oxml.ns import qn

    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]  # a run's or a style's element
    fonts = r_pr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def xml_safe(text: str) -> str:
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


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    size: float = BODY_PT,
    font: str = FONT_EAST_ASIAN,
) -> None:
    from docx.shared import Pt

    # add_run puts the text in w:t elements as it is (a tab or line break becomes w:tab/w:br):
    # nothing in it is read as markup or formatting
    run = paragraph.add_run(xml_safe(text))
    run.bold = bold
    run.font.name = FONT_WESTERN
    run.font.size = Pt(size)
    east_asian(run._element, font)


def setup_page(document: DocxDocument, body_pt: float = BODY_PT) -> None:
    """A4 portrait with the standard margins, the body text in 宋体."""
    from docx.shared import Cm, Pt

    section = document.sections[0]
    section.page_width = Cm(PAGE_WIDTH_CM)
    section.page_height = Cm(PAGE_HEIGHT_CM)
    section.top_margin = Cm(MARGIN_TOP_CM)
    section.bottom_margin = Cm(MARGIN_BOTTOM_CM)
    section.left_margin = section.right_margin = Cm(MARGIN_SIDE_CM)
    normal = document.styles["Normal"]
    normal.font.name = FONT_WESTERN
    normal.font.size = Pt(body_pt)
    east_asian(normal.element, FONT_EAST_ASIAN)
