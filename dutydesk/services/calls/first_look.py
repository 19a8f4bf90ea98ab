"""The start-up's first look at a register: the office, who is on duty and the shift's calls,
read with the standard library's sqlite3 alone, so that the app shows them and takes keys while
SQLModel (a quarter of a second of imports, and more on a busy machine) loads behind it.

It reads what the services read, with the same statements where they are shared (call_view.py):
the shift on duty as roster.shift_covering finds it, the office as core.office_in_force has it,
the list as calls.list_calls(shift_id=...) gives it. Anything unexpected (a register not yet
migrated, a locked file) gives None: the app then waits for the full path, as before."""

from __future__ import annotations

import sqlite3
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.paths import profiles_dir
from dutydesk.services.calls.call_view import VIEW_SQL, CallView, view_from_row
from dutydesk.timestore import to_storage

if TYPE_CHECKING:
    from pendulum import DateTime

SHIFT_LIMIT = 200  # as many as the calls screen lists

_OFFICE_SQL = (
    "SELECT coalesce(s.name, o.name), coalesce(s.profile_id, o.profile_id),"
    " coalesce(s.timezone, o.timezone) FROM (SELECT * FROM office LIMIT 1) o"
    " LEFT JOIN (SELECT * FROM office_setting ORDER BY id DESC LIMIT 1) s"
)
_SHIFT_SQL = (
    "SELECT s.id, officer.name, leader.name FROM shift s"
    " JOIN person officer ON officer.id = s.officer_id"
    " LEFT JOIN person leader ON leader.id = s.leader_id"
    " WHERE s.starts_at <= ?"
    " AND s.id NOT IN (SELECT shift_id FROM shift_closure WHERE closed_at <= ?)"
    " ORDER BY s.id DESC LIMIT 1"
)
_ROOTS_SQL = "SELECT id FROM call_record WHERE coalesce(amends_id, 0) = 0"
_NEWEST_FIRST = " ORDER BY received_at DESC, id DESC LIMIT ?"


@dataclass(frozen=True)
class FirstLook:
    office_name: str
    timezone: str
    categories: list[str]  # the profile's call categories, for the form
    officer: str | None  # None: no shift is open
    leader: str | None
    calls: list[CallView]  # the shift's calls newest first (every call when no shift is open)
    more: bool = False  # there are more than SHIFT_LIMIT: `calls` are the newest


def _read_only(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    connection.execute("PRAGMA query_only = 1")
    return connection


def _categories(profile_id: str) -> list[str]:
    """The profile's call categories, from its file (validated by the full path's open)."""
    with open(profiles_dir() / f"{Path(profile_id).name}.toml", "rb") as handle:
        return list(tomllib.load(handle)["calls"]["categories"])


def _shift_calls(connection: sqlite3.Connection, shift_id: int | None) -> list[CallView]:
    """The shift's newest calls, one more than SHIFT_LIMIT if it has more."""
    if shift_id is None:
        ids = connection.execute(_ROOTS_SQL + _NEWEST_FIRST, (SHIFT_LIMIT + 1,))
    else:
        ids = connection.execute(
            _ROOTS_SQL + " AND shift_id = ?" + _NEWEST_FIRST, (shift_id, SHIFT_LIMIT + 1)
        )
    root_ids = [row[0] for row in ids]
    if not root_ids:
        return []
    sql = VIEW_SQL.format(marks=",".join("?" * len(root_ids)))
    rows = {row[0]: row for row in connection.execute(sql, root_ids)}
    return [view_from_row(rows[root_id]) for root_id in root_ids if root_id in rows]


def read_first_look(path: Path, now: DateTime) -> FirstLook | None:
    """What the first screen shows at `now`, or None when it cannot be read this way."""
    try:
        connection = _read_only(path)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")  # one snapshot: the shift and its calls agree
        office = connection.execute(_OFFICE_SQL).fetchone()
        if office is None:
            return None
        at = to_storage(now)
        shift = connection.execute(_SHIFT_SQL, (at, at)).fetchone()
        shift_id, officer, leader = shift if shift is not None else (None, None, None)
        calls = _shift_calls(connection, shift_id)
        more = len(calls) > SHIFT_LIMIT
        return FirstLook(
            office[0], office[2], _categories(office[1]), officer, leader, calls[:SHIFT_LIMIT], more
        )
    except (sqlite3.Error, OSError, KeyError, ValueError, tomllib.TOMLDecodeError):
        return None
    finally:
        connection.close()
