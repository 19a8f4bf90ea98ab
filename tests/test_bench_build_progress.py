"""Issue 19 for the bench's build: on a terminal the ten-year build shows a bar of the calls
written with the time left (stderr: the figures go to stdout); piped, its plain log lines."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing

from bench import __main__ as bench_main
from bench.gen import build


def test_the_build_reports_the_calls_written_rising_to_the_total(tmp_path):
    seen: list[tuple[int, int]] = []
    lines: list[str] = []
    path = tmp_path / "desk.sqlite3"
    build.build(path, 7, build.Size(300, 1), lines.append, lambda *p: seen.append(p))
    assert seen[0] == (0, 300) and seen[-1] == (300, 300)
    assert {total for _, total in seen} == {300}
    done = [done for done, _ in seen]
    assert done == sorted(done) and len(set(done)) > 50  # shift by shift, not at the end only
    assert not any("calls written" in line for line in lines)  # the bar instead of the lines
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT count(*) FROM call_record").fetchone()[0] == 300


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_the_bar_is_shown_only_when_stderr_is_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stderr", _Stream(tty=False))
    with bench_main.build_progress() as update:
        assert update is None
    monkeypatch.setattr("sys.stdout", _Stream(tty=False))  # the figures piped: the bar still
    monkeypatch.setattr("sys.stderr", _Stream(tty=True))
    with bench_main.build_progress() as update:
        assert update is not None
        update(5, 10)
