"""Reading a whole register ahead, for the checks that read all of it (`verify`).

`verify` of ten years read cold from disk took 29 s against 13-15 s with the file in the page
cache (session 12): the chain's ranges and the register checks read the file's pages in index
order, a few at a time, from several processes. Asking the kernel for the whole file at the
start (POSIX_FADV_WILLNEED, piece by piece) has it read in large sequential requests while the
checks begin on what is there (3 GB in the page cache within about 3 s on the bench machine). Only when the file fits comfortably in the memory the system says is available,
so that it does not push out what other programs are using."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

SHARE_OF_AVAILABLE = 0.5  # read ahead only a file at most this share of the available memory
# The kernel reads ahead at most a few MB for one request (one request for a 3 GB file read
# 8 MB of it: fincore), so the file is asked for in pieces of this size, one after another.
PIECE = 8 << 20


def available_memory() -> int | None:
    """MemAvailable from /proc/meminfo in bytes (None where there is no such file)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def worth_reading_ahead(size: int, available: int | None) -> bool:
    return available is not None and 0 < size <= available * SHARE_OF_AVAILABLE


def read_ahead(path: Path, available: int | None = None) -> threading.Thread | None:
    """Ask the kernel to read `path` into the page cache, from a thread of its own (the request
    can take a moment to queue on a large file). Returns that thread, or None when not worth it
    (too large for the memory, no such advice on this system, or the file cannot be opened)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return None
    try:
        status = path.stat()
    except OSError:
        return None
    size = status.st_size
    if not stat.S_ISREG(status.st_mode):  # a FIFO's open would wait for a writer
        return None
    if not worth_reading_ahead(size, available_memory() if available is None else available):
        return None

    def ask() -> None:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            return
        try:
            for offset in range(0, size, PIECE):
                advise(fd, offset, min(PIECE, size - offset), os.POSIX_FADV_WILLNEED)
        except OSError:
            pass  # advice only: the checks read the file anyway
        finally:
            os.close(fd)

    thread = threading.Thread(target=ask, name="read-ahead", daemon=True)
    thread.start()
    return thread
