"""The live board, and keystrokes while another terminal writes (issue 15, Benchmark).

Both run the installed app (the system clock) in a 120x36 tmux pane on a copy of the register,
with a second process (bench.live_writer) writing to the same file through the services:

- outside change: the writer records an incident (two or three deadlines) every few seconds; for
  each, the time from its commit (the wall-clock time it prints) until the board's title and the
  header both show the new count of open deadlines, polling the pane every POLL_S;
- keystrokes: the writer saves a call every WRITE_EVERY_S while a key is sent to the call form's
  first field, alternately a letter and Backspace; each key's time is from `tmux send-keys`
  returning until the pane shows the change (tmux's own round trip and the polling included: an
  upper bound on what the officer sees)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import startup
from bench.measure.stats import summary

POLL_S = 0.005
WAIT_S = 10.0  # for one change to show, at most
WRITE_EVERY_S = 0.1  # the writer's pace while keys are typed: ten commits a second
INCIDENT_EVERY_S = 2.0
MARK = "Ж"  # a letter nothing else on the calls screen shows
REPOSITORY = Path(__file__).resolve().parents[2]


def _start_app(db: Path, name: str) -> None:
    dutydesk = str(Path(sys.executable).with_name("dutydesk"))
    startup._tmux("new-session", "-d", "-s", name, "-x", str(startup.COLUMNS),
                  "-y", str(startup.LINES), "-e", "DUTYDESK_LANG=zh",
                  "exec " + shlex.join([dutydesk, "--db", str(db)]))  # fmt: skip


def _pane(name: str) -> str:
    return startup._tmux("capture-pane", "-p", "-t", name, check=False)


def _wait(name: str, done: Any, timeout: float = WAIT_S) -> tuple[str, float | None]:
    """The pane once `done(pane)`, and when (perf_counter), or the last pane and None."""
    started, pane = time.perf_counter(), ""
    while time.perf_counter() - started < timeout:
        pane = _pane(name)
        if done(pane):
            return pane, time.perf_counter()
        time.sleep(POLL_S)
    return pane, None


def _writer(db: Path, kind: str, every: float, count: int) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bench.live_writer", str(db), kind, str(every), str(count)]
    process = subprocess.Popen(command, cwd=REPOSITORY, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError("bench.live_writer did not start")
    return process


def _ready(name: str) -> str | None:
    """Wait for the call list; put away the open-shift dialog if it comes. None when ready."""
    from dutydesk.i18n import t

    ask_shift = t("open_shift.title")
    pane, at = _wait(
        name,
        lambda p: bool(startup.NUMBER.search(p) or startup.LIST_COUNT.search(p)),
        startup.TIMEOUT_S,
    )
    if at is None:
        return "not measured: the call list never showed"
    time.sleep(0.5)
    if ask_shift in _pane(name):
        startup._tmux("send-keys", "-t", name, "Escape")
        time.sleep(0.3)
    return None


def _counts(pane: str) -> tuple[int | None, int | None]:
    """(the board's title count, the header's count) as shown."""
    title = re.search(r"未完成的报告时限：(\d+) 项", pane)
    header = re.search(r"报告时限 (\d+) 项", pane)
    return (int(title[1]) if title else None, int(header[1]) if header else None)


def outside_change(db: Path, writes: int) -> dict[str, Any]:
    """Seconds from another process's commit until the board and the header show it."""
    name = "live-board"
    _start_app(db, name)
    delays: list[float] = []
    catch_up: list[float] = []
    disagreed = header_lags = 0
    try:
        problem = _ready(name)
        if problem:
            return {"measured": False, "reason": problem}
        for _ in range(5):  # F3 pressed while the first look is still up waits for the register
            startup._tmux("send-keys", "-t", name, "F3")
            pane, shown = _wait(name, lambda p: _counts(p)[0] is not None, WAIT_S / 5)
            if shown is not None:
                break
        else:
            return {"measured": False, "reason": "the board never showed"}
        writer = _writer(db, "incident", INCIDENT_EVERY_S, writes)
        assert writer.stdout is not None
        for _ in range(writes):
            before = _counts(_pane(name))[0] or 0
            committed = float(writer.stdout.readline())
            lag = time.time() - committed  # the commit happened this long before now
            began = time.perf_counter()
            pane, at = _wait(name, lambda p, n=before: (_counts(p)[0] or 0) > n)
            if at is None:
                return {"measured": False, "reason": "the board never showed the change"}
            title, header = _counts(pane)
            if title != header:
                # Seen about once a run: a capture taken between two parts of one frame (tmux
                # reads the terminal's output in pieces; the app updates both in one step, as
                # tests/test_live_stale.py checks), so the header is given 2 s to catch up and
                # the time it took is kept: milliseconds for a torn capture, a second for a tick.
                seen = time.perf_counter()
                pane, caught = _wait(name, lambda p: _counts(p)[0] == _counts(p)[1], 2.0)
                header_lags += 1
                disagreed += caught is None
                if caught is not None:
                    catch_up.append(caught - seen)
            delays.append(lag + at - began)
        writer.wait(timeout=WAIT_S)
    finally:
        startup._tmux("kill-session", "-t", name, check=False)
    return {
        "measured": True,
        "writes": writes,
        **summary(delays),
        "max_s": round(max(delays), 3),
        "delays_s": [round(d, 3) for d in delays],
        "header_disagreed": disagreed,  # still, 2 s after the board showed the change
        "header_behind_board": header_lags,  # a moment behind the board (caught up within 2 s)
        "header_caught_up_ms": [round(s * 1000, 1) for s in catch_up],
        "method": "commit time printed by a second process to the board's new count in a "
        f"120x36 tmux pane, polled every {POLL_S * 1000:.0f} ms",
    }


def _type(name: str, keys: int) -> list[float] | str:
    """Send `keys` keys, alternately MARK and Backspace; each one's time, or what went wrong."""
    times: list[float] = []
    for index in range(keys):
        typing = index % 2 == 0
        began = time.perf_counter()
        startup._tmux("send-keys", "-t", name, MARK if typing else "BSpace")
        _pane_now, at = _wait(name, lambda p, typed=typing: (MARK in p) == typed)
        if at is None:
            return f"key {index + 1} never showed"
        times.append(at - began)
    return times


def keystrokes(db: Path, keys: int) -> dict[str, Any]:
    """Keystroke-to-screen times on the call form, first with nobody else writing (the
    reference: tmux and this machine), then while a second process saves calls."""
    name = "live-keys"
    _start_app(db, name)
    writer = None
    try:
        problem = _ready(name)
        if problem:
            return {"measured": False, "reason": problem}
        quiet = _type(name, keys)
        writer = _writer(db, "call", WRITE_EVERY_S, 100_000)
        time.sleep(1.0)  # the writer under way
        busy = _type(name, keys)
    finally:
        if writer is not None:
            writer.terminate()
            writer.wait()
        startup._tmux("kill-session", "-t", name, check=False)
    if isinstance(quiet, str) or isinstance(busy, str):
        return {"measured": False, "reason": quiet if isinstance(quiet, str) else busy}
    return {
        "measured": True,
        "keys": keys,
        **summary(busy),
        "without_writer": summary(quiet),
        "writer": f"a call saved every {WRITE_EVERY_S} s by a second process",
        "method": "tmux send-keys until the pane shows the change (tmux round trip included)",
    }


def measure(db: Path, writes: int, keys: int) -> dict[str, Any]:
    missing = startup.tmux_missing()
    if missing:
        return {"measured": False, "reason": missing}
    copy = db.with_name(db.stem + "-live.sqlite3")
    shutil.copyfile(db, copy)
    # a session that outlives the app's: killing the last one stops the tmux server, and the
    # next new-session can race its exit
    startup._tmux("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "sleep 3600")
    try:
        change = outside_change(copy, writes)
        typed = keystrokes(copy, keys)
    finally:
        startup._tmux("kill-server", check=False)
        _wait_for_exit(copy)  # the app saves its draft as it quits: remove it after that
        for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            leftover.unlink(missing_ok=True)
        for draft in copy.parent.glob(f"{copy.name}.*.draft.json"):
            draft.unlink(missing_ok=True)
        for lock in copy.parent.glob(f"{copy.name}.*.lock"):
            lock.unlink(missing_ok=True)
    return {"outside_change": change, "keystrokes": typed}


def _wait_for_exit(db: Path, limit: float = 10.0) -> None:
    """Until no process has `db` on its command line (the app, after tmux's hang-up)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            found = subprocess.run(["pgrep", "-f", str(db)], capture_output=True, check=False)
        except FileNotFoundError:  # no pgrep: give the app a moment
            time.sleep(1.0)
            return
        if found.returncode != 0:
            return
        time.sleep(0.1)
