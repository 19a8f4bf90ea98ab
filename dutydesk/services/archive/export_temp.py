"""The hidden `.tmp-*` folder an archive is written in, and the ones a killed export left.

An export first writes a marker file into its new temp folder and holds an exclusive lock on it
until the folder is renamed into place (the marker is removed just before the rename, so no
archive carries it). The next export removes a `.tmp-*` folder only when it is ours beyond
doubt: a real folder (not a symlink) owned by this user, holding our marker, whose lock nobody
holds (its exporter is gone: the kernel drops a killed process's locks), with nothing in it but
plain files. A folder that fails any of these is left alone. Nothing is followed through a
symlink: the folder is opened with O_NOFOLLOW and its files are removed through that handle."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: leftovers are kept, never guessed at
    fcntl = None  # type: ignore[assignment]  # the module, absent off POSIX

MARKER = ".dutydesk-export"
MARKER_TEXT = b"dutydesk unfinished export: removed by the next export once its writer is gone\n"
MARKER_MODE = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def mark_ours(folder: Path) -> int | None:
    """Write the marker into a new temp folder and lock it; returns the lock's descriptor (keep
    it open until the folder is renamed or removed, then `release` it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    fd = os.open(folder / MARKER, flags, MARKER_MODE)
    try:
        if fcntl is not None:
            # A share without locks must still take archives; its leftovers are then kept, as
            # the next export's lock attempt fails the same way and removes nothing.
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, MARKER_TEXT)
    except OSError:
        os.close(fd)
        raise
    return fd


def unmark(folder: Path) -> None:
    """Remove the marker just before the folder is renamed into place (the lock stays held)."""
    os.unlink(folder / MARKER)


def release(lock: int | None) -> None:
    if lock is not None:
        with contextlib.suppress(OSError):
            os.close(lock)


def remove_leftovers(root: Path, prefix: str) -> list[str]:
    """Remove the unfinished exports in `root` that are ours and abandoned; returns their names.
    Never raises: a leftover that cannot be removed stays for the next time."""
    removed: list[str] = []
    if fcntl is None:
        return removed
    try:
        entries = [entry for entry in os.scandir(root) if entry.name.startswith(prefix)]
    except OSError:
        return removed
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False) and _remove_if_abandoned(root, entry.name):
                removed.append(entry.name)
    return removed


def _remove_if_abandoned(root: Path, name: str) -> bool:
    folder = os.open(root / name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    try:
        if os.fstat(folder).st_uid != os.getuid():
            return False
        try:
            marker = os.open(MARKER, os.O_RDONLY | _NOFOLLOW | _CLOEXEC, dir_fd=folder)
        except FileNotFoundError:
            return False  # not ours, or an export that is only now starting
        try:
            if not _abandoned(folder, marker):
                return False
            names = _plain_files(folder)
            if names is None:
                return False
            for file_name in names:  # the marker last: a removal cut short is retried
                if file_name != MARKER:
                    os.unlink(file_name, dir_fd=folder)
            os.unlink(MARKER, dir_fd=folder)
        finally:
            os.close(marker)  # drops the lock
    finally:
        os.close(folder)
    os.rmdir(root / name)  # rmdir does not follow a symlink put there meanwhile
    return True


def _abandoned(folder: int, marker: int) -> bool:
    """Our marker, its lock free (the writer is gone), and still in the folder (a writer that
    finished removed it before renaming the folder into an archive)."""
    status = os.fstat(marker)
    if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid():
        return False
    if os.read(marker, len(MARKER_TEXT) + 1) != MARKER_TEXT:
        return False
    try:
        fcntl.flock(marker, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # an export is writing it now
    try:
        linked = os.stat(MARKER, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return (linked.st_ino, linked.st_dev) == (status.st_ino, status.st_dev)


def _plain_files(folder: int) -> list[str] | None:
    """The folder's entries if every one is a plain file (what an export writes), else None."""
    names = os.listdir(folder)
    for name in names:
        if not stat.S_ISREG(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode):
            return None
    return names


def finish_recorded(root: Path, prefix: str, name: str, manifest_sha256: str) -> bool:
    """Rename into place an archive whose export was killed after the register recorded it and
    before its rename: the abandoned temp folder `<prefix><name>-*` whose manifest has the
    recorded SHA-256. Never raises; True if one was finished."""
    import hashlib

    if fcntl is None or (root / name).exists():
        return False
    try:
        candidates = [e.name for e in os.scandir(root) if e.name.startswith(f"{prefix}{name}-")]
    except OSError:
        return False
    for candidate in candidates:
        folder = root / candidate
        with contextlib.suppress(OSError):
            if not folder.is_dir() or folder.is_symlink() or os.stat(folder).st_uid != os.getuid():
                continue
            data = (folder / "manifest.json").read_bytes()
            if hashlib.sha256(data).hexdigest() != manifest_sha256:
                continue
            marker = os.open(folder / MARKER, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
            try:
                fcntl.flock(marker, fcntl.LOCK_EX | fcntl.LOCK_NB)  # its writer is gone
                os.unlink(folder / MARKER)
                os.rename(folder, root / name)
            finally:
                os.close(marker)
            return True
    return False
