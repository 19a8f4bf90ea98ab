"""The deadline board's composition: every register's open items with a time limit, as
DeadlineViews, soonest first. Each register is one source in SOURCES; the board and the
header's count read `board_items`, never one register alone.

Only the report deadlines (Deadline rows: incidents, 核报, 批示) can be acknowledged or reported
done from the board; the other registers' items are handled where they are kept (a document is
passed on in the documents screen). Their ids are their own records' ids, so the board keys
every item by its subject as well (`board_key`): a document #3 and deadline #3 are two rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from pendulum import DateTime

from dutydesk.services.documents import document_deadlines
from dutydesk.services.incidents import DeadlineView, open_deadlines
from dutydesk.services.incidents.deadline_views import sort_key

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

BoardSource = Callable[["Desk", DateTime], list[DeadlineView]]

# The subjects whose items are Deadline rows (acknowledged with Ctrl+A, done with Ctrl+D).
DEADLINE_SUBJECTS = ("incident", "verification", "instruction")


def _report_deadlines(desk: Desk, at: DateTime) -> list[DeadlineView]:
    return open_deadlines(desk, at)


# Every register on the board, in no particular order (the board sorts). A register whose items
# are not DeadlineViews is adapted to one in its own function here (e.g. the roster's filing
# dues: subject "roster", id its roster id; orders: services/documents/orders.order_deadlines).
SOURCES: list[tuple[str, BoardSource]] = [
    ("deadlines", _report_deadlines),
    ("documents", document_deadlines),
]


def board_items(
    desk: Desk, at: DateTime, sources: Sequence[tuple[str, BoardSource]] | None = None
) -> list[DeadlineView]:
    """Every open item of every source, its state at `at`, soonest first."""
    items: list[DeadlineView] = []
    for _name, source in SOURCES if sources is None else sources:
        items.extend(source(desk, at))
    return sorted(items, key=sort_key)


def board_key(view: DeadlineView) -> str:
    """The item's key on the board, unique across sources: a report deadline by its number
    ("7"), any other item by its subject and number ("document:3")."""
    if view.subject in DEADLINE_SUBJECTS:
        return str(view.id)
    return f"{view.subject}:{view.id}"


def is_deadline_row(view: DeadlineView) -> bool:
    """Whether the item is a report deadline (a Deadline row that can be acknowledged)."""
    return view.subject in DEADLINE_SUBJECTS
