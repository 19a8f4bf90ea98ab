"""Ctrl+Q to the shell's prompt, in a real terminal: the app is launched in a detached tmux session
(120x36, its own tmux server), each screen opened once (F2..F8, then back to F2: every mode's
screen is then built and hidden, as after a shift's work), left idle, and sent Ctrl+Q. Two times
are taken from the key: when the terminal has left the app's screen (tmux's alternate_on) and
when the process has ended (the shell's prompt comes then). The pane is kept after the end and
read: the return code, and whether the terminal was given back (no alternate screen, no mouse
reporting).

On its own: `python -m bench.measure.quit REGISTER [--runs N] [--repository PATH]` (REGISTER is
a copy: the app writes to it; a small one is `dutydesk --db /tmp/demo.sqlite3 demo --no-open`).
The system clock is used: any register opens on it."""

from __future__ import annotations

import os
import shlex
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure.startup import (
    COLUMNS,
    CREW,
    LINES,
    LIST_COUNT,
    NUMBER,
    REPOSITORY,
    TIMEOUT_S,
    _pane_pid,
    _tmux,
    compile_checkout,
)

SCREEN_KEYS = ("F2", "F3", "F4", "F5", "F6", "F7", "F8", "F2")
OPENED_S = 3.0  # after the list shows: past the screens built ahead (app.BUILD_AHEAD_AFTER_S)
KEY_GAP_S = 1.0  # between two screens: each is mounted and painted before the next
IDLE_S = 3.0  # idle before Ctrl+Q
QUIT_TIMEOUT_S = 20.0
# tmux's flags of a pane the app has given back: the shell's own screen, no mouse reporting
RESTORED = {
    "alternate_on": "0",
    "mouse_any_flag": "0",
    "mouse_all_flag": "0",
    "mouse_button_flag": "0",
    "mouse_standard_flag": "0",
    "mouse_sgr_flag": "0",
}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _pane(name: str, *formats: str) -> list[str]:
    text = _tmux("display-message", "-p", "-t", name, "\t".join(f"#{{{f}}}" for f in formats),
                 check=False)  # fmt: skip
    return text.rstrip("\n").split("\t")


def _open_screens(name: str) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < TIMEOUT_S:
        pane = _tmux("capture-pane", "-p", "-t", name, check=False)
        if CREW in pane or NUMBER.search(pane) or LIST_COUNT.search(pane):
            break
        time.sleep(0.05)
    time.sleep(OPENED_S)
    for key in SCREEN_KEYS:
        _tmux("send-keys", "-t", name, key, check=False)
        time.sleep(KEY_GAP_S)
    time.sleep(IDLE_S)


def quit_once(register: Path, repository: Path, name: str) -> dict[str, Any]:
    """One launch, its screens opened, then Ctrl+Q timed."""
    command = [sys.executable, "-P", "-m", "dutydesk", "--db", str(register)]
    _tmux("new-session", "-d", "-s", name, "-x", str(COLUMNS), "-y", str(LINES),
          "-e", f"PYTHONPATH={repository}", "exec " + shlex.join(command))  # fmt: skip
    _tmux("set-option", "-t", name, "remain-on-exit", "on")
    pid = _pane_pid(name)
    try:
        _open_screens(name)
        sent = time.perf_counter()
        _tmux("send-keys", "-t", name, "C-q")
        left = ended = None
        while time.perf_counter() - sent < QUIT_TIMEOUT_S and ended is None:
            if left is None and _pane(name, "alternate_on") == ["0"]:
                left = time.perf_counter() - sent
            if pid is None or not _alive(pid):
                ended = time.perf_counter() - sent
        waited = time.perf_counter()  # tmux notes the end a moment after the process's
        while _pane(name, "pane_dead_status") == [""] and time.perf_counter() - waited < 5:
            time.sleep(0.01)
        flags = dict(zip(RESTORED, _pane(name, *RESTORED), strict=True))
        code = _pane(name, "pane_dead_status")[0]
    finally:
        _tmux("kill-session", "-t", name, check=False)
    return {
        "terminal_back_ms": None if left is None else round(left * 1000, 1),
        "process_ended_ms": None if ended is None else round(ended * 1000, 1),
        "return_code": int(code) if code.isdigit() else None,
        "terminal_restored": flags == RESTORED,
    }


def measure(register: Path, runs: int, repository: Path = REPOSITORY) -> dict[str, Any]:
    compile_checkout(repository)
    _tmux("new-session", "-d", "-s", "keep", "-x", str(COLUMNS), "-y", str(LINES), "sleep 3600")
    try:
        results = [quit_once(register, repository, f"quit{index}") for index in range(runs)]
    finally:
        _tmux("kill-server", check=False)
    ended = [r["process_ended_ms"] for r in results if r["process_ended_ms"] is not None]
    return {
        "register_mb": round(register.stat().st_size / 2**20, 1),
        "process_ended_median_ms": round(statistics.median(ended), 1) if ended else None,
        "process_ended_max_ms": max(ended) if ended else None,
        "runs": results,
    }


def main(argv: list[str] | None = None) -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m bench.measure.quit")
    parser.add_argument("register", type=Path, help="a copy of a register (it is written)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repository", type=Path, default=REPOSITORY,
                        help="the checkout whose app is launched (to compare two)")  # fmt: skip
    options = parser.parse_args(argv)
    figures = measure(options.register, options.runs, options.repository)
    figures["load_average"] = os.getloadavg()
    json.dump(figures, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
