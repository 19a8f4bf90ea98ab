"""The roster screen's open with F7 (issue 17: "opens in under 200 ms with ten years of rosters
in the register"), measured as a person would make it: in a Textual Pilot app at 120x36, F7 from
the calls screen until the month's rows are in the grid, then F2 back. CPU time
(time.process_time, the whole process: the screen's worker, the paint) beside wall time, and the
load average. Each app runs in a fresh interpreter, so its first F7 imports the screen's modules.

Two kinds of app, --apps of each: one left idle after start until it has built the roster screen
ahead (app.BUILT_AHEAD), then F7 --runs times (the first open, then later opens: switching back
to it); one where F7 comes before that (nothing built ahead: the first open mounts the screen).

The register: 40 people, a month roster generated for each of the 120 months from 2017 to
2026 (built once into --db, by default /tmp/roster_open/roster10.sqlite3), a shift open on
2026-12-15. Also the worker's reads alone (the grid, the people and their eligibility).

python -m bench.measure.roster_open [--runs 8] [--apps 3] [--db PATH] [--json]"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pendulum

from bench.measure.roster import _staff

NOW = pendulum.datetime(2026, 12, 15, 10, tz="Asia/Shanghai")
DEFAULT_DB = Path("/tmp/roster_open/roster10.sqlite3")
REPOSITORY = Path(__file__).resolve().parents[2]


def build(path: Path) -> None:
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster import generate_month
    from dutydesk.services.roster.shifts import open_shift

    path.parent.mkdir(parents=True, exist_ok=True)
    clock = FrozenClock(pendulum.datetime(2017, 1, 1, 9, tz="Asia/Shanghai"))
    desk = init_database(path, "基准测试值班室", "tianjin", clock)
    planner = _staff(desk)
    for m in range(120):
        year, month = 2017 + m // 12, m % 12 + 1
        generate_month(desk, year, month, seed=year * 100 + month, by=planner)
    clock.set(NOW)
    open_shift(desk, "值班甲甲", leader="领导甲甲")
    desk.close()


def worker_read(path: Path, repeats: int) -> list[float]:
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core import open_desk
    from dutydesk.services.roster import ineligibilities, list_people
    from dutydesk.services.roster.roster_grid import month_roster

    desk = open_desk(path, FrozenClock(NOW))
    runs = []
    for _ in range(repeats):
        began = time.process_time()
        month_roster(desk, NOW.year, NOW.month)
        day = desk.now().date()
        [p for p in list_people(desk) if not ineligibilities(p, desk.profile.eligibility, day)]
        runs.append(time.process_time() - began)
    desk.close()
    return runs


async def _settle(app: Any, pilot: Any) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _built_ahead(app: Any, pilot: Any) -> bool:
    """Wait (at most ~10 s) until the app has built the roster screen ahead, hidden."""
    for _ in range(200):
        try:
            stack = app.get_screen_stack("roster")
        except KeyError:
            await pilot.pause(0.05)
            continue
        await _settle(app, pilot)
        return bool(stack and getattr(stack[0], "rows", None))
    return False


async def screen_opens(path: Path, runs: int, ahead: bool) -> list[tuple[float, float]]:
    """(CPU, wall) of each F7 open, the first one first: with the screen built ahead while the
    app was idle after start (`ahead`), or pressed before (the app builds nothing ahead)."""
    from dutydesk import app as app_module
    from dutydesk.clock import FrozenClock

    if not ahead:
        app_module.BUILT_AHEAD = ()
    app = app_module.make_app(path, clock=FrozenClock(NOW))
    opens = []
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(2):
            await _settle(app, pilot)
        if ahead:
            assert await _built_ahead(app, pilot), "the roster screen was not built ahead"
        for _ in range(runs):
            cpu, wall = time.process_time(), time.perf_counter()
            await pilot.press("f7")
            await _settle(app, pilot)
            screen = app.screen
            assert type(screen).__name__ == "RosterScreen" and getattr(screen, "rows", None)
            opens.append((time.process_time() - cpu, time.perf_counter() - wall))
            await pilot.press("f2")
            await _settle(app, pilot)
    return opens


def _ms(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values) * 1000, 1),
        "min_ms": round(min(values) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def one_app(path: Path, runs: int, ahead: bool) -> list[tuple[float, float]]:
    """The opens of one app in a fresh interpreter (the first open imports the screen's
    modules, as a person's first F7 does)."""
    command = [sys.executable, "-m", "bench.measure.roster_open", "--db", str(path),
               "--runs", str(runs), "--one-app", "ahead" if ahead else "at-once"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=REPOSITORY)
    return [(cpu, wall) for cpu, wall in json.loads(done.stdout.splitlines()[-1])]


def _figures(opens: list[list[tuple[float, float]]]) -> dict[str, Any]:
    firsts = [app[0] for app in opens]
    later = [each for app in opens for each in app[1:]]
    return {
        "first_open_cpu": _ms([c for c, _w in firsts]),
        "first_open_wall": _ms([w for _c, w in firsts]),
        "first_open_cpu_each_ms": [round(c * 1000) for c, _w in firsts],
        "later_opens_cpu": _ms([c for c, _w in later]) if later else None,
        "later_opens_wall": _ms([w for _c, w in later]) if later else None,
    }


def measure(path: Path = DEFAULT_DB, runs: int = 8, apps: int = 3) -> dict[str, Any]:
    if not path.exists():
        build(path)
    load_before = os.getloadavg()
    reads = worker_read(path, 10)
    ahead = [one_app(path, runs, ahead=True) for _ in range(apps)]
    at_once = [one_app(path, 1, ahead=False) for _ in range(apps)]
    return {
        "load_before": [round(x, 2) for x in load_before],
        "worker_read_cpu": _ms(reads),
        "built_ahead": _figures(ahead),
        "pressed_at_start": _figures(at_once),
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=8, help="F7 opens in one app (the first included)"
    )
    parser.add_argument("--apps", type=int, default=3, help="fresh apps of each kind")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one-app", choices=("ahead", "at-once"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_app:  # one app's opens, for measure() (a line of JSON)
        print(json.dumps(asyncio.run(screen_opens(args.db, args.runs, args.one_app == "ahead"))))
        return
    result = measure(args.db, args.runs, args.apps)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
