"""The handover form's rows, runs and paragraphs written as WordprocessingML elements directly.

A typical shift's form has hundreds of table rows and over a thousand runs; python-docx's
element helpers (each child inserted in schema order, each property a lookup) made building it
most of a handover pack's time (issue 16: 1.07 s CPU against 1 s). These builders make the
same elements, attribute for attribute and in the same order, as python-docx's `add_row`,
`cell.width`, `add_run`, `run.bold`, `font.size` and `paragraph_format` did, so the saved
document is the same part for part: an archive written before still verifies against a form
rendered now (export_files.same_content), and the tests compare both renderers."""

from __future__ import annotations

from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no types (python-docx uses it)

from dutydesk.services.core.docx_parts import FONT_EAST_ASIAN, FONT_WESTERN, xml_safe

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
EMU_PER_CM = 360000
EMU_PER_TWIP = 635


def twips(cm: float) -> int:
    """A length in cm as python-docx writes it in twips (rounded from EMU)."""
    return round(int(cm * EMU_PER_CM) / EMU_PER_TWIP)


def _element(parent: Any, tag: str, **attributes: str) -> Any:
    child = etree.SubElement(parent, W + tag)
    for name, value in attributes.items():
        child.set(W + name, value)
    return child


def _text(run: Any, text: str) -> None:
    """As python-docx's run content appender: a tab is w:tab, a line break w:br, the rest
    w:t (xml:space="preserve" when it starts or ends with white space)."""
    pending: list[str] = []

    def flush() -> None:
        if pending:
            value = "".join(pending)
            node = etree.SubElement(run, W + "t")
            node.text = value
            if len(value.strip()) < len(value):
                node.set(XML_SPACE, "preserve")
            pending.clear()

    for char in text:
        if char == "\t":
            flush()
            etree.SubElement(run, W + "tab")
        elif char in "\r\n":
            flush()
            etree.SubElement(run, W + "br")
        else:
            pending.append(char)
    flush()


def add_run(paragraph: Any, text: str, *, bold: bool, size_pt: float) -> None:
    """As docx_parts.add_run: 宋体 (SimSun), bold or explicitly not, the size in half points."""
    run = _element(paragraph, "r")
    properties = _element(run, "rPr")
    _element(properties, "rFonts", ascii=FONT_WESTERN, hAnsi=FONT_WESTERN,
             eastAsia=FONT_EAST_ASIAN)  # fmt: skip
    if bold:
        _element(properties, "b")
    else:
        _element(properties, "b", val="0")
    _element(properties, "sz", val=str(int(size_pt * 2)))
    _text(run, xml_safe(text))


def paragraph(
    before: Any, text: str, *, bold: bool, size_pt: float, centred: bool = False,
    heading_space_twips: int | None = None,
) -> None:  # fmt: skip
    """A body paragraph of one run, placed before `before` (the section properties). Made
    inside the document, then moved, so that it takes the document's `w` prefix."""
    node = _element(before.getparent(), "p")
    if centred or heading_space_twips is not None:
        properties = _element(node, "pPr")
        if heading_space_twips is not None:
            _element(properties, "keepNext")
            _element(properties, "spacing", before=str(heading_space_twips))
        if centred:
            _element(properties, "jc", val="center")
    add_run(node, text, bold=bold, size_pt=size_pt)
    before.addprevious(node)


def add_row(
    table: Any, cells: list[str], widths: list[int], *, bold: bool, size_pt: float,
    height_twips: int | None = None,
) -> None:  # fmt: skip
    """A table row: its height (exact) if given, each cell its width in twips and one run."""
    row = _element(table, "tr")
    if height_twips is not None:
        _element(_element(row, "trPr"), "trHeight", val=str(height_twips))
    for text, width in zip(cells, widths, strict=True):
        cell = _element(row, "tc")
        _element(_element(cell, "tcPr"), "tcW", type="dxa", w=str(width))
        add_run(_element(cell, "p"), text, bold=bold, size_pt=size_pt)
