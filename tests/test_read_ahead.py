"""verify reads a register ahead (session 13): the kernel is asked for the whole file at the
start, when it fits in half the available memory, and the check goes on whatever the advice."""

from __future__ import annotations

import os

import pytest

from dutydesk.services.archive import read_ahead as read_ahead_module
from dutydesk.services.archive import verify as verify_module
from dutydesk.services.archive.read_ahead import read_ahead, worth_reading_ahead


def _advised(monkeypatch) -> list[tuple[int, int, int]]:  # noqa: ANN001
    calls: list[tuple[int, int, int]] = []
    monkeypatch.setattr(os, "posix_fadvise", lambda fd, offset, length, advice: calls.append(
        (offset, length, advice)))  # fmt: skip
    return calls


def test_the_whole_file_is_asked_for_when_it_fits(monkeypatch, tmp_path):
    calls = _advised(monkeypatch)
    register = tmp_path / "desk.sqlite3"
    register.write_bytes(b"x" * 10_000)
    thread = read_ahead(register, available=1_000_000)
    assert thread is not None
    thread.join(5)
    assert calls == [(0, 10_000, os.POSIX_FADV_WILLNEED)]


def test_a_large_file_is_asked_for_piece_by_piece(monkeypatch, tmp_path):
    """One request for a whole 3 GB register read 8 MB of it (the kernel's read-ahead cap)."""
    calls = _advised(monkeypatch)
    monkeypatch.setattr(read_ahead_module, "PIECE", 4096)
    register = tmp_path / "desk.sqlite3"
    register.write_bytes(b"x" * 10_000)
    thread = read_ahead(register, available=1_000_000)
    assert thread is not None
    thread.join(5)
    assert calls == [(0, 4096, os.POSIX_FADV_WILLNEED), (4096, 4096, os.POSIX_FADV_WILLNEED),
                     (8192, 1808, os.POSIX_FADV_WILLNEED)]  # fmt: skip


def test_not_when_the_file_would_take_more_than_half_the_memory(monkeypatch, tmp_path):
    calls = _advised(monkeypatch)
    register = tmp_path / "desk.sqlite3"
    register.write_bytes(b"x" * 10_000)
    assert read_ahead(register, available=19_999) is None
    assert read_ahead(tmp_path / "missing.sqlite3", available=10**9) is None
    fifo = tmp_path / "fifo.sqlite3"
    os.mkfifo(fifo)
    assert read_ahead(fifo, available=10**9) is None  # opening it would wait for a writer
    assert calls == []
    assert worth_reading_ahead(10_000, 20_000) and not worth_reading_ahead(10_000, None)


def test_the_available_memory_is_read_from_the_system():
    if not os.path.exists("/proc/meminfo"):
        pytest.skip("no /proc/meminfo here")
    available = read_ahead_module.available_memory()
    assert available is not None and available > 0


def test_verify_reads_the_register_ahead_and_a_refused_advice_changes_nothing(monkeypatch, desk):
    asked: list[object] = []

    def refuse(fd: int, offset: int, length: int, advice: int) -> None:
        asked.append(advice)
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(os, "posix_fadvise", refuse)
    monkeypatch.setattr(read_ahead_module, "available_memory", lambda: 10**12)
    seen: list[object] = []
    original = verify_module.read_ahead
    monkeypatch.setattr(verify_module, "read_ahead",
                        lambda path: seen.append(original(path)) or seen[-1])  # fmt: skip
    report = verify_module.verify_register(desk.path)
    assert report.ok
    assert len(seen) == 1 and seen[0] is not None
    seen[0].join(5)  # type: ignore[attr-defined]
    assert asked == [os.POSIX_FADV_WILLNEED]
