"""The archive's snapshot is made beside the register, where the PIN hashes already are, and
leaves for the export folder only once its PIN hashes are blanked and on disk.

A hidden file `.<register>.<random>.export-snapshot` (O_EXCL, 0600, locked by its exporter
with flock) gets the backup, then redact_pins, then an fsync; only then is it moved into the
archive's temp folder: renamed on the same file system, else copied (and synced) and removed.
So no file under the export folder ever holds a PIN hash, even when an export is killed or the
power fails half way. The hidden file a killed export left is removed by the next export: only
a name of exactly our pattern for this register, a regular file (not a symlink) owned by this
user, whose lock nobody holds."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.db import BUSY_TIMEOUT_MS
from dutydesk.errors import DutyError
from dutydesk.services.archive.write_reason import reason_of
from dutydesk.services.roster import redact_pins

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: leftovers are kept, never guessed at
    fcntl = None  # type: ignore[assignment]  # the module, absent off POSIX

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

SUFFIX = ".export-snapshot"
BACKUP_STEP = 1000  # pages a backup step copies when its progress is shown
FILE_MODE = 0o600
_TOKEN_HEX = 16
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@dataclass
class Hidden:
    """A redacted snapshot beside the register, held open and locked by its exporter."""

    path: Path
    fd: int
    head: dict[str, Any] | None  # the audit chain head it holds


def _pattern(register: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(register.name)}\.[0-9a-f]{{{_TOKEN_HEX}}}{re.escape(SUFFIX)}")


def _lock(fd: int) -> None:
    """Hold the exclusive lock for as long as the file is being made (BlockingIOError if
    someone holds it). A file system without locks: the file is made unlocked, and leftover
    clean-up, which cannot lock it either, leaves it alone."""
    if fcntl is None:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise
    except OSError:
        return


def _create(register: Path) -> tuple[Path, int]:
    path = register.parent / f".{register.name}.{secrets.token_hex(_TOKEN_HEX // 2)}{SUFFIX}"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, FILE_MODE)
    try:
        _lock(fd)
        # Another export's leftover clean-up could have removed the name before the lock was
        # taken: the backup must go into this very file, never into a new one of that name.
        if not os.path.samestat(os.fstat(fd), os.lstat(path)):
            raise OSError(errno.ENOENT, "export snapshot removed while being made", str(path))
    except OSError:
        os.close(fd)
        raise
    return path, fd


def take(
    desk: Desk,
    progress: Callable[[int, int], None] | None = None,
    source: sqlite3.Connection | None = None,
) -> Hidden:
    """A consistent copy of the whole register (SQLite backup API), its PIN hashes blanked and
    synced, beside the register. The caller moves it (`move_into`) and then `discard`s it.
    Copied from `source` when given (a connection in the read transaction the export's forms
    are read in: export_view.py), which stays open."""
    path, fd = _create(Path(os.path.abspath(desk.path)))
    hidden = Hidden(path, fd, None)
    own = source is None
    try:
        if source is None:
            source = sqlite3.connect(os.path.abspath(desk.path), timeout=BUSY_TIMEOUT_MS / 1000)
        copy = sqlite3.connect(str(path))  # a file name, never read as a URI
        try:
            # A new file thrown away on any failure: no journal and no syncs while copying,
            # one fsync below (bench, 2.6 GB: 20.4 -> 9.4 s).
            copy.execute("PRAGMA journal_mode = OFF")
            copy.execute("PRAGMA synchronous = OFF")
            if progress is None:
                source.backup(copy)
            else:
                _stepped_backup(source, copy, progress)
            redact_pins(copy)  # PIN hashes never leave the register
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal
            head = copy.execute(
                "SELECT seq, hash FROM audit_link ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            copy.commit()
        finally:
            copy.close()
            if own:
                source.close()
        os.fchmod(fd, FILE_MODE)
        hidden.head = {"seq": head[0], "hash": head[1]} if head else None
    except (OSError, sqlite3.Error) as exc:  # beside the register: not the archive folder
        discard(hidden)
        raise DutyError("handover_export.cannot_snapshot", path=str(path.parent),
                        reason=reason_of(exc)) from exc  # fmt: skip
    except BaseException:
        discard(hidden)
        raise
    return hidden


def _stepped_backup(
    source: sqlite3.Connection, copy: sqlite3.Connection, progress: Callable[[int, int], None]
) -> None:
    """The backup in steps of BACKUP_STEP pages (4 MB), `progress` told pages copied of pages in
    all after each. Each step is a read transaction of its own unless the source holds one, and
    a write by any other connection between two steps starts the copy again from its first page:
    with another terminal saving a call every 10 ms, 40,000 rows took 87 s and 6,750 restarts
    instead of 1 s, and a busier desk never finishes. One read transaction held across the
    steps copies one moment, as the single step does."""
    held = source.in_transaction  # the export's own read transaction (export_view.py)
    if not held:
        source.execute("BEGIN")
    try:
        source.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # the read begins here
        source.backup(copy, pages=BACKUP_STEP,
                      progress=lambda _s, left, total: progress(total - left, total))  # fmt: skip
    finally:
        if not held:
            source.rollback()


def sync(hidden: Hidden) -> None:
    """The redacted pages on disk before the file may leave: after a power cut the moved
    file must not hold an older page with a PIN hash."""
    os.fsync(hidden.fd)


def move_into(hidden: Hidden, target: Path) -> None:
    """Move the synced snapshot to `target` (a new name in the archive's temp folder)."""
    try:
        os.rename(hidden.path, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    # The export folder is on another file system (DUTYDESK_EXPORT_DIR): copy, sync, remove.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    with open(os.open(target, flags, FILE_MODE), "wb") as out:
        with open(os.dup(hidden.fd), "rb") as source:
            source.seek(0)
            shutil.copyfileobj(source, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    os.unlink(hidden.path)


def discard(hidden: Hidden) -> None:
    """Remove the hidden file if it is still beside the register, and drop the lock."""
    with contextlib.suppress(OSError):
        if os.path.samestat(os.fstat(hidden.fd), os.lstat(hidden.path)):
            os.unlink(hidden.path)
    with contextlib.suppress(OSError):
        os.close(hidden.fd)


def remove_leftovers(register: Path) -> list[str]:
    """Remove the hidden snapshots killed exports left beside `register`; returns their names.
    Never raises: one that cannot be removed stays for the next time."""
    removed: list[str] = []
    if fcntl is None:
        return removed
    register = Path(os.path.abspath(register))
    pattern = _pattern(register)
    try:
        names = [entry.name for entry in os.scandir(register.parent)
                 if pattern.fullmatch(entry.name)]  # fmt: skip
    except OSError:
        return removed
    for name in names:
        with contextlib.suppress(OSError):
            if _remove_if_abandoned(register.parent / name):
                removed.append(name)
    return removed + _remove_orphan_journals(register.parent, pattern)


def _remove_orphan_journals(folder: Path, pattern: re.Pattern[str]) -> list[str]:
    """The -wal and -shm a snapshot had while it was in WAL mode (the backup copies the
    register's WAL flag; `journal_mode = DELETE` ends it) when its export was killed then: once
    their snapshot is gone they are nobody's, and were left for good (breaker, session 15)."""
    removed: list[str] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            base, _dash, kind = entry.name.rpartition("-")
            if kind not in ("wal", "shm") or not pattern.fullmatch(base):
                continue
            if os.path.lexists(folder / base):
                continue  # its snapshot is still there (an export making it, or to be removed)
            linked = os.lstat(folder / entry.name)
            if stat.S_ISREG(linked.st_mode) and linked.st_uid == os.getuid():
                os.unlink(folder / entry.name)
                removed.append(entry.name)
    return removed


def _remove_if_abandoned(path: Path) -> bool:
    linked = os.lstat(path)
    if not stat.S_ISREG(linked.st_mode) or linked.st_uid != os.getuid():
        return False  # a symlink, a folder, or someone else's: not ours to remove
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    try:
        if not os.path.samestat(os.fstat(fd), linked) or fcntl is None:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # an export is making it now
        if not os.path.samestat(os.fstat(fd), os.lstat(path)):
            return False
        os.unlink(path)
    finally:
        os.close(fd)
    return True
