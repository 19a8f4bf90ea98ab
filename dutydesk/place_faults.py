"""Why a register cannot be opened when the fault is the place it lies in, not the file: a full
disk, a read-only disk, no permission, a disk error (breaker finding 8). SQLite reports these at
open as I/O errors (a full disk cannot hold the -shm file a WAL reader needs:
SQLITE_IOERR_SHMSIZE), which used to be read as "damaged register, restore it". They are said
plainly instead, and nothing is changed. Only SQLITE_NOTADB and SQLITE_CORRUPT mean damage."""

from __future__ import annotations

import os
from pathlib import Path

from dutydesk.errors import DutyError

FULL_BELOW = 1 << 20  # bytes free under which an I/O error is taken for a full disk
DAMAGE = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


def free_bytes(path: Path) -> int | None:
    """Bytes an ordinary user may still write on the disk holding `path` (None: unknown)."""
    try:
        status = os.statvfs(path if path.exists() else path.parent)
    except OSError:
        return None
    return status.f_bavail * status.f_frsize


def _may_write(path: Path) -> bool:
    """The file readable and writable and its folder writable (SQLite makes -wal and -shm
    there), unless those already exist and are writable."""
    beside = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    if not os.access(path, os.R_OK | os.W_OK):
        return False
    if all(os.access(extra, os.R_OK | os.W_OK) for extra in beside):
        return True
    return os.access(path.parent, os.W_OK | os.X_OK)


def place_error(path: Path, exc: BaseException) -> DutyError | None:
    """The plain message for an SQLite failure at open caused by the register's place (None:
    not one; a damaged file, a lock and the like are said elsewhere)."""
    from dutydesk.db import on_read_only_filesystem

    name = str(getattr(getattr(exc, "orig", None) or exc, "sqlite_errorname", "") or "")
    text = str(getattr(exc, "orig", None) or exc).lower()
    if name.startswith(DAMAGE) or "malformed" in text or "not a database" in text:
        return None
    free = free_bytes(path)
    io_error = name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or "disk i/o error" in text
    if (
        name.startswith("SQLITE_FULL")
        or "disk is full" in text
        or (io_error and free is not None and free < FULL_BELOW)
    ):
        return DutyError("db.open_disk_full", path=str(path), free=f"{(free or 0) // 1024} KB")
    if on_read_only_filesystem(path):
        return DutyError("db.read_only_place", path=str(path))
    readonly = name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH"))
    if readonly or "readonly" in text or ((io_error or name) and not _may_write(path)):
        return DutyError("db.open_no_permission", path=str(path), folder=str(path.parent))
    if io_error:
        return DutyError("db.open_disk_error", path=str(path), detail=name or text)
    return None
