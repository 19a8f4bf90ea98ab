"""`dutydesk restore ARCHIVE --to NEWPATH`: a checked copy into a new file, never over anything;
and a damaged register's message names the latest archive to restore from."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from dutydesk.archive_places import EXPORTS_DIR, damaged_error, latest_archive
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.archive.desk_key import fingerprint, key_path, public_of_file
from dutydesk.services.archive.restore import restore_archive
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.calls.calls import list_calls
from dutydesk.services.core.desk import open_desk
from tests.support_reliability import error_line, fill, tamper
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)


@pytest.fixture
def archive(desk, officer) -> Path:
    """An archive folder written by the export service (snapshot, CSV, manifest)."""
    from dutydesk.services.archive.export import write_archive

    fill(desk, officer)
    return write_archive(desk)


def snapshot_file(desk, folder: Path, name: str = "snapshot.sqlite3") -> Path:
    """A bare snapshot made with the SQLite backup API, as any backup tool would."""
    folder.mkdir(exist_ok=True)
    target = folder / name
    with closing(sqlite3.connect(desk.path)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    return target


def no_leftovers(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if ".restoring-" in p.name]


# ---------------------------------------------------------------- restoring


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_restore_an_archive_folder_into_a_new_file(cli, desk, archive, tmp_path, lang):
    numbers = [view.number for view in list_calls(desk)]
    target = tmp_path / "restored.sqlite3"
    result = cli("restore", str(archive), "--to", str(target), lang=lang)
    assert result.exit_code == 0, result.output
    report = verify_register(target)
    archived = verify_register(archive / "database.sqlite3", archive=True)
    assert report.ok and archived.ok
    assert report.links == archived.links + 1  # the restore's own record follows the archive's
    assert result.stdout.splitlines() == [
        t(
            "reliability.restored",
            lang=lang,
            source=str(archive / "database.sqlite3"),
            target=str(target),
            links=archived.links,
            head=archived.head,
        ),  # fmt: skip
        t(
            "restore_key.brought",
            lang=lang,
            source=str(desk.path) + ".key",
            path=str(target) + ".key",
            fingerprint=fingerprint(public_of_file(key_path(target))),
        ),  # the desk's signing key lay beside its register: carried to the restored one
        t("reliability.restored_next", lang=lang, target=str(target)),
        t("authority.restored_no_pins", lang=lang),  # the archive held no PIN hashes
    ]
    assert (
        archived.head
        == json.loads((archive / "manifest.json").read_text())["audit_chain_head"]["hash"]
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    restored = open_desk(target)
    try:
        assert [view.number for view in list_calls(restored)] == numbers
    finally:
        restored.close()
    assert no_leftovers(tmp_path)


def test_restore_a_bare_snapshot_file(desk, officer, tmp_path):
    fill(desk, officer)
    snapshot = snapshot_file(desk, tmp_path / "backups")
    done = restore_archive(snapshot, tmp_path / "new.sqlite3")
    assert done.source == snapshot and done.report.ok
    assert done.report.head == verify_register(desk.path).head


def test_restore_never_writes_over_an_existing_file(cli, archive, tmp_path, db_path):
    for existing in (db_path, tmp_path / "other.sqlite3-wal"):
        if not existing.exists():
            existing.write_bytes(b"keep me")
        before = existing.read_bytes()
        target = Path(str(existing).removesuffix("-wal"))
        result = cli("restore", str(archive), "--to", str(target), lang="en")
        assert error_line(result) == t("reliability.target_exists", lang="en", path=str(existing))
        assert existing.read_bytes() == before
    assert not (tmp_path / "other.sqlite3").exists()
    assert no_leftovers(tmp_path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_restore_refusals_give_one_line_and_leave_nothing(cli, desk, archive, tmp_path, lang):
    target = tmp_path / "restored.sqlite3"
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = {
        "missing --to": (
            ("restore", str(archive)),
            t(
                "error.missing_option",
                lang=lang,
                field=t("reliability_cli.target", lang=lang),
                option="--to",
            ),
        ),
        "no archive": (
            ("restore", str(tmp_path / "nothing"), "--to", str(target)),
            t("reliability.no_archive", lang=lang, path=str(tmp_path / "nothing")),
        ),
        "missing folder": (
            ("restore", str(archive), "--to", str(tmp_path / "gone" / "x.sqlite3")),
            t("db.missing_dir", lang=lang, path=str(tmp_path / "gone")),
        ),
        "no snapshot in the folder": (
            ("restore", str(empty), "--to", str(target)),
            t("reliability.no_snapshot", lang=lang, path=str(empty)),
        ),
    }
    for name, (args, expected) in cases.items():
        assert error_line(cli(*args, lang=lang)) == expected, name
    assert not target.exists() and no_leftovers(tmp_path)


def test_a_snapshot_changed_after_the_export_is_refused(archive, tmp_path):
    snapshot = archive / "database.sqlite3"
    tamper(snapshot, "DROP TRIGGER call_record_no_update", "UPDATE call_record SET caller = '某人'")
    with pytest.raises(DutyError) as caught:
        restore_archive(archive, tmp_path / "restored.sqlite3")
    assert caught.value.key == "reliability.snapshot_altered"
    assert not (tmp_path / "restored.sqlite3").exists() and no_leftovers(tmp_path)


def test_a_tampered_snapshot_without_manifest_is_refused(desk, officer, tmp_path):
    fill(desk, officer)
    snapshot = snapshot_file(desk, tmp_path / "backups")
    tamper(
        snapshot, "DROP TRIGGER person_no_update", "UPDATE person SET name = '冒名' WHERE id = 1"
    )
    with pytest.raises(DutyError) as caught:
        restore_archive(snapshot, tmp_path / "restored.sqlite3")
    assert caught.value.key == "reliability.archive_tampered"
    assert caught.value.params["count"] == 1
    assert not (tmp_path / "restored.sqlite3").exists() and no_leftovers(tmp_path)


def test_a_manifest_pinning_another_chain_head_is_refused(archive, tmp_path):
    manifest = archive / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["audit_chain_head"]["hash"] = "0" * 64
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DutyError) as caught:
        restore_archive(archive, tmp_path / "restored.sqlite3")
    assert caught.value.key == "reliability.head_mismatch"
    assert not (tmp_path / "restored.sqlite3").exists() and no_leftovers(tmp_path)


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"this is not a database" * 200, "reliability.archive_damaged"),
        (None, "reliability.not_register"),  # a valid SQLite file that is not a register
    ],
)
def test_an_archive_that_is_not_a_register_is_refused(tmp_path, content, key):
    source = tmp_path / "backup.sqlite3"
    if content is None:
        with closing(sqlite3.connect(source)) as conn:
            conn.execute("CREATE TABLE t (x)")
    else:
        source.write_bytes(content)
    with pytest.raises(DutyError) as caught:
        restore_archive(source, tmp_path / "restored.sqlite3")
    assert caught.value.key == key
    assert not (tmp_path / "restored.sqlite3").exists() and no_leftovers(tmp_path)


# ---------------------------------------------------------------- the damaged register's message


def test_the_latest_archive_is_found_beside_the_register(desk, archive, tmp_path):
    exports = desk.path.parent / EXPORTS_DIR
    assert archive.parent == exports
    assert latest_archive(desk.path) == archive
    older = exports / "20200101-000000-day"
    older.mkdir()
    snapshot_file(desk, older, "database.sqlite3")
    os.utime(older / "database.sqlite3", (1, 1))
    unfinished = exports / ".tmp-20991231-000000-day-abcd"
    unfinished.mkdir()
    snapshot_file(desk, unfinished, "database.sqlite3")
    assert latest_archive(desk.path) == archive
    newer = snapshot_file(desk, exports, "manual.sqlite3")
    assert latest_archive(desk.path) == newer


def test_the_export_folder_name_matches_the_export_service():
    from dutydesk.services.archive import export

    assert export.DEFAULT_DIR == EXPORTS_DIR and export.SNAPSHOT == "database.sqlite3"


def test_without_archives_the_message_is_the_plain_one(tmp_path):
    path = tmp_path / "desk.sqlite3"
    assert latest_archive(path) is None
    error = damaged_error(path)
    assert (error.key, error.params) == ("db.damaged", {"path": str(path)})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_damaged_register_names_the_latest_archive(cli, desk, archive, lang):
    desk.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{desk.path}{suffix}").unlink(missing_ok=True)
    desk.path.write_bytes(b"\x00garbage" * 4096)
    with pytest.raises(DutyError) as caught:
        open_desk(desk.path)
    assert caught.value.key == "reliability.damaged_archive"
    assert caught.value.params == {"path": str(desk.path), "archive": str(archive)}
    expected = t(
        "reliability.damaged_archive", lang=lang, path=str(desk.path), archive=str(archive)
    )
    assert error_line(cli("calls", "list", lang=lang, db=desk.path)) == expected
    assert error_line(cli("verify", lang=lang, db=desk.path)) == expected
    assert desk.path.read_bytes() == b"\x00garbage" * 4096  # the damaged file is left alone
    # and the command it suggests works
    target = desk.path.parent / "restored.sqlite3"
    assert cli("restore", str(archive), "--to", str(target), lang=lang).exit_code == 0
    assert cli("verify", lang=lang, db=target).exit_code == 0


def test_a_full_disk_while_restoring_says_so_and_leaves_nothing(archive, tmp_path, monkeypatch):
    from dutydesk.services.archive import restore as restore_module

    real_connect = sqlite3.connect

    def small_disk(database, *args, **kwargs):
        conn = real_connect(database, *args, **kwargs)
        if ".restoring-" in str(database):
            conn.execute("PRAGMA max_page_count = 2")  # the copy cannot grow: "disk is full"
        return conn

    monkeypatch.setattr(restore_module.sqlite3, "connect", small_disk)
    with pytest.raises(DutyError) as caught:
        restore_archive(archive, tmp_path / "restored.sqlite3")
    assert (caught.value.key, caught.value.params) == ("db.full", {"path": str(tmp_path)})
    assert not (tmp_path / "restored.sqlite3").exists() and no_leftovers(tmp_path)
