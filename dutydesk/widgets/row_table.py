"""A table read row by row (the handover checklist): Home and End go to its first and last row.
DataTable's go to the first and last column, which fit the width, so they did nothing (new
officer, session 15; the call list has had the same since session 13)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable[str]):
    BINDINGS = [
        Binding("home", "scroll_top", show=False),
        Binding("end", "scroll_bottom", show=False),
    ]
