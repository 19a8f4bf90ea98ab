"""What the handover reads from the other registers: open report deadlines, spot-check rounds
against the quota, and their tables for the archive, in the handover's own small types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime

from dutydesk.services.board import board_items, board_key, is_deadline_row
from dutydesk.services.documents import document_register_table
from dutydesk.services.incidents import register_table
from dutydesk.services.spotcheck import check_table, handover_quota

if TYPE_CHECKING:
    from dutydesk.models import Shift
    from dutydesk.services.core import Desk


@dataclass(frozen=True)
class OpenDeadline:
    id: int
    what: str  # as shown: the report and the incident
    due_at: DateTime | None  # None: "as soon as possible", no fixed limit
    cite: str
    key: str = ""  # the board's key of an item not a report deadline ("roster:3:1764...")
    full_what: str = ""  # `what` with its typed text uncut (the form carries the full text)


@dataclass(frozen=True)
class QuotaState:
    rounds_done: int
    rounds_required: int | None  # None: the profile sets no quota
    cite: str
    detail: str = ""  # e.g. the units covered in each round


@dataclass(frozen=True)
class Table:
    """A register as rows of text, for a CSV in the archive."""

    header: list[str]
    rows: list[list[str]]


def open_deadlines(desk: Desk) -> list[OpenDeadline]:
    """Every open item of the deadline board, soonest first: the board's composition (report
    deadlines, orders, roster filings and 调班替岗 reports), so the handover passes on what the
    board shows. Documents are left out: the checklist takes over every open one on its own."""
    rows = [row for row in board_items(desk, desk.now()) if row.subject != "document"]
    return [
        OpenDeadline(row.id, row.what, row.due_at, row.cite,
                     "" if is_deadline_row(row) else board_key(row), row.full_what)
        for row in rows
    ]  # fmt: skip


def spotcheck_quota(desk: Desk, shift: Shift) -> QuotaState:
    """Spot-check rounds done in `shift` against the quota."""
    state = handover_quota(desk, shift)
    return QuotaState(state.rounds_done, state.rounds_required, state.cite, state.detail)


def incident_register(desk: Desk, shift: Shift) -> Table:
    """突发事件信息登记表 of the shift."""
    header, rows = register_table(desk, shift)
    return Table(list(header), [list(row) for row in rows])


def spotcheck_table(desk: Desk, shift: Shift) -> Table:
    """值班抽查表 of the shift."""
    header, rows = check_table(desk, shift)
    return Table(list(header), [list(row) for row in rows])


def document_register(desk: Desk, shift: Shift) -> Table:
    """收发文登记簿: the shift's documents and every one still open."""
    header, rows = document_register_table(desk, shift)
    return Table(header, rows)
