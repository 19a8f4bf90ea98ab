"""Migration 0024: a register with documents and a phone list recorded before it gets its search
indexes filled with what is current (a document with its steps, the phone list in force); a
downgrade drops the indexes and their triggers only, and the register still verifies."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from dutydesk.services.archive.verify import verify_register
from dutydesk.services.documents import (
    ContactInput,
    add_contact,
    add_document,
    change_contact,
    route_document,
)
from dutydesk.services.lookup import register_index_problems
from tests.test_call_place import _migrate

INDEX_TABLES = {"search_position", "document_search", "document_fts", "document_grams",
                "contact_search", "contact_fts", "contact_grams"}  # fmt: skip


def _tables(path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _found(path, index: str, term: str) -> list[int]:
    with closing(sqlite3.connect(path)) as conn:
        sql = f"SELECT rowid FROM {index} WHERE {index} MATCH ? ORDER BY rowid"
        return [row[0] for row in conn.execute(sql, (f'"{term}"',))]


def test_records_from_before_are_indexed_as_they_stand_and_a_downgrade_drops_only_the_index(
    desk, officer
):
    document = add_document(desk, officer, direction="in", party="市气象局", kind="fax",
                            title="寒潮蓝色预警", urgency="jiaji", number="气〔2026〕5号")  # fmt: skip
    route_document(desk, officer, document.id, routed_to="应急科 张磊", channel="电话")
    first = add_contact(desk, officer, ContactInput("principal", "李明", unit="城关镇政府",
                        post="镇长", phone="022-23456789"))  # fmt: skip
    moved = ContactInput("principal", "李明", unit="城关镇政府", post="镇党委书记",
                         phone="022-23456789")  # fmt: skip
    second = change_contact(desk, first.id, officer, moved, reason="任职变动")
    desk.close()
    _migrate(desk.path, "0023", down=True)
    assert not INDEX_TABLES & _tables(desk.path)
    with closing(sqlite3.connect(desk.path)) as conn:
        triggers = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    assert not {t for t in triggers if t.endswith(("_search", "_search_new", "_ai", "_ad", "_au"))}
    assert verify_register(desk.path).ok  # the records and their chain are untouched

    _migrate(desk.path, "heads")
    assert _tables(desk.path) >= INDEX_TABLES
    assert _found(desk.path, "document_fts", "应急科") == [document.id]  # with its routing
    assert _found(desk.path, "document_grams", "寒潮") == [document.id]
    assert _found(desk.path, "contact_grams", "书记") == [second.id]  # the entry in force
    assert _found(desk.path, "contact_grams", "镇长") == []
    assert _found(desk.path, "contact_fts", "0222345") == [second.id]
    with closing(sqlite3.connect(desk.path)) as conn:
        assert register_index_problems(lambda sql, p: conn.execute(sql, p).fetchall()) == []
    assert verify_register(desk.path).ok
