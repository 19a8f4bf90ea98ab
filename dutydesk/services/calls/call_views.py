"""Call register lines as the outside world sees them: the lines of a list or a search, JSON for
the CLI, unit completion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutydesk.db import read_session
from dutydesk.models.types import from_storage

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from dutydesk.services.calls.calls import CallView
    from dutydesk.services.core import Desk

# Each original with its latest correction (if any) and its recorder's name, in one statement.
# Read as plain rows, not ORM objects: building 50 CallRecords and their Person rows through
# the ORM was most of a search's time (bench: ~2 ms of 2.2 ms p50 on ten years).
_CURRENT = ("received_at", "direction", "caller", "unit", "phone", "verified", "category",
            "summary", "handling", "follow_up", "place")  # fmt: skip
_VIEW_SQL = (
    "SELECT r.id, r.number, r.recorded_at, p.name, c.number, c.amend_reason, "
    + ", ".join(f"CASE WHEN c.id IS NULL THEN r.{name} ELSE c.{name} END" for name in _CURRENT)
    + " FROM call_record r"
    " LEFT JOIN call_record c ON c.id = "
    "(SELECT max(a.id) FROM call_record a WHERE a.amends_id = r.id)"
    " LEFT JOIN person p ON p.id = r.recorded_by_id"
    " WHERE r.id IN ({marks})"
)  # fmt: skip


def read_views(connection: Connection, root_ids: list[int]) -> list[CallView]:
    """The register lines of the originals `root_ids`, in that order, as they stand now."""
    from dutydesk.services.calls.calls import CallView

    if not root_ids:
        return []
    sql = _VIEW_SQL.format(marks=",".join("?" * len(root_ids)))
    rows = {row[0]: row for row in connection.exec_driver_sql(sql, tuple(root_ids))}
    views = []
    for root_id in root_ids:
        row = rows.get(root_id)
        if row is None:
            continue
        (_, number, recorded_at, name, amended_by, reason, received_at, direction, caller,
         unit, phone, verified, category, summary, handling, follow_up, place) = row  # fmt: skip
        views.append(
            CallView(
                id=root_id, number=number, received_at=from_storage(received_at),
                recorded_at=from_storage(recorded_at), direction=direction, caller=caller,
                unit=unit, phone=phone, verified=bool(verified), category=category,
                summary=summary, handling=handling, follow_up=bool(follow_up),
                recorded_by=name if name is not None else "?", place=place or "",
                amended_by=amended_by, amend_reason=reason if amended_by is not None else None,
            )
        )  # fmt: skip
    return views


def known_units(desk: Desk, limit: int = 500) -> list[str]:
    """Units seen in past calls, most frequent first: for completion in the form."""
    with read_session(desk.engine) as session:
        rows = session.connection().exec_driver_sql(
            "SELECT unit FROM (SELECT unit FROM call_record ORDER BY id DESC LIMIT 5000) "
            "GROUP BY unit ORDER BY COUNT(*) DESC LIMIT ?",
            (limit,),
        )
        return [row[0] for row in rows]


def call_to_json(view: CallView, timezone: str) -> dict[str, Any]:
    return {
        "number": view.number,
        "received_at": view.received_at.in_timezone(timezone).isoformat(),
        "recorded_at": view.recorded_at.in_timezone(timezone).isoformat(),
        "direction": view.direction,
        "caller": view.caller,
        "unit": view.unit,
        "place": view.place,
        "phone": view.phone,
        "verified": view.verified,
        "category": view.category,
        "summary": view.summary,
        "handling": view.handling,
        "follow_up": view.follow_up,
        "recorded_by": view.recorded_by,
        "amended_by": view.amended_by,
        "amend_reason": view.amend_reason,
        "amends": view.amends,
    }
