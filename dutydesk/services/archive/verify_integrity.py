"""`PRAGMA integrity_check` for `dutydesk verify` (issue 19: ten years as typed in under 15 s).

The check runs on a read-only connection of its own, in a thread, while the chain and the rest
of the register are checked: SQLite lets go of Python's lock while it checks, so the two
overlap on the cores. Its verdict still comes first: verify waits for it before it reports
anything, and in a damaged file it is all that is reported (rows read from a damaged file
cannot be trusted, so whatever the chain found there would mislead). It reads the file as
committed when it starts; the chain reads its own snapshot, possibly one save later: both are
committed states of the same file, and the file's soundness is what this check is about.

What dominates on ten years is the UNIQUE (hash) index of audit_link: the check looks up every
link's hash in it, in chain order, which is no order at all in the index, so with SQLite's
default 2 MB cache nearly every lookup reads an index page again (a system call and a 4 KiB
copy, some three million times). The connection therefore maps the file into memory
(mmap_size; SQLite caps it at 2 GiB in most builds, the rest is read as usual) and keeps a
cache large enough to hold that index (CACHE_KIB). Both only change how pages are read, not
what is checked."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

MAX_LINES = 10  # integrity_check lines kept in the report
MMAP_BYTES = 2**31 - 2**16  # SQLite's usual ceiling (SQLITE_MAX_MMAP_SIZE): the largest asked
CACHE_KIB = 256 * 1024  # an upper bound: pages are taken as needed, a small register uses little


def integrity_lines(conn: sqlite3.Connection) -> list[str]:
    """What `PRAGMA integrity_check` says, one finding a line (["ok"] when the file is sound)."""
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    return [
        line.strip()
        for row in conn.execute("PRAGMA integrity_check")
        for line in str(row[0]).splitlines()
        if line.strip() and not line.startswith("***")
    ]


class IntegrityCheck:
    """`PRAGMA integrity_check` of the file at `path`, under way in a thread of its own."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # the connection, between this thread and stop()
        self._stopped = False
        self._lines: list[str] = []
        self._error: sqlite3.Error | None = None
        self._thread = threading.Thread(target=self._run, name="verify-integrity", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from dutydesk.db import connect_readonly_file

        try:
            with self._lock:
                if self._stopped:
                    return
                self._conn = conn = connect_readonly_file(self._path)
            try:
                self._lines = integrity_lines(conn)
            finally:
                with self._lock:
                    self._conn = None
                    conn.close()
        except sqlite3.Error as exc:
            self._error = exc

    def result(self) -> list[str]:
        """The lines (["ok"]: sound), once the check has ended; raises what it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._lines

    def stop(self) -> None:
        """Abandoned (verify failed or was interrupted): the check stops at its next step."""
        with self._lock:
            self._stopped = True
            if self._conn is not None:
                self._conn.interrupt()
