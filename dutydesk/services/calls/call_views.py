"""Call register lines as the outside world sees them: the lines of a list or a search, JSON for
the CLI, unit completion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutydesk.db import read_session
from dutydesk.services.calls.call_view import VIEW_SQL, view_from_row

if TYPE_CHECKING:
    from dutydesk.services.calls.call_view import CallView
    from dutydesk.services.core import Desk
    from dutydesk.services.core.search import Reads


def read_views(connection: Reads, root_ids: list[int]) -> list[CallView]:
    """The register lines of the originals `root_ids`, in that order, as they stand now."""
    if not root_ids:
        return []
    sql = VIEW_SQL.format(marks=",".join("?" * len(root_ids)))
    rows = {row[0]: row for row in connection.exec_driver_sql(sql, tuple(root_ids))}
    return [view_from_row(rows[root_id]) for root_id in root_ids if root_id in rows]


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
