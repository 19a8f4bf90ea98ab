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

from dutydesk.services.documents import document_deadlines, order_deadlines
from dutydesk.services.incidents import DeadlineView, open_deadlines
from dutydesk.services.incidents.deadline_views import countdown, sort_key
from dutydesk.services.roster import filing_dues

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

BoardSource = Callable[["Desk", DateTime], list[DeadlineView]]

# The subjects whose items are Deadline rows (acknowledged with Ctrl+A, done with Ctrl+D).
DEADLINE_SUBJECTS = ("incident", "verification", "instruction")


def _report_deadlines(desk: Desk, at: DateTime) -> list[DeadlineView]:
    return open_deadlines(desk, at)


def roster_filings(desk: Desk, at: DateTime) -> list[DeadlineView]:
    """The rosters still to be filed with the upper office and the changes it is still to be
    told of (the roster's FilingDue), as board items: subject "roster", channel "filing". Once
    the desk keeps a roster, next month's is due even before it is made."""
    warning = desk.profile.incidents.warning_minutes
    dues = filing_dues(desk, at)
    if all(due.roster_id == 0 for due in dues):
        return []  # the desk keeps no roster here (yet): no reminder for a register not in use
    items: list[DeadlineView] = []
    for number, due in enumerate(dues):
        if due.filed_at is not None:
            continue
        status, left = countdown(due.due_at, None, at, warning)
        items.append(
            DeadlineView(
                id=number, subject="roster", subject_id=due.roster_id, label=due.label,
                rule_code="roster_filing", channel="filing", cite=due.cite,
                counts_from="roster_start", clock_at=due.due_at, occurred_at=None,
                received_at=due.due_at, minutes=None, due_at=due.due_at, done_at=None,
                late_minutes=None, acked_at=None, acked_status=None, status=status,
                seconds_left=left,
            )
        )  # fmt: skip
    return items


# Every register on the board, in no particular order (the board sorts). A register whose items
# are not DeadlineViews is adapted to one in its own function here (roster_filings).
SOURCES: list[tuple[str, BoardSource]] = [
    ("deadlines", _report_deadlines),
    ("documents", document_deadlines),
    ("orders", order_deadlines),
    ("roster", roster_filings),
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
    if view.subject == "order":  # an order's id is unique only with its step
        return f"order:{view.channel}:{view.id}"
    if view.subject == "roster":  # a roster and its changes share the roster's id
        return f"roster:{view.subject_id}:{view.due_at.int_timestamp if view.due_at else 0}"
    return f"{view.subject}:{view.id}"


def is_deadline_row(view: DeadlineView) -> bool:
    """Whether the item is a report deadline (a Deadline row that can be acknowledged)."""
    return view.subject in DEADLINE_SUBJECTS


def incident_of_row(desk: Desk, view: DeadlineView) -> int | None:
    """The incident a board row belongs to: an incident's deadline, or a 核报, 批示 or order
    linked to one (a 核报 of incident 1 asked for its number: new officer, session 16); None
    for any other row. Reads the register: the app calls it in a worker."""
    from dutydesk.services.documents import get_order_view
    from dutydesk.services.incidents import get_instruction, get_verification

    if view.subject == "incident":
        return view.subject_id
    if view.subject == "order":
        return get_order_view(desk, view.subject_id).order.incident_id
    if view.subject == "verification":
        return get_verification(desk, view.subject_id).incident_id
    if view.subject == "instruction":
        return get_instruction(desk, view.subject_id).incident_id
    return None
