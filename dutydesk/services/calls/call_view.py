"""A register line as the lists show it, and the one statement that reads lines as they stand
now. Standard library and pendulum only: the start-up's first look (first_look.py) reads the
shift's calls with sqlite3 while SQLModel is still loading."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from pendulum import DateTime

from dutydesk.timestore import from_storage


@dataclass(frozen=True)
class CallView:
    """A register line as shown: the original's number and time of recording, the current text
    (from the latest amendment, if any)."""

    id: int
    number: str
    received_at: DateTime
    recorded_at: DateTime
    direction: str
    caller: str
    unit: str
    phone: str
    verified: bool
    category: str
    summary: str
    handling: str
    follow_up: bool
    recorded_by: str
    place: str = ""
    amended_by: str | None = None
    amend_reason: str | None = None
    amends: str | None = None  # for an amendment line: the number it corrects


# Each original with its latest correction (if any) and its recorder's name, in one statement.
# Read as plain rows, not ORM objects: building 50 CallRecords and their Person rows through
# the ORM was most of a search's time (bench: ~2 ms of 2.2 ms p50 on ten years).
_CURRENT = ("received_at", "direction", "caller", "unit", "phone", "verified", "category",
            "summary", "handling", "follow_up", "place")  # fmt: skip
VIEW_SQL = (
    "SELECT r.id, r.number, r.recorded_at, p.name, c.number, c.amend_reason, "
    + ", ".join(f"CASE WHEN c.id IS NULL THEN r.{name} ELSE c.{name} END" for name in _CURRENT)
    + " FROM call_record r"
    " LEFT JOIN call_record c ON c.id = "
    "(SELECT max(a.id) FROM call_record a WHERE a.amends_id = r.id)"
    " LEFT JOIN person p ON p.id = r.recorded_by_id"
    " WHERE r.id IN ({marks})"
)  # fmt: skip


_FIELDS = tuple(field.name for field in fields(CallView))
_NEW = object.__new__


def view_from_row(row: Sequence[Any]) -> CallView:
    """A row of VIEW_SQL as a register line: equal to CallView(...) with the same values. Its
    fields are set in one dict update, as a frozen dataclass's __init__ sets each of its 18
    through object.__setattr__: half of a line's cost when a search lists 50 (bench: 5.9 ->
    3.0 us a line); tests/test_call_search_cover.py compares the two."""
    (root_id, number, recorded_at, name, amended_by, reason, received_at, direction, caller,
     unit, phone, verified, category, summary, handling, follow_up, place) = row  # fmt: skip
    view = _NEW(CallView)
    view.__dict__.update(zip(_FIELDS, (
        root_id, number, from_storage(received_at), from_storage(recorded_at), direction,
        caller, unit, phone, bool(verified), category, summary, handling, bool(follow_up),
        name if name is not None else "?", place or "", amended_by,
        reason if amended_by is not None else None, None,
    ), strict=True))  # fmt: skip
    return view
