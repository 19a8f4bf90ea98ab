"""Faults of the store: a full disk, a read-only or locked register, a missing folder, a file that
is not a register or is damaged. Each ends in a clear message (a DutyError from the services,
one line on stderr from the command line), never a traceback and never a partial record. And
the register and its archives are readable by their owner only."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from dutydesk import db
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.calls.calls import CallDraft, list_calls, save_call
from dutydesk.services.core import audit
from dutydesk.services.core import desk as desk_module
from dutydesk.services.core.desk import init_database, open_desk
from dutydesk.services.roster.people import add_person
from tests.support_people import authority_for
from tests.support_reliability import error_line, fill, row_counts
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)

# Big enough that saving it needs new pages in the file (a small row may fit in a free slot).
BIG = CallDraft("李红", "城关镇", "0371-66000000", "暴雨" * 1500, follow_up=True)


def _no_room(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """SQLite's own "database or disk is full", as on a full disk: the file may not grow."""
    pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
    dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")


@contextmanager
def disk_full(engine) -> Iterator[None]:
    engine.dispose()  # new connections only: each gets the limit
    event.listen(engine, "connect", _no_room)
    try:
        yield
    finally:
        event.remove(engine, "connect", _no_room)
        engine.dispose()


# ---------------------------------------------------------------- full disk


def test_saving_on_a_full_disk_says_so_writes_nothing_and_saves_once_there_is_room(desk, officer):
    save_call(desk, CallDraft("甲", "乙", "12345", "之前的一条"), officer)
    before = row_counts(desk.path)
    with disk_full(desk.engine):
        with pytest.raises(DutyError) as caught:
            save_call(desk, BIG, officer)
        assert caught.value.key == "db.full"
        assert caught.value.params == {"path": str(desk.path)}
        assert row_counts(desk.path) == before  # no call, no pending item, no link, no number
        assert [view.number for view in list_calls(desk)] == ["2026-000001"]  # reading works
    record = save_call(desk, BIG, officer)  # room again: the same draft saves
    assert record.number == "2026-000002"  # the failed attempt used no number
    assert verify_register(desk.path).ok


def test_a_full_disk_half_way_through_a_save_leaves_no_partial_record(desk, officer, monkeypatch):
    """Injected at the store: the call row and its link are written, then the pending item's
    link fails as on a full disk. The whole save must be undone."""
    real = audit.append_raw  # a call is saved with plain SQL (services/calls/call_store.py)

    def fail_on_the_pending_item(cursor, table, record_id, written_at):
        if table == "pending_item":
            raise sqlite3.OperationalError("database or disk is full")
        return real(cursor, table, record_id, written_at)

    before = row_counts(desk.path)
    monkeypatch.setattr(audit, "append_raw", fail_on_the_pending_item)
    with pytest.raises(DutyError) as caught:
        save_call(desk, BIG, officer)
    assert caught.value.key == "db.full"
    assert row_counts(desk.path) == before
    monkeypatch.setattr(audit, "append_raw", real)
    assert save_call(desk, BIG, officer).number == "2026-000001"
    assert verify_register(desk.path).ok


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_line_on_a_full_disk(cli, template, db_path, monkeypatch, lang):
    from tests.support_template import copy_register

    copy_register(template, db_path)
    real = desk_module.make_engine

    def full_engine(path: Path, **options: bool):
        engine = real(path, **options)
        event.listen(engine, "connect", _no_room)
        return engine

    monkeypatch.setattr(desk_module, "make_engine", full_engine)
    before = row_counts(db_path)
    result = cli("calls", "add", "--caller", BIG.caller, "--unit", BIG.unit, "--phone", BIG.phone,
                 "--summary", BIG.summary, lang=lang)  # fmt: skip
    assert error_line(result) == t("db.full", lang=lang, path=str(db_path))
    assert result.stdout == ""
    assert row_counts(db_path) == before


# ---------------------------------------------------------------- read-only, locked


def test_a_read_only_register_can_be_read_but_refuses_to_save(desk, officer, monkeypatch):
    """As SQLite opens a file the user may not write (chmod cannot show it to root)."""
    fill(desk, officer)
    desk.close()
    real = desk_module.make_engine

    def read_only_engine(path: Path, **options: bool):
        engine = real(path, **options)
        event.listen(engine, "connect", lambda conn, _record: conn.execute("PRAGMA query_only = 1"))
        return engine

    monkeypatch.setattr(desk_module, "make_engine", read_only_engine)
    before = row_counts(desk.path)
    read_only = open_desk(desk.path)
    try:
        assert len(list_calls(read_only)) == 3
        with pytest.raises(DutyError) as caught:
            save_call(read_only, BIG, officer)
        assert caught.value.key == "db.readonly"
    finally:
        read_only.close()
    assert row_counts(desk.path) == before


def test_a_register_locked_for_a_long_time(desk, officer, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 20)
    desk.engine.dispose()  # reconnect with the short timeout
    before = row_counts(desk.path)
    holder = sqlite3.connect(desk.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        other = open_desk(desk.path)  # opening and reading are not blocked by a writer
        assert list_calls(other) == []
        other.close()
        with pytest.raises(DutyError) as caught:
            save_call(desk, BIG, officer)
        assert caught.value.key == "db.locked"
        assert "database is locked" not in caught.value.message()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert row_counts(desk.path) == before
    assert save_call(desk, BIG, officer).number == "2026-000001"


# ---------------------------------------------------------------- files that cannot be opened


def _truncate(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.truncate(size // 2)


def _spoil_a_page(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'call_record'"
        ).fetchone()[0]
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))


@pytest.fixture
def at_rest(desk, officer) -> Path:
    """A filled register, closed and checkpointed, with no -wal or -shm beside it."""
    fill(desk, officer)
    desk.close()
    with closing(sqlite3.connect(desk.path)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    return desk.path


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("damage", "key"),
    [
        (lambda p: p.write_bytes(b"PK\x03\x04 a zip file, not a database" * 100), "db.damaged"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84), "db.damaged"),
        (_truncate, "db.damaged"),
    ],
    ids=["not-sqlite", "header-only", "truncated"],
)
def test_a_file_that_is_not_a_register_or_is_damaged(cli, at_rest, damage, key, lang):
    damage(at_rest)
    with pytest.raises(DutyError) as caught:
        open_desk(at_rest)
    assert (caught.value.key, caught.value.params) == (key, {"path": str(at_rest)})
    result = cli("calls", "list", lang=lang, db=at_rest)
    assert error_line(result) == t(key, lang=lang, path=str(at_rest))
    assert result.stdout == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_damaged_page_found_after_opening_names_the_register(cli, at_rest, lang):
    _spoil_a_page(at_rest)
    result = cli("calls", "list", lang=lang, db=at_rest)
    assert error_line(result) == t("db.damaged", lang=lang, path=str(at_rest))
    assert error_line(cli("verify", lang=lang, db=at_rest)) == t(
        "db.damaged", lang=lang, path=str(at_rest)
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_missing_folder(cli, tmp_path, clock, lang):
    target = tmp_path / "gone" / "desk.sqlite3"
    for attempt in (
        lambda: open_desk(target),
        lambda: init_database(target, "值班室", "henan", clock),
    ):
        with pytest.raises(DutyError) as caught:
            attempt()
        assert caught.value.key == "db.missing_dir"
    assert error_line(cli("verify", lang=lang, db=target)) == t(
        "db.missing_dir", lang=lang, path=str(target.parent)
    )
    assert not target.parent.exists()


# ---------------------------------------------------------------- owner only


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what most systems give: files readable by everyone
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_register_and_its_wal_files_are_owner_only(tmp_path, clock, loose_umask):
    path = tmp_path / "desk.sqlite3"
    desk = init_database(path, "值班室", "tianjin", clock)
    person, _ = add_person(desk, "张伟", "officer", authority=authority_for(desk))
    save_call(desk, CallDraft("甲", "乙", "12345", "一条"), person)
    files = [p for p in tmp_path.iterdir()]
    assert {p.name for p in files} >= {"desk.sqlite3", "desk.sqlite3-wal", "desk.sqlite3-shm"}
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    desk.close()
    assert not Path(f"{path}-wal").exists()  # the last connection removes them ...
    again = open_desk(path, clock)
    save_call(again, CallDraft("甲", "乙", "12345", "又一条"), person)
    assert _mode(Path(f"{path}-wal")) == 0o600  # ... and they come back owner-only
    assert _mode(Path(f"{path}-shm")) == 0o600
    again.close()


def test_a_failed_init_leaves_nothing_and_refuses_an_existing_file(tmp_path, clock):
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(b"\n")  # not empty: an empty file init makes a register of (issue 12)
    with pytest.raises(DutyError) as caught:
        init_database(path, "值班室", "tianjin", clock)
    assert caught.value.key == "init.exists"
    assert path.read_bytes() == b"\n"


def test_archives_are_owner_only(desk, officer, loose_umask):
    from dutydesk.services.archive.export import write_archive

    fill(desk, officer)
    folder = write_archive(desk)
    assert _mode(folder.parent) == 0o700 and _mode(folder) == 0o700
    assert {p.name: _mode(p) for p in folder.iterdir()} == {p.name: 0o600 for p in folder.iterdir()}
