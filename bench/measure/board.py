"""CPU of the countdown board (应报时限看板) showing 500 open deadlines for 20 s.

On a copy of the work database, incidents are recorded through dutydesk.services.incidents.incidents at
the real time (so the profile's rules set their deadlines, some ok, some in the warning window,
some overdue) until 500 deadlines are open. The app is then launched in tmux with the system
clock (a frozen clock would never tick the countdown), the board is opened with F3, and once
its rows are painted the app's utime + stime is read from /proc over the window."""

from __future__ import annotations

import math
import shlex
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.measure import startup

DEADLINES = 500
SECONDS = 20
BOARD_WAIT_S = 15.0  # for the board to show after F3, per attempt
SETTLE_S = 1.0  # after the board's rows are painted, before sampling
PLACES = ["人民路东段", "滨河路桥下", "开发区管委会", "化工园区南门", "海河大道交叉口"]


def add_open_deadlines(db: Path, wanted: int) -> dict[str, Any]:
    """Record incidents now until `wanted` deadlines are open; returns what is open."""
    import pendulum

    from dutydesk.clock import SystemClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.incidents import deadlines
    from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
    from dutydesk.services.roster.people import list_people

    desk = open_desk(db, SystemClock())
    try:
        profile = desk.profile
        rules = deadlines.rules_for(profile, "incident", "IV")
        dated = sorted(r.minutes for r in rules if r.minutes)
        already = len(deadlines.open_deadlines(desk))
        count = math.ceil(max(0, wanted - already) / max(1, len(rules)))
        recorder = next(p for p in list_people(desk) if p.role == "officer")
        warning = profile.incidents.warning_minutes
        shortest, longest = (dated[0], dated[-1]) if dated else (warning * 3, warning * 6)
        # How long ago each incident happened: a fifth overdue, a fifth with its first
        # deadline in the warning window, the rest fresh (every deadline ok).
        ago = [longest + 30, shortest - warning / 2, 1.0, 1.0, 1.0]
        began = time.perf_counter()
        for index in range(count):
            now = pendulum.now(desk.timezone)
            draft = IncidentDraft(
                type="accident",
                level="IV",
                occurred_at=now.subtract(seconds=int(ago[index % len(ago)] * 60) + index % 60),
                place=PLACES[index % len(PLACES)],
                summary=f"{PLACES[index % len(PLACES)]}发生一起交通事故（看板测试{index + 1}）",
            )
            record_incident(desk, draft, recorder)
        seconds = time.perf_counter() - began
        views = deadlines.open_deadlines(desk)
    finally:
        desk.close()
    return {
        "incidents_added": count,
        "record_seconds": round(seconds, 1),
        "open": len(views),
        "statuses": dict(sorted(Counter(v.status for v in views).items())),
    }


def measure(db: Path, frozen_at: str, seconds: float = SECONDS) -> dict[str, Any]:
    """`frozen_at` is not used: the board is measured with the system clock ticking."""
    missing = startup.tmux_missing()
    if missing:
        return {"measured": False, "reason": missing}
    copy = db.with_name(db.stem + "-board.sqlite3")
    shutil.copyfile(db, copy)
    try:
        added = add_open_deadlines(copy, DEADLINES)
        cpu = _run(copy, seconds)
    finally:
        for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            leftover.unlink(missing_ok=True)
        for lock in copy.parent.glob(f"{copy.name}.*.lock"):  # the app's draft lock
            lock.unlink(missing_ok=True)
    if "reason" in cpu:
        return {"measured": False, **cpu, **added}
    return {
        "measured": True,
        "deadlines": added["open"],
        "seconds": cpu["seconds"],
        "cpu_percent_of_one_core": cpu["cpu_percent"],
        "cpu_percent": cpu["cpu_percent"],
        **added,
        "paint_s": cpu["paint_s"],
        "rows_on_screen": cpu["rows_on_screen"],
        "clock": "system (ticking)",
        "method": "utime+stime of the app (/proc/PID/stat) while the board shows the open "
        "deadlines, 120x36 tmux pane",
    }


def _run(db: Path, seconds: float) -> dict[str, Any]:
    from dutydesk.i18n import t

    tmux = startup._tmux
    dutydesk = str(Path(sys.executable).with_name("dutydesk"))
    command = [dutydesk, "--db", str(db)]  # the installed program: the system clock
    name = "board"
    tmux("new-session", "-d", "-s", name, "-x", str(startup.COLUMNS), "-y", str(startup.LINES),
         "-e", "DUTYDESK_LANG=zh", "exec " + shlex.join(command))  # fmt: skip
    title, ask_shift = t("board.title_count", count=""), t("open_shift.title")
    states = [t(f"deadline_status.{state}") for state in ("ok", "warning", "overdue")]

    def row_lines(pane: str) -> int:  # board rows on screen: each says its state in words
        return sum(1 for line in pane.splitlines() if any(f" {s} " in line for s in states))

    try:
        pane = _wait(name, lambda p: bool(startup.NUMBER.search(p)) or ask_shift in p)
        began = time.perf_counter()
        for _attempt in range(3):
            # The "open a shift?" dialog can come up just after the call list has painted.
            if ask_shift in startup._tmux("capture-pane", "-p", "-t", name, check=False):
                tmux("send-keys", "-t", name, "Escape")  # no shift open at the real time: later
                time.sleep(0.3)
            tmux("send-keys", "-t", name, "F3")
            pane = _wait(
                name, lambda p: title.split("：")[0] in p and row_lines(p) > 0, BOARD_WAIT_S
            )
            if row_lines(pane):
                break
        if not row_lines(pane):
            return {"reason": "not measured: the board never showed its rows", "pane": pane}
        paint = time.perf_counter() - began
        time.sleep(SETTLE_S)
        pid = int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())
        before, start = startup._cpu_seconds(pid), time.perf_counter()
        time.sleep(seconds)
        used, elapsed = startup._cpu_seconds(pid) - before, time.perf_counter() - start
        pane = tmux("capture-pane", "-p", "-t", name, check=False)
    finally:
        tmux("kill-session", "-t", name, check=False)
        tmux("kill-server", check=False)
    return {
        "seconds": round(elapsed, 1),
        "cpu_percent": round(100 * used / elapsed, 2),
        "paint_s": round(paint, 2),
        "rows_on_screen": row_lines(pane),
        "last_screen": pane,
    }


def _wait(name: str, done: Any, timeout: float = startup.TIMEOUT_S) -> str:
    started, pane = time.perf_counter(), ""
    while time.perf_counter() - started < timeout:
        pane = startup._tmux("capture-pane", "-p", "-t", name, check=False)
        if done(pane):
            break
        time.sleep(0.05)
    return pane
