"""Every change of the office's settings, for `dutydesk verify`: when, by which administrator,
and what from what (issue 16).

What changed is worked out from the chained rows themselves (the office row, then each
office_setting row against the one before), not from the act's own description; who comes from
the chained person_act (kind `office_changed`) naming the setting. A change with no such act was
not made through DutyDesk: a failure, naming the change."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from dutydesk.models.office import CLOCK_TOLERANCE_S
from dutydesk.services.archive.anchors import AnchorProblem

FIELDS = ("name", "timezone", "profile_id", "clock_tolerance_s")


@dataclass(frozen=True)
class OfficeChange:
    setting_id: int
    at: str  # set_at, ISO 8601 in the zone in force before the change
    by: str | None  # the administrator who authorised it; None: nobody recorded
    changes: dict[str, list[Any]]  # field -> [from, to]

    def to_json(self) -> dict[str, Any]:
        return {"setting": self.setting_id, "at": self.at, "by": self.by, "changes": self.changes}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _authorisers(conn: sqlite3.Connection) -> dict[int, str]:
    """setting id -> the administrator whose act names it."""
    rows = conn.execute(
        "SELECT a.detail, p.name FROM person_act a LEFT JOIN person p ON p.id = a.authorised_by_id "
        "WHERE a.kind = 'office_changed' ORDER BY a.id"
    ).fetchall()
    found: dict[int, str] = {}
    for detail, name in rows:
        try:
            setting = json.loads(detail or "{}").get("office_setting")
        except (ValueError, AttributeError):
            continue
        if isinstance(setting, int) and name:
            found.setdefault(setting, name)
    return found


def _local(stored: str, zone: str) -> str:
    """A stored time in the zone the desk used when the change was made (ISO 8601)."""
    import pendulum

    try:
        moment = pendulum.parse(stored)
        assert isinstance(moment, pendulum.DateTime)
        return moment.in_timezone(zone).isoformat()
    except Exception:  # noqa: BLE001 - an unreadable time or zone is shown as stored
        return stored


def office_changes(conn: sqlite3.Connection) -> tuple[list[OfficeChange], list[AnchorProblem]]:
    """The changes in order, and a problem for each one no administrator's act names."""
    tables = _tables(conn)
    if not {"office", "office_setting"} <= tables:
        return [], []
    first = conn.execute("SELECT name, timezone, profile_id FROM office ORDER BY id LIMIT 1")
    row = first.fetchone()
    if row is None:
        return [], []
    state: dict[str, Any] = dict(zip(FIELDS, (*row, CLOCK_TOLERANCE_S), strict=True))
    who = _authorisers(conn) if {"person_act", "person"} <= tables else {}
    changes, problems = [], []
    settings = conn.execute(
        f"SELECT id, set_at, {', '.join(FIELDS)} FROM office_setting ORDER BY id"
    )
    for setting_id, set_at, *values in settings:
        after = dict(zip(FIELDS, values, strict=True))
        diff = {key: [state[key], after[key]] for key in FIELDS if state[key] != after[key]}
        at = _local(str(set_at), str(state["timezone"]))
        changes.append(OfficeChange(setting_id, at, who.get(setting_id), diff))
        if setting_id not in who:
            problems.append(AnchorProblem("office_unauthorised",
                                          {"setting": setting_id, "at": str(set_at)}))  # fmt: skip
        state = after
    return changes, problems
