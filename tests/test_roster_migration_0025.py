"""Migration 0025: a change's original person may be absent (a 替岗 filling an empty seat). The
table is rebuilt with its rows, its append-only triggers and its chain links, while filings
refer to its rows; a downgrade never drops or rewrites a change that filled an empty seat."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.core.desk import init_database
from dutydesk.services.roster import (
    Spot,
    file_roster,
    generate_month,
    month_roster,
    report_change,
    set_pin,
    substitute,
)
from tests.roster_support import PLANNER, staff
from tests.support_people import authority_for
from tests.test_call_place import _migrate

PIN = "583920"


def _notnull(path) -> bool:
    with closing(sqlite3.connect(path)) as conn:
        columns = conn.execute("PRAGMA table_info(roster_change)").fetchall()
    return next(bool(c[3]) for c in columns if c[1] == "from_person_id")


def _refuses_update(path) -> bool:
    with closing(sqlite3.connect(path)) as conn:
        try:
            conn.execute("UPDATE roster_change SET reason = 'x'")
        except sqlite3.DatabaseError:
            return True
    return False


@pytest.mark.real_migrations
def test_the_change_table_is_rebuilt_with_its_rows_triggers_and_links(tmp_path):
    clock = FrozenClock(pendulum.parse("2026-11-20T10:00:00+08:00"))  # type: ignore[arg-type]
    desk = init_database(tmp_path / "m.sqlite3", "测试值班室", "tianjin", clock)
    names = staff(desk, leaders=3, officers=7)
    set_pin(desk, names["leader"][0], PIN, PIN, authority=authority_for(desk))
    generated = generate_month(desk, 2026, 12, seed=11, by=PLANNER)
    file_roster(desk, generated.roster_id, sent_to="市政府总值班室", channel="fax", by=PLANNER,
                out_dir=tmp_path)  # fmt: skip
    day = date(2026, 12, 5)
    cell = next(c for d in month_roster(desk, 2026, 12).days if d.day == day for c in d.cells)
    idle = next(n for n in names["officer"] if n not in cell.officers)
    change = substitute(desk, generated.roster_id, Spot(day, cell.slot_code, "officer"), idle,
                        reason="出差", approver=names["leader"][0], pin=PIN)  # fmt: skip
    report_change(desk, change.id, sent_to="市政府总值班室", channel="fax", by=PLANNER)  # type: ignore[arg-type]
    path = desk.path
    desk.close()
    assert not _notnull(path)
    _migrate(path, "0024", down=True)
    assert _notnull(path) and _refuses_update(path) and verify_register(path).ok
    _migrate(path, "heads")
    assert not _notnull(path) and _refuses_update(path) and verify_register(path).ok
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM roster_change").fetchone()[0] == 1
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO roster_change (roster_id, kind, day, slot_code, role, seat, "
                     "from_person_id, to_person_id, reason, approved_by_id, cite, recorded_at) "
                     "SELECT roster_id, kind, day, slot_code, 'standby', 0, NULL, to_person_id, "
                     "reason, approved_by_id, cite, recorded_at FROM roster_change")  # fmt: skip
        conn.commit()
    _migrate(path, "0024", down=True)  # a change that filled an empty seat keeps the column
    assert not _notnull(path)
