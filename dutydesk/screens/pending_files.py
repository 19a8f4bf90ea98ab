"""Each running app's file of pending calls (call_pending.py), beside the register, and the
lock that says its app is still running (breaker, session 12: two apps on one register shared
one file, and one app's write dropped the other's pending call).

`<register>.call-pending-<token>.draft.json` holds the calls; `<register>.call-pending-<token>.lock`
is locked (flock) by its app for as long as it runs: the kernel lets the lock go when the
process ends, however it ends, so a file whose lock can be taken was left by an app that is
gone, and its calls are taken over by the next app to start. Never followed through a symlink.
A correction being typed is kept the same way, under its own prefix (amend_draft.py), and so is
the call form's draft of a second app on the register (`own_form_draft`)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PREFIX = "call-pending"
FORM_DRAFT = "call"  # the call form's draft, kept by the first app running on the register
WINDOW_PREFIX = "call-window"  # a call form's draft in a second app while the first runs
DRAFT_SUFFIX = ".draft.json"
LOCK_SUFFIX = ".lock"
_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class PendingFile:
    db_path: Path
    form: str  # the draft's name: call-pending-<token> (call-pending: a file from before)
    lock_fd: int | None = None

    @classmethod
    def create(cls, db_path: Path, prefix: str = PREFIX) -> PendingFile:
        """This app's own file name, its lock taken (held until the process ends)."""
        own = cls(db_path, f"{prefix}-{secrets.token_hex(6)}")
        own.lock()  # a fresh name: nobody else holds it
        return own

    def lock_path(self) -> Path:
        return self.db_path.with_name(f"{self.db_path.name}.{self.form}{LOCK_SUFFIX}")

    def lock(self) -> bool:
        """Take the lock without waiting; False if another app holds it (or it cannot be
        made: then the file is left alone too)."""
        fd = self._taken()
        if fd is None:
            return False
        self.lock_fd = fd
        return True

    def held_elsewhere(self) -> bool | None:
        """Another running app holds this lock; None when no lock file can be opened (a folder
        or a symlink planted at its name, a read-only folder)."""
        try:
            os.close(os.open(self.lock_path(), _FLAGS, 0o600))
        except OSError:
            return None
        fd = self._taken()
        if fd is None:
            return True
        os.close(fd)  # a lock taken here goes with its descriptor
        return False

    def _taken(self) -> int | None:
        """The lock file's descriptor, its lock taken without waiting; None if it is not."""
        try:
            fd = os.open(self.lock_path(), _FLAGS, 0o600)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        return fd

    def release(self) -> None:
        if self.lock_fd is not None:
            os.close(self.lock_fd)
            self.lock_fd = None

    def remove(self) -> None:
        """The calls file and the lock file (the lock is still held: nobody takes it meanwhile)."""
        from dutydesk.services.core import discard_draft

        discard_draft(self.db_path, self.form)
        with contextlib.suppress(OSError):
            self.lock_path().unlink()


def abandoned_files(
    db_path: Path, prefix: str = PREFIX, *, with_locks: bool = False
) -> list[PendingFile]:
    """The pending files (`prefix`-<token>) beside the register whose app is gone, each now
    locked by this one."""
    try:
        names = sorted(os.listdir(db_path.parent))
    except OSError:
        return []
    head = f"{db_path.name}."
    forms = {
        name[len(head) : -len(DRAFT_SUFFIX)]
        for name in names
        if name.startswith(head + prefix) and name.endswith(DRAFT_SUFFIX)
    }
    if with_locks:  # a lock left alone (an app killed with nothing typed): to be removed too
        forms |= {
            name[len(head) : -len(LOCK_SUFFIX)]
            for name in names
            if name.startswith(head + prefix) and name.endswith(LOCK_SUFFIX)
        }
    found = []
    for form in sorted(forms):
        if form != prefix and not form.startswith(prefix + "-"):
            continue
        candidate = PendingFile(db_path, form)
        if candidate.lock():
            found.append(candidate)
    return found


def own_form_draft(db_path: Path) -> PendingFile:
    """Where this app keeps its call form's draft: `call`, its lock taken, for the first app on
    the register (as before: restored at the next start); `call-window-<token>` for an app that
    starts while another holds `call` (session 20: a second window's draft overwrote the
    first's, and each restored the other's typing). One whose app has gone is handed back by
    the next app (call_pending.PendingCalls.restore). When `call`'s lock cannot be opened at
    all (something planted at its name), a file of its own too: apps sharing `call` unlocked
    overwrote each other's typing (breaker, session 21)."""
    shared = PendingFile(db_path, FORM_DRAFT)
    for _attempt in range(3):
        if shared.lock():
            return shared
        if shared.held_elsewhere() is not False:  # held, or no lock to be had
            break
        # let go between the two looks (its app just ended): taken on the next
    return PendingFile.create(db_path, WINDOW_PREFIX)


def shared_draft_orphaned(db_path: Path) -> bool:
    """`call`'s draft belongs to no app that could ever lock it: its lock cannot be opened.
    The app that finds it hands it back (call_pending.PendingCalls.restore)."""
    return PendingFile(db_path, FORM_DRAFT).held_elsewhere() is None


def set_aside_unreadable(db_path: Path, form: str) -> Path | None:
    """The draft `form` renamed aside when it is there and cannot be read (over the reading
    cap, not an object, not a file): the app's form, empty, removed it at the next Ctrl+Q, or
    wrote over it (breaker, session 21). Where it now is, or None."""
    from dutydesk.services.core import draft_path, load_draft

    target = draft_path(db_path, form)
    if not os.path.lexists(target) or load_draft(db_path, form) is not None:
        return None
    aside = draft_path(db_path, f"{form}-unreadable-{secrets.token_hex(6)}")
    try:
        os.rename(target, aside)
    except OSError:
        return None
    return aside
