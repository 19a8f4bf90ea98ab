"""Opening a register whose place fails (archive lane, item 3; breaker finding 8): a full disk, a
read-only disk, no permission or a disk error is said plainly, not as "damaged register,
restore it", and nothing is changed. The SQLite failure is injected in code; on a machine where
the tests run as root, a real 3 MB tmpfs is filled too."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

import dutydesk.db as store
from dutydesk.errors import DutyError
from dutydesk.services.core.desk import init_database, open_desk


@pytest.fixture
def register(db_path: Path, clock) -> Path:  # noqa: ANN001
    init_database(db_path, "测试值班室", "tianjin", clock).close()
    return db_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _failing_open(monkeypatch: pytest.MonkeyPatch, errorname: str, text: str) -> None:
    def refuse(*_args: object, **_kw: object) -> sqlite3.Connection:
        error = sqlite3.OperationalError(text)
        error.sqlite_errorname = errorname  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(store, "connect_readonly_file", refuse)


def _open_key(path: Path, clock) -> str:  # noqa: ANN001
    with pytest.raises(DutyError) as raised:
        open_desk(path, clock)
    return raised.value.key


def test_a_full_disk_at_open_is_said_as_such_and_changes_nothing(register, clock, monkeypatch):
    before = _digest(register)
    _failing_open(monkeypatch, "SQLITE_IOERR_SHMSIZE", "disk I/O error")
    monkeypatch.setattr("dutydesk.place_faults.free_bytes", lambda _path: 0)
    assert _open_key(register, clock) == "db.open_disk_full"
    assert _digest(register) == before


def test_a_disk_error_with_space_left_is_a_disk_error_not_damage(register, clock, monkeypatch):
    _failing_open(monkeypatch, "SQLITE_IOERR_READ", "disk I/O error")
    monkeypatch.setattr("dutydesk.place_faults.free_bytes", lambda _path: 10 << 30)
    assert _open_key(register, clock) == "db.open_disk_error"


def test_no_permission_at_open_is_said_as_such(register, clock, monkeypatch):
    _failing_open(monkeypatch, "SQLITE_READONLY", "attempt to write a readonly database")
    monkeypatch.setattr("dutydesk.place_faults.free_bytes", lambda _path: 10 << 30)
    assert _open_key(register, clock) == "db.open_no_permission"


def test_a_damaged_file_is_still_called_damaged(register, clock, monkeypatch):
    _failing_open(monkeypatch, "SQLITE_CORRUPT", "database disk image is malformed")
    monkeypatch.setattr("dutydesk.place_faults.free_bytes", lambda _path: 0)  # even when full
    assert _open_key(register, clock) == "db.damaged"


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_a_register_on_a_really_full_disk(tmp_path, clock, cli):  # noqa: ANN001
    place = tmp_path / "small"
    place.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(place)],
                      capture_output=True, check=False).returncode:  # fmt: skip
        pytest.skip("no tmpfs can be mounted here")
    try:
        path = place / "desk.sqlite3"
        init_database(path, "测试值班室", "tianjin", clock).close()
        before = _digest(path)
        with (place / "filler").open("wb") as filler:  # fill the disk to its last byte
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        cli.db_path = path
        result = cli("calls", "list", lang="en")
        assert result.exit_code == 1 and "disk holding" in result.stderr
        assert "damaged" not in result.stderr.replace("not damaged", "")
        assert _digest(path) == before
        (place / "filler").unlink()
        open_desk(path, clock).close()  # with space again it opens as it was
    finally:
        subprocess.run(["umount", str(place)], check=False)
