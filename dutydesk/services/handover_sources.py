"""What the handover reads from the other registers, when they exist: open report deadlines
(incidents/deadlines issue) and spot-check rounds against the quota (spot-check issue), and
their tables for the archive. Each function returns None when its service is not there, so the
checklist and the export show a section as soon as its data exists and never invent any."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from pendulum import DateTime

if TYPE_CHECKING:
    from dutydesk.models import Shift
    from dutydesk.services.desk import Desk


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


def _service(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"dutydesk.services.{name}")
    except ImportError:
        return None


def open_deadlines(desk: Desk) -> list[OpenDeadline] | None:
    """Every report deadline still open, soonest first; None without the deadlines service."""
    module = _service("deadlines")
    if module is None or not hasattr(module, "handover_deadlines"):
        return None
    try:
        rows = module.handover_deadlines(desk)
    except ImportError:  # the service is there but a module it needs is not (yet)
        return None
    return [OpenDeadline(row.id, row.what, row.due_at, row.cite) for row in rows]


def spotcheck_quota(desk: Desk, shift: Shift) -> QuotaState | None:
    """Spot-check rounds done in `shift` against the quota; None without the service."""
    module = _service("spotcheck")
    if module is None or not hasattr(module, "handover_quota"):
        return None
    state = module.handover_quota(desk, shift)
    return QuotaState(state.rounds_done, state.rounds_required, state.cite, state.detail)


def incident_register(desk: Desk, shift: Shift) -> Table | None:
    """突发事件信息登记表 of the shift; None without the incidents service."""
    module = _service("incidents")
    if module is None or not hasattr(module, "register_table"):
        return None
    try:
        header, rows = module.register_table(desk, shift)
    except ImportError:
        return None
    return Table(list(header), [list(row) for row in rows])


def spotcheck_table(desk: Desk, shift: Shift) -> Table | None:
    """值班抽查表 of the shift; None without the spot-check service."""
    module = _service("spotcheck")
    if module is None or not hasattr(module, "check_table"):
        return None
    header, rows = module.check_table(desk, shift)
    return Table(list(header), [list(row) for row in rows])
