"""Migration 0019: the roster tables come and go with an empty register, and a roster already
recorded is never dropped by a downgrade (its rows, triggers and chain links stay)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from dutydesk.services.archive.verify import verify_register
from dutydesk.services.roster import generate_month
from tests.roster_support import PLANNER, staff
from tests.test_call_place import _migrate

TABLES = {"roster", "roster_assignment", "roster_change", "roster_filing", "roster_phone"}


def _tables(path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_an_empty_roster_goes_down_and_comes_back(bare_desk):
    bare_desk.close()
    _migrate(bare_desk.path, "0018", down=True)
    assert not TABLES & _tables(bare_desk.path)
    _migrate(bare_desk.path, "heads")
    assert _tables(bare_desk.path) >= TABLES
    report = verify_register(bare_desk.path)
    assert report.ok and not TABLES & set(report.unguarded)


def test_a_recorded_roster_is_never_dropped(bare_desk):
    staff(bare_desk, leaders=2, officers=3)
    generate_month(bare_desk, 2026, 12, seed=1, by=PLANNER)
    bare_desk.close()
    _migrate(bare_desk.path, "0018", down=True)
    assert _tables(bare_desk.path) >= TABLES
    with closing(sqlite3.connect(bare_desk.path)) as conn:
        assert (
            conn.execute("SELECT COUNT(*) FROM roster_assignment").fetchone()[0] == 62 * 3
        )  # leader, officer, standby seats
    assert verify_register(bare_desk.path).ok
    _migrate(bare_desk.path, "heads")
    assert verify_register(bare_desk.path).ok
