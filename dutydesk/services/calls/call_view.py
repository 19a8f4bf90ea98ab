"""A register line as the lists show it, and the one statement that reads lines as they stand
now. Standard library and pendulum only: the start-up's first look (first_look.py) reads the
shift's calls with sqlite3 while SQLModel is still loading."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
LATEST_SQL = "SELECT max(a.id) FROM call_record a WHERE a.amends_id = r.id"  # r's latest correction
VIEW_SQL = (
    "SELECT r.id, r.number, r.recorded_at, p.name, c.number, c.amend_reason, "
    + ", ".join(f"CASE WHEN c.id IS NULL THEN r.{name} ELSE c.{name} END" for name in _CURRENT)
    + f" FROM call_record r LEFT JOIN call_record c ON c.id = ({LATEST_SQL})"
    " LEFT JOIN person p ON p.id = r.recorded_by_id"
    " WHERE r.id IN ({marks})"
)  # fmt: skip
# The columns of a VIEW_SQL row as the original itself holds them, its latest correction's id
# where VIEW_SQL has that correction's number (search_views: a correction is rare, its text is
# read apart), and what a correction holds in their place (CORRECTION_SQL, by correction id).
OWN_COLUMNS = (f"r.id, r.number, r.recorded_at, p.name, ({LATEST_SQL}), NULL, "
               + ", ".join(f"r.{name}" for name in _CURRENT))  # fmt: skip
CORRECTION_SQL = (f"SELECT id, number, amend_reason, {', '.join(_CURRENT)} FROM call_record "
                  "WHERE id IN ({marks})")  # fmt: skip


_NEW = object.__new__
_SET = object.__setattr__


def view_from_row(row: Sequence[Any]) -> CallView:
    """A row of VIEW_SQL as a register line: equal to CallView(...) with the same values, its
    attributes in the same order. Its __dict__ is given whole, as one dict display, as a frozen
    dataclass's __init__ sets each of its 18 fields through object.__setattr__: most of a line's
    cost when a search lists 50 (bench: 5.9 -> 3.0 us a line by a dict update of zip(), 3.0 ->
    1.9 us by the display); tests/test_call_search_cover.py compares the two."""
    (root_id, number, recorded_at, name, amended_by, reason, received_at, direction, caller,
     unit, phone, verified, category, summary, handling, follow_up, place) = row  # fmt: skip
    view = _NEW(CallView)
    _SET(view, "__dict__", {
        "id": root_id, "number": number, "received_at": from_storage(received_at),
        "recorded_at": from_storage(recorded_at), "direction": direction, "caller": caller,
        "unit": unit, "phone": phone, "verified": bool(verified), "category": category,
        "summary": summary, "handling": handling, "follow_up": bool(follow_up),
        "recorded_by": name if name is not None else "?", "place": place or "",
        "amended_by": amended_by, "amend_reason": reason if amended_by is not None else None,
        "amends": None,
    })  # fmt: skip
    return view
