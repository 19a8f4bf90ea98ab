"""Migrations 0019_orders and 0019_contacts: empty tables go on a downgrade and come back on the
upgrade; recorded orders and contacts are never dropped (tables, triggers and links stay), and
the register still verifies."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from dutydesk.services.archive.verify import verify_register
from dutydesk.services.documents import ContactInput, add_contact
from tests.test_call_place import _migrate

TABLES = {"duty_order", "order_decision", "order_dispatch", "order_follow_up", "contact"}


def _tables(path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_empty_tables_go_down_and_come_back(desk):
    desk.close()
    _migrate(desk.path, "0021", down=True)
    assert not TABLES & _tables(desk.path)
    _migrate(desk.path, "heads")
    assert _tables(desk.path) >= TABLES
    report = verify_register(desk.path)
    assert report.ok and not TABLES & set(report.unguarded)


def test_a_recorded_contact_is_never_dropped(desk, officer):
    add_contact(desk, officer, ContactInput("unit", "城关镇政府值班室", phone="0371-6688001"))
    desk.close()
    _migrate(desk.path, "0021", down=True)
    assert "contact" in _tables(desk.path)
    assert verify_register(desk.path).ok
    _migrate(desk.path, "heads")
    assert verify_register(desk.path).ok
