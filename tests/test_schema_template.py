"""The schema template new registers copy in tests (support_schema.py) is exactly what running
every migration makes, and the copy is only taken for a register with no tables yet."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from dutydesk import db
from dutydesk.clock import FrozenClock
from dutydesk.services.core.desk import init_database
from tests.conftest import OFFICE
from tests.support_schema import REAL_MIGRATE


def _dump(path: Path) -> tuple[list[str], str, int]:
    with closing(sqlite3.connect(path)) as conn:
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        return list(conn.iterdump()), journal, page_size


def _made(path: Path, clock: FrozenClock) -> Path:
    init_database(path, OFFICE, "henan", clock).close()
    return path


def test_the_tests_copy_the_schema(tmp_path, clock):
    assert db.migrate is not REAL_MIGRATE  # else the comparisons below compare a path with itself
    copied = _dump(_made(tmp_path / "copied.sqlite3", clock))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("dutydesk.db.migrate", REAL_MIGRATE)
        patch.setattr("dutydesk.services.core.desk.migrate", REAL_MIGRATE)
        migrated = _dump(_made(tmp_path / "migrated.sqlite3", clock))
    statements, journal, page_size = copied
    assert any("CREATE TRIGGER" in line for line in statements)
    assert any('INSERT INTO "office"' in line for line in statements)
    assert (journal, page_size) == ("wal", 4096)
    assert copied == migrated


@pytest.mark.real_migrations
def test_the_marker_runs_the_real_migrations(tmp_path, clock):
    assert db.migrate is REAL_MIGRATE
    assert _dump(_made(tmp_path / "d.sqlite3", clock))[1] == "wal"


def test_a_register_with_tables_is_migrated_not_overwritten(tmp_path, clock):
    from alembic import command

    path = tmp_path / "old.sqlite3"
    engine = db.make_engine(path)
    with engine.begin() as connection:
        command.upgrade(db.alembic_config(connection), "0001")  # type: ignore[arg-type]
        connection.exec_driver_sql("CREATE TABLE kept_by_migrate (x INTEGER)")
    engine.dispose()
    engine = db.make_engine(path)
    db.migrate(engine)  # the copying migrate: the register has tables, so the real one runs
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        heads = {v for (v,) in conn.execute("SELECT version_num FROM alembic_version")}
    assert "kept_by_migrate" in tables
    assert heads == set(db.known_revisions()[1])
