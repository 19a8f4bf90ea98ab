"""The handover checklist's rows as the table shows them, and the line under the table that
gives the selected item in full when its row cuts the item, its article or its note (说明)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dutydesk.i18n import cite, t
from dutydesk.widgets.literal import literal, one_line

if TYPE_CHECKING:
    from rich.text import Text

    from dutydesk.services.handover import Item

NOTE_WIDTH, ITEM_WIDTH = 40, 60  # cells; a pending item's label carries its call's summary
CITE_WIDTH = 40  # a district's long citations would push the notes off the screen
STATE_STYLE = {
    "open": "bold red",
    "not_done": "yellow",
    "fault": "bold yellow",
}


def shown_note(item: Item, timezone: str) -> str:
    """The 说明 column: the note typed, or the time an arrival was marked at."""
    if (arrived := item.arrived_at) is not None:
        return t("handover_form.arrived_at", time=arrived.in_timezone(timezone).format("HH:mm"))
    return item.note


def row_cells(item: Item, timezone: str) -> tuple[Text, Text, Text, Text]:
    state = literal(item.state_text(), style=STATE_STYLE.get(item.state, "green"))
    label = literal(item.label(), width=ITEM_WIDTH)
    rule = literal(cite(item.cite), width=CITE_WIDTH)
    return (state, label, literal(shown_note(item, timezone), width=NOTE_WIDTH), rule)


def _cut(text: str, width: int) -> bool:
    return literal(text, width=width).plain != one_line(text)


def full_text(item: Item, timezone: str) -> str | None:
    """The item, its article and its note in full, when the row cuts any of them; else None."""
    label, rule, note = item.label(), cite(item.cite), shown_note(item, timezone)
    if not (_cut(label, ITEM_WIDTH) or _cut(rule, CITE_WIDTH) or _cut(note, NOTE_WIDTH)):
        return None
    full = t("handover_screen.full_item", item=label, cite=item.cite)
    return full + t("handover_screen.full_note", note=note) if note else full
