"""The SQLite store: engine settings, append-only tables, the migrations against the models, the
schema check that decides whether a file can be opened, and how times are stored."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pendulum
import pytest

from dutydesk import db
from dutydesk.db import SchemaState, known_revisions, make_engine, schema_state
from dutydesk.errors import DutyError
from dutydesk.models.types import from_storage, to_storage
from dutydesk.services.calls.calls import CallDraft, get_call, save_call
from dutydesk.services.core.desk import open_desk
from dutydesk.services.core.search_catch_up import MARKS
from dutydesk.services.handover.pending import close_item, open_items
from dutydesk.services.lookup.register_sql import REGISTER_INDEXES
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)

# Tables whose rows DutyDesk may change: the office's one row, the number counters and the mark
# of the last call the search indexes hold (derived, like the indexes).
MUTABLE = {"office", "register_sequence", MARKS}
DERIVED_TABLES = {"search_position", MARKS, *(index.table for index in REGISTER_INDEXES)}
# The tables of migration 0001 that must refuse UPDATE and DELETE.
APPEND_ONLY_0001 = (
    "call_record",
    "pending_item",
    "pending_closure",
    "person",
    "shift",
    "audit_link",
)


def _tables(path: Path) -> dict[str, set[str]]:
    """Ordinary tables and their columns, leaving out SQLite's, Alembic's, the FTS virtual tables
    and their shadow tables."""
    with closing(sqlite3.connect(path)) as conn, conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        virtual = [name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL")]
        names = [
            name
            for name, _sql in rows
            if not name.startswith("sqlite_")
            and name != "alembic_version"
            and name not in DERIVED_TABLES  # search indexes, not records (services/lookup)
            and name not in virtual
            and not any(name.startswith(v + "_") for v in virtual)
        ]
        return {
            name: {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')} for name in names
        }


def _set_revision(path: Path, *revisions: str) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("DELETE FROM alembic_version")
        conn.executemany("INSERT INTO alembic_version VALUES (?)", [(r,) for r in revisions])


def _revisions_in(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn, conn:
        return {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}


# ---------------------------------------------------------------- engine


def test_engine_factory_sets_the_pragmas_and_creates_no_file(tmp_path):
    path = tmp_path / "pragmas.sqlite3"
    engine = make_engine(path)
    assert not path.exists()
    try:
        with engine.connect() as conn:
            pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == db.BUSY_TIMEOUT_MS > 0
    finally:
        engine.dispose()


def test_no_engine_or_sqlalchemy_at_import_time():
    code = (
        "import sys, dutydesk.db, dutydesk.services.core.desk, dutydesk.cli; "
        "print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_foreign_keys_are_enforced(desk):
    with pytest.raises(sqlite3.IntegrityError), closing(sqlite3.connect(desk.path)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(
            "INSERT INTO pending_item (created_at, text, created_by_id) VALUES ('x', 'y', 999)"
        )


# ---------------------------------------------------------------- append-only


@pytest.fixture
def filled(desk, officer, clock):
    """One row in each table of migration 0001."""
    save_call(
        desk, CallDraft("李红", "城关镇", "0371-66000000", "人民路积水", follow_up=True), officer
    )
    close_item(desk, open_items(desk)[0].id, officer, "已办结")
    return desk


@pytest.mark.parametrize("table", APPEND_ONLY_0001)
def test_append_only_tables_refuse_update_and_delete(filled, table):
    with closing(sqlite3.connect(filled.path)) as conn, conn:
        before = conn.execute(f"SELECT * FROM {table}").fetchall()
        assert before, f"no row in {table} to try"
        column = conn.execute(f'PRAGMA table_info("{table}")').fetchall()[0][1]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(f"UPDATE {table} SET {column} = {column}")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(f"DELETE FROM {table}")
        assert conn.execute(f"SELECT * FROM {table}").fetchall() == before


def test_every_table_but_the_counters_has_append_only_triggers(desk):
    """House rule: records are never changed; each new table gets both triggers."""
    with closing(sqlite3.connect(desk.path)) as conn, conn:
        triggers = conn.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
    guarded: dict[str, set[str]] = {}
    for table, sql in triggers:
        text = " ".join(sql.upper().split())
        if "RAISE(ABORT" in text:
            for event in ("UPDATE", "DELETE"):
                if f"BEFORE {event} ON" in text:
                    guarded.setdefault(table, set()).add(event)
    missing = {
        table: sorted({"UPDATE", "DELETE"} - guarded.get(table, set()))
        for table in _tables(desk.path)
        if table not in MUTABLE and guarded.get(table) != {"UPDATE", "DELETE"}
    }
    assert not missing, f"tables without append-only triggers: {missing}"


# ---------------------------------------------------------------- migrations vs models


def test_migrations_create_exactly_the_tables_and_columns_of_the_models(bare_desk):
    from sqlmodel import SQLModel

    import dutydesk.models  # noqa: F401  (registers every table)

    expected = {
        name: {column.name for column in table.columns}
        for name, table in SQLModel.metadata.tables.items()
    }
    actual = _tables(bare_desk.path)
    assert sorted(actual) == sorted(expected)
    for name, columns in expected.items():
        assert actual[name] == columns, f"{name}: columns differ"


def test_the_search_indexes_exist(bare_desk):
    with closing(sqlite3.connect(bare_desk.path)) as conn, conn:
        virtual = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        }
    assert {"call_fts", "call_bigram"} <= virtual


def test_a_new_register_is_at_every_head(bare_desk):
    _revisions, heads = known_revisions()
    assert _revisions_in(bare_desk.path) == set(heads)


# ---------------------------------------------------------------- schema state


def test_schema_state_missing_uninitialised_current(tmp_path, bare_desk):
    assert schema_state(tmp_path / "nothing.sqlite3") is SchemaState.missing
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert schema_state(empty) is SchemaState.empty
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE notes (x)")
    assert schema_state(other) is SchemaState.uninitialised
    assert schema_state(bare_desk.path) is SchemaState.current
    with pytest.raises(DutyError) as refused:
        open_desk(other)
    assert refused.value.key == "db.not_a_register"


def test_schema_state_not_a_database(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is a spreadsheet, not a register\n" * 200)
    assert schema_state(junk) is SchemaState.not_a_database
    with pytest.raises(DutyError) as refused:
        open_desk(junk)
    assert refused.value.key == "db.damaged"
    assert junk.read_bytes() == b"this is a spreadsheet, not a register\n" * 200


def test_a_register_from_a_newer_dutydesk_is_refused_and_left_alone(bare_desk):
    path = bare_desk.path
    bare_desk.close()
    _set_revision(path, "9999_from_a_newer_dutydesk")
    assert schema_state(path) is SchemaState.newer
    with pytest.raises(DutyError) as refused:
        open_desk(path)
    assert refused.value.key == "db.unknown_version"
    assert str(path) in refused.value.message()
    assert "9999_from_a_newer_dutydesk" in refused.value.message()
    assert _revisions_in(path) == {"9999_from_a_newer_dutydesk"}


@pytest.fixture
def versions_dir(tmp_path, monkeypatch):
    """A migrations folder of our own: the real scripts plus whatever a test writes."""
    folder = tmp_path / "versions"
    folder.mkdir()
    for script in db._VERSIONS_DIR.glob("*.py"):
        (folder / script.name).write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(db, "_VERSIONS_DIR", folder)
    known_revisions.cache_clear()
    yield folder
    known_revisions.cache_clear()


def test_known_revisions_reads_revisions_and_heads_from_the_scripts(versions_dir):
    real, real_heads = known_revisions()
    assert "0001" in real and real_heads <= real
    (versions_dir / "9001_next.py").write_text(
        'revision = "9001"\ndown_revision = ' + repr(tuple(sorted(real_heads))) + "\n",
        encoding="utf-8",
    )
    (versions_dir / "README.txt").write_text('revision = "not a script"\n', encoding="utf-8")
    (versions_dir / "helpers.py").write_text("# no revision here\n", encoding="utf-8")
    known_revisions.cache_clear()
    revisions, heads = known_revisions()
    assert revisions == real | {"9001"}
    assert heads == {"9001"}


def test_a_register_from_an_older_dutydesk_is_older(bare_desk, versions_dir):
    _real, real_heads = known_revisions()
    (versions_dir / "9001_next.py").write_text(
        f'revision = "9001"\ndown_revision = {tuple(sorted(real_heads))!r}\n', encoding="utf-8"
    )
    known_revisions.cache_clear()
    assert schema_state(bare_desk.path) is SchemaState.older


def test_a_register_at_a_shipped_non_head_revision_is_older(bare_desk):
    revisions, heads = known_revisions()
    non_heads = sorted(revisions - heads)
    if not non_heads:
        pytest.skip("only one migration ships: no older revision to fake")
    path = bare_desk.path
    bare_desk.close()
    _set_revision(path, non_heads[0])
    assert schema_state(path) is SchemaState.older


def test_a_register_made_at_the_first_revision_opens_and_is_migrated(tmp_path, clock):
    from alembic import command

    _revisions, heads = known_revisions()
    if heads == {"0001"}:
        pytest.skip("only the first migration ships: nothing to migrate to")
    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(db.alembic_config(connection), "0001")  # type: ignore[arg-type]
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO office (id, name, profile_id, timezone, created_at) VALUES "
            "(1, '旧值班室', 'tianjin', 'Asia/Shanghai', '2025-01-02T00:00:00.000000+00:00')"
        )
    assert schema_state(path) is SchemaState.older
    opened = open_desk(path, clock)
    try:
        assert opened.office.name == "旧值班室"
    finally:
        opened.close()
    assert schema_state(path) is SchemaState.current


# ---------------------------------------------------------------- times


def test_times_are_stored_as_utc_text_and_read_back_aware(desk, officer, clock):
    received = pendulum.parse("2026-11-23T09:15:30+08:00")
    record = save_call(
        desk, CallDraft("李红", "城关镇", "66000000", "停电", received_at=received), officer
    )  # type: ignore[arg-type]
    with closing(sqlite3.connect(desk.path)) as conn, conn:
        raw = conn.execute(
            "SELECT received_at, recorded_at FROM call_record WHERE id = ?", (record.id,)
        ).fetchone()
    assert raw == ("2026-11-23T01:15:30.000000+00:00", "2026-11-23T02:00:00.000000+00:00")
    view, _history = get_call(desk, record.number)
    assert view.received_at.tzinfo is not None
    assert view.received_at == received and view.recorded_at == clock.now()
    assert view.received_at.in_timezone(desk.timezone).isoformat() == "2026-11-23T09:15:30+08:00"


def test_stored_time_text_sorts_in_time_order_and_naive_times_are_refused():
    early = to_storage(pendulum.parse("2026-11-23T23:00:00+08:00"))  # type: ignore[arg-type]
    late = to_storage(pendulum.parse("2026-11-23T16:00:00+00:00"))  # type: ignore[arg-type]
    assert early < late and len(early) == len(late) == 32
    assert from_storage(late) == pendulum.parse("2026-11-24T00:00:00+08:00")
    with pytest.raises(ValueError):
        to_storage(datetime(2026, 11, 23, 9, 0))


def test_migration_0008_downgrades_by_copying_each_row_back_into_its_link(desk, officer):
    """Down to 0007 the links hold the rows' canonical copies again; up again drops them."""
    from alembic import command

    from dutydesk.db import alembic_config, make_engine
    from dutydesk.services.archive.verify import verify_register
    from dutydesk.services.calls.calls import CallDraft, save_call
    from dutydesk.services.core.audit import canonical, link_hash

    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="110", summary="积水"), officer)
    engine = make_engine(desk.path)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0007")  # type: ignore[arg-type]
    with engine.connect() as connection:
        links = connection.exec_driver_sql(
            "SELECT seq, kind, record_id, payload, prev_hash, hash FROM audit_link"
        ).all()
        for seq, kind, record_id, payload, prev_hash, digest in links:
            row = (
                connection.exec_driver_sql(f'SELECT * FROM "{kind}" WHERE id = ?', (record_id,))
                .mappings()
                .one()
            )
            assert payload == canonical(dict(row))
            assert link_hash(seq, kind, record_id, payload, prev_hash) == digest
        connection.rollback()
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "heads")  # type: ignore[arg-type]
    engine.dispose()
    assert "call_record" in {link[1] for link in links} and verify_register(desk.path).ok
