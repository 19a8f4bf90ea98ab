"""Call register lines as the outside world sees them: the lines of a list or a search, JSON for
the CLI, unit completion."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from dutydesk.db import read_session
from dutydesk.services.calls.call_view import (
    CORRECTION_SQL,
    OWN_COLUMNS,
    VIEW_SQL,
    view_from_row,
)
from dutydesk.services.core.search import row_ids_sql

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


# The matching rows ({hits}: the index's newest), each one's original once, by its newest
# matching row (as search.matching_roots), and those originals' lines, in one statement: the
# ids, then the lines by id, were two, and a line's every field a CASE of the original's and its
# correction's (bench, ten years, both ways alternated in one process: 0.01-0.09 ms of a
# search's 0.5-1.2, the most for two terms and units). Each row ends with the newest matching
# row's id and how many rows matched (to ask the index for more, as matching_roots does).
SEARCH_SQL = (
    "WITH hit(id) AS ({hits}), root(id, newest) AS (SELECT coalesce(h.amends_id, h.id), "
    "max(hit.id) FROM hit JOIN call_record AS h ON h.id = hit.id GROUP BY 1 ORDER BY 2 DESC "
    f"LIMIT ?) SELECT {OWN_COLUMNS}, root.newest, (SELECT count(*) FROM hit) FROM root "
    "JOIN call_record AS r ON r.id = root.id LEFT JOIN person AS p ON p.id = r.recorded_by_id"
)
_NEWEST = itemgetter(-2)
_OWN = slice(0, -2)  # a SEARCH_SQL row as VIEW_SQL's: without the newest id and the count
_LATEST = 4  # where a SEARCH_SQL row has its latest correction's id, VIEW_SQL its number


def search_views(connection: Reads, query: str, limit: int) -> list[CallView]:
    """The lines of the originals whose line, or a correction of it, matches `query`, newest
    first: what read_views(matching_roots(...)) gives. Asks the index for a fifth more rows than
    `limit` first, and for more only when corrections matching beside their originals leave
    fewer than `limit` originals among them (see matching_roots)."""
    fetch = limit + limit // 5
    while True:
        found = row_ids_sql(query, fetch)
        if found is None:
            return []
        sql, params = found
        rows = connection.exec_driver_sql(SEARCH_SQL.format(hits=sql), (*params, limit)).fetchall()
        if len(rows) >= limit or not rows or rows[0][-1] < fetch:
            break
        fetch *= 2
    rows.sort(key=_NEWEST, reverse=True)
    if any(row[_LATEST] is not None for row in rows):
        return _with_corrections(connection, rows)
    return [view_from_row(row[_OWN]) for row in rows]


def _with_corrections(connection: Reads, rows: Sequence[Sequence[Any]]) -> list[CallView]:
    """The lines of SEARCH_SQL `rows`, each corrected one with its latest correction's text, as
    VIEW_SQL reads it (corrections are rare: ~0.3% of the bench's calls)."""
    latest = [row[_LATEST] for row in rows if row[_LATEST] is not None]
    sql = CORRECTION_SQL.format(marks=",".join("?" * len(latest)))
    corrections = {row[0]: row[1:] for row in connection.exec_driver_sql(sql, tuple(latest))}
    views = []
    for row in rows:
        correction = corrections.get(row[_LATEST]) if row[_LATEST] is not None else None
        own = row[_OWN] if correction is None else (*row[:_LATEST], *correction)
        views.append(view_from_row(own))
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
