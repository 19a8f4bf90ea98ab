"""Call register lines as the outside world sees them: JSON for the CLI, unit completion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutydesk.db import read_session

if TYPE_CHECKING:
    from dutydesk.services.calls.calls import CallView
    from dutydesk.services.core import Desk


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
