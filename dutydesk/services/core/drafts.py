"""Form drafts: what the officer has typed but not yet saved, kept beside the database so that a
crash, a kill or a full disk loses nothing. Written atomically (temp file, fsync, rename).

The temp file is made in the register's folder under a fresh random name with O_CREAT|O_EXCL|
O_NOFOLLOW and mode 0600 from the start: a file or symlink planted at that name makes the
open fail instead of being followed (a symlink there once had its target overwritten), and the
text is never readable by others, not even for a moment. The rename replaces a symlink at the
final path itself, never its target; reading a draft does not follow one either."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

FILE_MODE = 0o600
TOKEN_HEX = 16  # hex digits of randomness in a temp file's name
ATTEMPTS = 3  # fresh names tried when one is taken (by a leftover or something planted)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
DRAFT_CAP = 16 * 1024 * 1024  # bytes: far more than forms typed by hand ever hold


def draft_path(db_path: Path, form: str) -> Path:
    return db_path.with_name(f"{db_path.name}.{form}.draft.json")


def temporary_path(target: Path) -> Path:
    """A fresh hidden name beside `target` for writing it."""
    return target.with_name(f".{target.name}.{secrets.token_hex(TOKEN_HEX // 2)}.tmp")


def _create_private(target: Path) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    for attempt in range(ATTEMPTS):
        temporary = temporary_path(target)
        try:
            return os.open(temporary, flags, FILE_MODE), temporary
        except FileExistsError:
            if attempt == ATTEMPTS - 1:
                raise
    raise FileExistsError(str(target))  # not reached: the loop returns or raises


def save_draft(db_path: Path, form: str, values: dict[str, Any]) -> bool:
    """Keep `values`; returns False if the disk refused (the form still holds them)."""
    target = draft_path(db_path, form)
    try:
        fd, temporary = _create_private(target)
    except OSError:
        return False
    try:
        with open(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)  # exactly 0600 whatever the umask
            json.dump(values, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True


def load_draft(db_path: Path, form: str) -> dict[str, Any] | None:
    """The draft kept, or None. Only a regular file within DRAFT_CAP is read: opened without
    waiting (a FIFO planted at the name froze the app at start: breaker, session 12)."""
    try:
        fd = os.open(draft_path(db_path, form), os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _NONBLOCK)
    except OSError:
        return None
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or found.st_size > DRAFT_CAP:
            return None
        os.set_blocking(fd, True)
        with open(fd, encoding="utf-8", closefd=False) as handle:
            values = json.load(handle)
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    return values if isinstance(values, dict) else None


def discard_draft(db_path: Path, form: str) -> None:
    """Remove the draft, and temp files a killed save left of it (unlinking never follows a
    symlink)."""
    target = draft_path(db_path, form)
    with contextlib.suppress(OSError):
        target.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        for name in os.listdir(target.parent):
            if _is_temporary_of(name, target):
                with contextlib.suppress(OSError):
                    (target.parent / name).unlink()


def _is_temporary_of(name: str, target: Path) -> bool:
    prefix, suffix = f".{target.name}.", ".tmp"
    middle = name[len(prefix) : -len(suffix)]
    return (
        name.startswith(prefix)
        and name.endswith(suffix)
        and len(middle) == TOKEN_HEX
        and all(char in "0123456789abcdef" for char in middle)
    )
