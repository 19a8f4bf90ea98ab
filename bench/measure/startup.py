"""First paint, "usable" and memory, in a real terminal: each app is launched in a detached tmux
session (120x36, its own tmux server) and the pane is polled until the header shows.

Usable (issue 19): the office name (or the crew) and the shift's calls are on screen, and the
form takes keys: once the list shows, a probe is typed into the focused field (again every
PROBE_AGAIN_S until it shows: keys sent before the form exists may be lost) and the time is
taken when it appears on screen. Its floor is the minimal Textual app's first paint. The CPU
time of each process (user + system) is read when each mark is seen, beside the wall time.

On its own: `python -m bench.measure.startup REGISTER [--runs N] [--idle SECONDS]` (REGISTER
is a copy: the app writes to it)."""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SOCKET = f"dutydesk-bench-{os.getpid()}"
COLUMNS, LINES = 120, 36
POLL_S = 0.01
TIMEOUT_S = 60.0
SETTLE_S = 1.0  # after the app has loaded, before reading its peak RSS
# after the list shows, before idle CPU is counted: past the start-up's deferred work (the
# roster screen built ahead, the first upkeep run), which is start-up, not idling
IDLE_SETTLE_S = 45.0
TITLE = "值班台"
NUMBER = re.compile(r"\b20\d\d-\d{6}\b")  # a register number: the call list has loaded
LIST_COUNT = re.compile(
    r"本班电话记录 \d+ 条"
)  # the list's title counts once it has loaded (a shift
# just begun has no register number to show)
CREW = "值班员 "  # the header names the officer: the register is open (a long office name with
# a full crew gives way in the header, so the office name alone is not a sure sign)
PROBE = "zq"  # typed into the form's first field; on no screen before it is typed
PROBE_AGAIN_S = 0.2
MINIMAL_APP = Path(__file__).resolve().parents[1] / "minimal_app.py"
REPOSITORY = Path(__file__).resolve().parents[2]


def frozen_dutydesk(
    db: Path, frozen_at: str, repository: Path = REPOSITORY
) -> tuple[list[str], dict[str, str]]:
    """The app (of the checkout `repository`) on a clock frozen at `frozen_at` (the installed
    program has no such switch: bench.frozen passes the clock in code), and its environment.
    `-P`: `-m` put the working directory first on the path, so `--repository` launched the
    checkout the bench was run from, not the one named (session 19)."""
    command = [sys.executable, "-P", "-m", "bench.frozen", "--at", frozen_at, "--", "--db", str(db)]
    return command, {"PYTHONPATH": str(repository), "DUTYDESK_LANG": "zh"}


def compile_checkout(repository: Path) -> None:
    """The checkout's bytecode, written before any launch is timed. The floor (Textual) runs from
    the bytecode pip wrote at install, as an installed DutyDesk does; a checkout launched with
    PYTHONDONTWRITEBYTECODE set (as on the bench machine, where no `__pycache__` is ever written)
    compiled every module of its own it imports from source at every launch, and that was timed
    as start-up (~50 modules: 100-200 ms of CPU at load 15)."""
    import compileall

    for package in ("dutydesk", "bench"):
        compileall.compile_dir(repository / package, quiet=2)


def tmux_missing() -> str | None:
    if shutil.which("tmux"):
        return None
    return "skipped: tmux is not installed (first paint needs a real terminal)"


def _tmux(*args: str, check: bool = True) -> str:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        ["tmux", "-L", SOCKET, "-f", "/dev/null", *args],
        capture_output=True,
        text=True,
        env=env,
        check=check,
    )
    return result.stdout


@dataclass
class Launch:
    header_s: float | None  # the title (or the office name) on screen
    office_s: float | None  # the office name: the register is open
    loaded_s: float | None  # a register number: the call list is filled
    usable_s: float | None  # and the form has taken the keys typed
    peak_rss_mb: float | None
    rss_mb: float | None
    header_cpu_s: float | None = None  # the process's CPU time when the header was seen
    usable_cpu_s: float | None = None  # and when the probe was
    loaded_cpu_s: float | None = None  # and when the list was


def _memory(pid: int) -> tuple[float | None, float | None]:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None, None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)

    def mb(key: str) -> float | None:
        value = fields.get(key)
        return round(int(value.split()[0]) / 1024, 1) if value else None

    return mb("VmHWM"), mb("VmRSS")


def launch(
    command: list[str], env: dict[str, str], office: str | None, name: str, settle: float
) -> Launch:
    """Start `command` in a fresh session; time the header, the office name, the loaded list."""
    env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    shell = "exec " + shlex.join(command)
    started = time.perf_counter()
    _tmux("new-session", "-d", "-s", name, "-x", str(COLUMNS), "-y", str(LINES), *env_args, shell)
    header = office_at = loaded = usable = header_cpu = usable_cpu = loaded_cpu = None
    pid = _pane_pid(name)
    probed_at = 0.0
    wanted_loaded = office is not None
    pane = ""
    while time.perf_counter() - started < TIMEOUT_S:
        pane = _tmux("capture-pane", "-p", "-t", name, check=False)
        now = time.perf_counter() - started
        if header is None and (TITLE in pane or (office and office in pane)):
            header, header_cpu = now, _cpu_or_none(pid)
        if office and office_at is None and (office in pane or CREW in pane):
            office_at = now
        listed = NUMBER.search(pane) or LIST_COUNT.search(pane)
        if wanted_loaded and loaded is None and office_at is not None and listed:
            loaded, loaded_cpu = now, _cpu_or_none(pid)
        if loaded is not None and PROBE in pane and usable is None:
            usable, usable_cpu = now, _cpu_or_none(pid)
        if header is not None and (not wanted_loaded or usable is not None):
            break
        if loaded is not None and now - probed_at >= PROBE_AGAIN_S:
            _tmux("send-keys", "-t", name, "-l", PROBE, check=False)
            probed_at = now
        time.sleep(POLL_S)
    time.sleep(settle)
    peak, rss = _memory(pid) if pid is not None else (None, None)
    _tmux("kill-session", "-t", name, check=False)
    if header is None:
        sys.stderr.write(f"bench: {name} never painted its header; last screen:\n{pane}\n")
    return Launch(header, office_at, loaded, usable, peak, rss, header_cpu, usable_cpu, loaded_cpu)


def _pane_pid(name: str) -> int | None:
    """The launched program's process (the pane's command is exec'ed)."""
    text = _tmux("display-message", "-p", "-t", name, "#{pane_pid}", check=False).strip()
    return int(text) if text.isdigit() else None


def _cpu_or_none(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        return _cpu_seconds(pid)
    except (OSError, IndexError, ValueError):
        return None


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def idle_cpu(
    db: Path,
    office: str,
    frozen_at: str,
    seconds: float,
    repository: Path = REPOSITORY,
    settle: float = SETTLE_S,
) -> dict[str, Any]:
    """CPU of the app sitting on its first screen (header clock ticking), as % of one core,
    from `settle` seconds after its list showed (the register opens behind the first look)."""
    compile_checkout(repository)
    command, env = frozen_dutydesk(db, frozen_at, repository)
    env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
    name = "idle"
    _tmux("new-session", "-d", "-s", name, "-x", str(COLUMNS), "-y", str(LINES), *env_args,
          "exec " + shlex.join(command))  # fmt: skip
    try:
        started = time.perf_counter()
        while time.perf_counter() - started < TIMEOUT_S:
            pane = _tmux("capture-pane", "-p", "-t", name, check=False)
            if NUMBER.search(pane) or LIST_COUNT.search(pane):
                break
            time.sleep(0.05)
        time.sleep(settle)
        pid = int(_tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())
        before, began = _cpu_seconds(pid), time.perf_counter()
        time.sleep(seconds)
        used, elapsed = _cpu_seconds(pid) - before, time.perf_counter() - began
    finally:
        _tmux("kill-session", "-t", name, check=False)
    return {"seconds": round(elapsed, 1), "cpu_percent": round(100 * used / elapsed, 2)}


def measure(
    db: Path,
    office: str,
    frozen_at: str,
    runs: int,
    warm_up: bool = True,
    settle: float = SETTLE_S,
    idle_seconds: float = 0,
    repository: Path = REPOSITORY,
    idle_settle: float = IDLE_SETTLE_S,
) -> dict[str, Any]:
    """Median of `runs` launches of dutydesk and of the minimal Textual app, alternated, after
    one unmeasured warm-up launch of each (so both start from a warm disk cache), both from
    bytecode (compile_checkout)."""
    compile_checkout(repository)
    dutydesk, env = frozen_dutydesk(db, frozen_at, repository)
    minimal = [sys.executable, str(MINIMAL_APP)]
    _tmux("new-session", "-d", "-s", "keep", "-x", str(COLUMNS), "-y", str(LINES), "sleep 3600")
    try:
        idle = (
            idle_cpu(db, office, frozen_at, idle_seconds, repository, idle_settle)
            if idle_seconds
            else None
        )
        app_runs: list[Launch] = []
        floor_runs: list[Launch] = []
        first = 0 if warm_up else 1
        for index in range(first, runs + 1):
            forget_drafts(db)
            app = launch(dutydesk, env, office, f"app{index}", settle)
            floor = launch(minimal, {}, None, f"floor{index}", settle)
            if index:
                app_runs.append(app)
                floor_runs.append(floor)
    finally:
        _tmux("kill-server", check=False)
    return {**summarise(app_runs, floor_runs), "idle": idle}


def forget_drafts(db: Path) -> list[Path]:
    """The forms' drafts beside the register, removed before a launch: the probe typed into the
    last launch's form was kept as its crash draft, and the next launch showed it at once, so
    "usable" was taken as soon as the list showed (session 13)."""
    from dutydesk.screens.pending_files import PREFIX as PENDING  # calls saved, not drafts

    gone = []
    for path in db.parent.glob(f"{glob.escape(db.name)}.*.draft.json"):
        form = path.name[len(db.name) + 1 : -len(".draft.json")]
        if form.startswith(PENDING) or path.is_dir():
            continue
        path.unlink(missing_ok=True)
        gone.append(path)
    return gone


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    if len(present) < len(values) or not present:
        return None
    return statistics.median(present)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def summarise(app: list[Launch], floor: list[Launch]) -> dict[str, Any]:
    header = _median([r.header_s for r in app])
    usable = _median([r.usable_s for r in app])
    floor_header = _median([r.header_s for r in floor])
    return {
        "runs": len(app),
        "app_header_ms": _ms(header),
        "app_office_ms": _ms(_median([r.office_s for r in app])),
        "app_loaded_ms": _ms(_median([r.loaded_s for r in app])),
        "app_usable_ms": _ms(usable),
        "usable_ratio": round(usable / floor_header, 2) if usable and floor_header else None,
        "app_usable_runs_ms": [_ms(r.usable_s) for r in app],
        "minimal_header_ms": _ms(floor_header),
        "ratio": round(header / floor_header, 2) if header and floor_header else None,
        "app_runs_ms": [_ms(r.header_s) for r in app],
        "app_office_runs_ms": [_ms(r.office_s) for r in app],
        "minimal_runs_ms": [_ms(r.header_s) for r in floor],
        "app_peak_rss_mb": max((r.peak_rss_mb for r in app if r.peak_rss_mb), default=None),
        "app_rss_mb": _median([r.rss_mb for r in app]),
        "minimal_peak_rss_mb": max((r.peak_rss_mb for r in floor if r.peak_rss_mb), default=None),
        "app_usable_cpu_ms": _ms(_median([r.usable_cpu_s for r in app])),
        "app_loaded_cpu_ms": _ms(_median([r.loaded_cpu_s for r in app])),
        "app_loaded_cpu_runs_ms": [_ms(r.loaded_cpu_s) for r in app],
        "minimal_header_cpu_ms": _ms(_median([r.header_cpu_s for r in floor])),
        "app_usable_cpu_runs_ms": [_ms(r.usable_cpu_s) for r in app],
        "minimal_header_cpu_runs_ms": [_ms(r.header_cpu_s) for r in floor],
    }


def main(argv: list[str] | None = None) -> None:
    import argparse
    import json

    from bench.gen.build import end_time
    from bench.gen.vocab import OFFICE_NAME

    parser = argparse.ArgumentParser(prog="python -m bench.measure.startup")
    parser.add_argument("register", type=Path, help="a copy of a bench register (it is written)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=0, help="seconds of idle CPU to measure")
    parser.add_argument(
        "--idle-settle",
        type=float,
        default=IDLE_SETTLE_S,
        help="seconds after the list shows before the idle CPU is measured",
    )
    parser.add_argument("--idle-only", action="store_true", help="no launches timed")
    parser.add_argument("--at", default=end_time().add(minutes=1).isoformat())
    parser.add_argument("--repository", type=Path, default=REPOSITORY,
                        help="the checkout whose app is launched (to compare two)")  # fmt: skip
    options = parser.parse_args(argv)
    load_before = os.getloadavg()
    if options.idle_only:
        figures = idle_cpu(options.register, OFFICE_NAME, options.at, options.idle,
                           options.repository, options.idle_settle)  # fmt: skip
        figures["load_average"] = {"before": load_before, "after": os.getloadavg()}
        json.dump(figures, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    figures = measure(options.register, OFFICE_NAME, options.at, options.runs,
                      idle_seconds=options.idle, repository=options.repository,
                      idle_settle=options.idle_settle)  # fmt: skip
    figures["load_average"] = {"before": load_before, "after": os.getloadavg()}
    json.dump(figures, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
