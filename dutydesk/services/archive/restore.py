"""Restoring a register from an archive (恢复): never over an existing file, always checked.

An archive is a snapshot made with the SQLite backup API: a `.sqlite3` file, or a folder holding
one (the handover archives: `exports/<date-time-shift>/database.sqlite3` with manifest.json).
The snapshot is copied with the backup API into a hidden temporary file beside the target,
checked (PRAGMA integrity_check, the hash chain, the DutyDesk schema) and only then linked into
place under the new name, which must not exist. The damaged register is never touched."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.archive_places import (
    MANIFEST_NAME,
    snapshot_in,
)
from dutydesk.errors import DutyError

if TYPE_CHECKING:
    from dutydesk.clock import Clock
    from dutydesk.services.archive.verify import VerifyReport
    from dutydesk.services.archive.verify_pass import Progress

FILE_MODE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Restored:
    source: Path  # the snapshot file read
    target: Path
    report: VerifyReport

    @property
    def pins_removed(self) -> bool:
        """The archive held no PIN hashes (services/export.py blanks them): nobody can sign
        until an administrator sets PINs again (`people set-pin NAME --restored` first)."""
        return self.report.redacted > 0


def find_snapshot(archive: Path) -> Path:
    if archive.is_dir():
        snapshot = snapshot_in(archive)
        if snapshot is None:
            raise DutyError("reliability.no_snapshot", path=str(archive))
        return snapshot
    if archive.is_file():
        return archive
    raise DutyError("reliability.no_archive", path=str(archive))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _listed_sha256(manifest: Path, name: str) -> str | None:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    entries = data.get("files", [])
    return next(
        (e.get("sha256") for e in entries if isinstance(e, dict) and e.get("name") == name),
        None,
    )


def manifest_lists(snapshot: Path) -> bool:
    """Whether a readable manifest beside `snapshot` names it with a SHA-256."""
    manifest = snapshot.parent / MANIFEST_NAME
    if not snapshot.is_file() or not manifest.is_file():
        return False
    try:
        return bool(_listed_sha256(manifest, snapshot.name))
    except (OSError, ValueError, AttributeError):
        return False


def check_manifest(snapshot: Path) -> str | None:
    """If the snapshot sits in an archive folder with a manifest, its SHA-256 must match; returns
    the chain head the manifest pins (None without one)."""
    manifest = snapshot.parent / MANIFEST_NAME
    if not manifest.is_file():
        return None
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        expected = _listed_sha256(manifest, snapshot.name)
        head = data.get("audit_chain_head") or {}
        pinned = head.get("hash") if isinstance(head, dict) else None
    except (OSError, ValueError, AttributeError):
        return None  # an unreadable manifest is the archive checker's business; the copy is checked
    if expected and expected != _sha256(snapshot):
        raise DutyError("reliability.snapshot_altered", path=str(snapshot))
    return pinned if isinstance(pinned, str) else None


def _check_target(target: Path) -> None:
    for candidate in (target, *(Path(f"{target}{side}") for side in SIDE_FILES)):
        if candidate.exists() or candidate.is_symlink():
            raise DutyError("reliability.target_exists", path=str(candidate))
    if not target.parent.is_dir():
        raise DutyError("db.missing_dir", path=str(target.parent))


def _copy(snapshot: Path, temp: Path) -> None:
    from dutydesk.services.archive.verify import connect_readonly

    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except OSError as exc:
        raise DutyError(
            "reliability.cannot_write", path=str(temp.parent), reason=exc.strerror or str(exc)
        ) from exc
    try:
        source = connect_readonly(snapshot)
    except sqlite3.Error as exc:
        raise DutyError("reliability.archive_damaged", path=str(snapshot)) from exc
    copy = sqlite3.connect(os.path.abspath(temp))  # a file name, never read as a URI
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file until opened
        copy.commit()
    except sqlite3.DatabaseError as exc:
        if "full" in str(exc).lower():  # "database or disk is full": the target's disk
            raise DutyError("db.full", path=str(temp.parent)) from exc
        raise DutyError("reliability.archive_damaged", path=str(snapshot)) from exc
    finally:
        copy.close()
        source.close()
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())


def _check_copy(temp: Path, snapshot: Path, progress: Progress | None = None) -> VerifyReport:
    from dutydesk.db import SchemaState, schema_state
    from dutydesk.services.archive.verify import verify_register

    if schema_state(temp) not in (SchemaState.current, SchemaState.older):
        raise DutyError("reliability.not_register", path=str(snapshot))
    try:
        report = verify_register(temp, archive=True, progress=progress)  # PINs blanked
    except DutyError as exc:
        raise DutyError("reliability.archive_damaged", path=str(snapshot)) from exc
    if report.integrity:
        raise DutyError("reliability.archive_damaged", path=str(snapshot))
    if not report.ok:
        first = report.first_broken
        assert first is not None
        raise DutyError(
            "reliability.archive_tampered",
            path=str(snapshot),
            link=first.seq if first.seq is not None else "—",
            count=report.total,
        )
    return report


def _place(temp: Path, target: Path) -> None:
    """Give the checked copy its name, refusing (atomically where the system allows) to
    replace anything."""
    try:
        os.link(temp, target)
    except FileExistsError as exc:
        raise DutyError("reliability.target_exists", path=str(target)) from exc
    except OSError:  # no hard links here (some network or FAT file systems)
        if target.exists():
            raise DutyError("reliability.target_exists", path=str(target)) from None
        os.rename(temp, target)
    else:
        temp.unlink()
    os.chmod(target, FILE_MODE)
    with contextlib.suppress(OSError):  # make the new name durable
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def manifest_sha256(snapshot: Path) -> str:
    """The SHA-256 of the manifest beside the snapshot ("" for a bare snapshot file)."""
    manifest = snapshot.parent / MANIFEST_NAME
    return _sha256(manifest) if manifest.is_file() else ""


def _record(temp: Path, beside: Path, clock: Clock | None) -> None:
    """The chained restore record (services/restore_record.py), by which the blank PIN rows
    are accepted in the new register; then back to one self-contained file. It names the
    manifest beside `beside` (the newest archive restored)."""
    from dutydesk.services.core import record_restore

    snapshot = beside
    try:
        record_restore(temp, manifest_sha256(beside), clock)
        with contextlib.closing(sqlite3.connect(os.path.abspath(temp))) as copy:
            copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as exc:
        if "full" in str(exc).lower():
            raise DutyError("db.full", path=str(temp.parent)) from exc
        raise DutyError("reliability.archive_damaged", path=str(snapshot)) from exc


def restore_archive(
    archive: Path, target: Path, clock: Clock | None = None, progress: Progress | None = None
) -> Restored:
    """Copy the archive's snapshot into the new file `target`, checked, and record the restore
    in it; raises DutyError and leaves nothing behind if any check fails. A folder of archives
    (or a pack in one): its newest full snapshot and every later pack up to the newest (or to
    that pack), each checked against the chain (services/archive/archive_restore.py)."""
    from dutydesk.services.archive.archive_restore import apply_packs, chain_to, locate

    found = locate(archive)
    chain = chain_to(*found) if found is not None else []
    snapshot = find_snapshot(chain[0].path if chain else archive)
    _check_target(target)
    pinned_head = check_manifest(snapshot)
    temp = target.parent / f".{target.name}.restoring-{secrets.token_hex(4)}"
    try:
        _copy(snapshot, temp)
        if chain[1:]:  # the whole copy is verified once, after the packs (a full verify each)
            apply_packs(temp, chain[1:], pinned_head, snapshot)
            report = _check_copy(temp, chain[-1].path, progress)
        else:
            report = _check_copy(temp, snapshot, progress)
            if pinned_head is not None and report.head != pinned_head:
                raise DutyError("reliability.head_mismatch", path=str(snapshot))
        _record(temp, chain[-1].path / MANIFEST_NAME if chain else snapshot, clock)
        _place(temp, target)
    finally:
        for candidate in (temp, *(Path(f"{temp}{side}") for side in SIDE_FILES)):
            candidate.unlink(missing_ok=True)
    return Restored(chain[-1].path if chain else snapshot, target, report)
