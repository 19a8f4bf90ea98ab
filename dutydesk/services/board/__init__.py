"""The deadline board's composition: the open items of every register with a time limit."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    from dutydesk.services.board.board import (
        DEADLINE_SUBJECTS,
        SOURCES,
        BoardSource,
        board_items,
        board_key,
        incident_of_row,
        is_deadline_row,
    )

_HOMES = {
    "DEADLINE_SUBJECTS": "board",
    "SOURCES": "board",
    "BoardSource": "board",
    "board_items": "board",
    "board_key": "board",
    "incident_of_row": "board",
    "is_deadline_row": "board",
}
__all__ = [
    "DEADLINE_SUBJECTS",
    "SOURCES",
    "BoardSource",
    "board_items",
    "board_key",
    "incident_of_row",
    "is_deadline_row",
]
__getattr__ = lazy_names(__name__, _HOMES)
