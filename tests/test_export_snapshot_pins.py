"""PIN hashes never reach the export folder, even for a moment (QA finding 4): the snapshot is
made and redacted beside the register, synced, and only then moved into the archive's temp
folder. An export killed (SIGKILL, as by a power cut) half way through the snapshot leaves no
PIN hash or salt under the export folder; the hidden snapshot it left beside the register is
removed by the next export, and nothing else there is touched."""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from dutydesk.services.archive import export_snapshot
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import write_archive
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.roster.pins import set_pin
from tests.support_people import authority_for

from .conftest import T0

EXPORT = textwrap.dedent(
    """
    import importlib, os, signal, sys
    from pathlib import Path
    import pendulum
    from dutydesk.clock import FrozenClock
    from dutydesk.services.archive import export
    from dutydesk.services.core.desk import open_desk

    register, root, when = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    desk = open_desk(register, FrozenClock(pendulum.parse(sys.argv[4])))

    def killed(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)  # killed half way, as by a power cut

    # Wherever this version redacts and moves the snapshot: the kill lands at that point.
    for name in ("export", "export_snapshot"):
        try:
            module = importlib.import_module("dutydesk.services.archive." + name)
        except ImportError:
            continue
        if hasattr(module, when):
            setattr(module, when, killed)
    export.write_archive(desk, root)
    """
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def _secrets(register: Path) -> list[bytes]:
    set_values = "SELECT pin_hash, salt FROM person_pin WHERE pin_hash != ''"
    with closing(sqlite3.connect(register)) as conn:
        return [value.encode() for row in conn.execute(set_values) for value in row]


def _holding_secrets(folder: Path, secrets: list[bytes]) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(secret in data for secret in secrets):
                found.append(path)
    return found


def _beside(register: Path) -> list[Path]:
    return sorted(p for p in register.parent.iterdir() if p.name.endswith(export_snapshot.SUFFIX))


def _killed_export(register: Path, root: Path, when: str) -> None:
    run = subprocess.run([sys.executable, "-c", EXPORT, str(register), str(root), when, T0],
                         timeout=120)  # fmt: skip
    assert run.returncode == -signal.SIGKILL


@pytest.fixture
def register(desk) -> Path:  # noqa: ANN001
    set_pin(desk, "张伟", "271828", "271828", authority=authority_for(desk))
    return Path(desk.path)


def test_an_export_killed_before_redaction_leaves_no_pin_hash_in_the_export_folder(
    desk, register, root
):
    secrets = _secrets(register)
    assert len(secrets) == 4  # the administrator's and 张伟's hash and salt
    _killed_export(register, root, "redact_pins")
    assert list(root.rglob("*")), "the export had started writing in its folder"
    assert _holding_secrets(root, secrets) == []
    (left,) = _beside(register)  # the unredacted copy stayed where the hashes already are
    assert _holding_secrets(left.parent, secrets) and left.stat().st_mode & 0o777 == 0o600
    archive = write_archive(desk, root)
    assert _beside(register) == [], "the next export removed it"
    assert _holding_secrets(root, secrets) == []
    assert verify_archives(archive).ok and verify_register(register).ok


def test_an_export_killed_after_redaction_before_the_move_leaves_no_pin_hash(desk, register, root):
    secrets = _secrets(register)
    _killed_export(register, root, "move_into")
    assert _holding_secrets(root, secrets) == []
    (left,) = _beside(register)
    assert not any(secret in left.read_bytes() for secret in secrets)  # redacted, not yet moved
    write_archive(desk, root)
    assert _beside(register) == []


def test_the_clean_up_removes_only_our_abandoned_snapshots(desk, register, root, tmp_path):
    _killed_export(register, root, "redact_pins")
    (abandoned,) = _beside(register)
    victim = tmp_path / "elsewhere" / "keep.sqlite3"
    victim.parent.mkdir()
    victim.write_bytes(b"not ours")
    token = "0" * 16
    linked = register.parent / f".{register.name}.{token}{export_snapshot.SUFFIX}"
    linked.symlink_to(victim)  # our pattern, but a symlink
    other = register.parent / f".other.sqlite3.{token}{export_snapshot.SUFFIX}"
    other.write_bytes(b"another register's")  # another register's name
    odd = register.parent / f".{register.name}.x{export_snapshot.SUFFIX}"
    odd.write_bytes(b"not our pattern")
    held = register.parent / f".{register.name}.{'1' * 16}{export_snapshot.SUFFIX}"
    held.write_bytes(b"an export making it now")
    import fcntl

    with open(held, "rb") as holding:
        fcntl.flock(holding.fileno(), fcntl.LOCK_EX)
        removed = export_snapshot.remove_leftovers(register)
    assert removed == [abandoned.name] and not abandoned.exists()
    assert linked.is_symlink() and victim.read_bytes() == b"not ours"
    assert other.exists() and odd.exists() and held.exists()


def test_an_export_folder_on_another_file_system_gets_a_copy_and_nothing_stays(
    desk, register, root, monkeypatch
):
    real_rename, moved = os.rename, []

    def across_devices(source, target):  # noqa: ANN001, ANN202
        if str(source).endswith(export_snapshot.SUFFIX):
            moved.append(source)
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_rename(source, target)

    monkeypatch.setattr(os, "rename", across_devices)
    archive = write_archive(desk, root)
    assert moved and _beside(register) == []
    assert _holding_secrets(root, _secrets(register)) == []
    assert (archive / "database.sqlite3").stat().st_mode & 0o777 == 0o600
    assert verify_archives(archive).ok
    assert verify_register(archive / "database.sqlite3", archive=True).ok


def test_a_killed_snapshots_wal_and_shm_go_with_it(register):
    """An export killed while its snapshot was in WAL mode left `-wal` and `-shm` beside the
    register for good (breaker, session 15): they go once their snapshot is gone; those of a
    snapshot still there (an export making it) and of other names stay."""
    token = "2" * 16
    gone = register.parent / f".{register.name}.{token}{export_snapshot.SUFFIX}"
    orphans = [Path(f"{gone}-wal"), Path(f"{gone}-shm")]
    for orphan in orphans:
        orphan.write_bytes(b"")
    making = register.parent / f".{register.name}.{'3' * 16}{export_snapshot.SUFFIX}"
    making.write_bytes(b"an export making it now")
    kept = [Path(f"{making}-wal"), register.parent / "unrelated.sqlite3-wal"]
    for path in kept:
        path.write_bytes(b"")
    import fcntl

    with open(making, "rb") as holding:
        fcntl.flock(holding.fileno(), fcntl.LOCK_EX)
        removed = export_snapshot.remove_leftovers(register)
    assert sorted(removed) == sorted(orphan.name for orphan in orphans)
    assert not any(orphan.exists() for orphan in orphans)
    assert all(path.exists() for path in kept) and making.exists()
