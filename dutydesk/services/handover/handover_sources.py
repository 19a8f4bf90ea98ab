"""What the handover reads from the other registers: open report deadlines, spot-check rounds
against the quota, and their tables for the archive, in the handover's own small types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime

from dutydesk.services.documents import document_register_table
from dutydesk.services.incidents import handover_deadlines, register_table
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
    """Every report deadline still open, soonest first."""
    rows = handover_deadlines(desk)
    return [OpenDeadline(row.id, row.what, row.due_at, row.cite) for row in rows]


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
