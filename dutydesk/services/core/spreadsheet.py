"""CSV cells that a spreadsheet cannot run. Excel, WPS and LibreOffice read a cell beginning with
=, +, - or @ (and, after a leading tab or carriage return, the same) as a formula: text a caller
dictated could then open a link, query a server or start a program on the reader's machine.
Such a cell is written with a leading apostrophe, so every spreadsheet shows it as text. WPS
also takes the full-width ＝＋－＠ that Chinese input methods type as formula starts, so they,
and every other form that folds to one of them (the small ﹦﹢﹣﹫: Unicode compatibility
folding, NFKC), are treated alike.

The program's own values (register numbers such as 2026-000001, times, counts, catalogue
labels) never begin with one of these characters, so every cell can go through `safe_cell`
and only text someone typed is ever changed."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell as text a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    first = unicodedata.normalize("NFKC", text[:1])
    return "'" + text if first.startswith(FORMULA_STARTS) else text


def safe_rows(rows: Iterable[Iterable[object]]) -> list[list[str]]:
    """Every cell of every row through `safe_cell` (header rows included)."""
    return [[safe_cell(cell) for cell in row] for row in rows]
