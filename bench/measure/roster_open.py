"""The roster screen's open with F7 (issue 17: "opens in under 200 ms with ten years of rosters
in the register"), measured as a person would make it: in a Textual Pilot app at 120x36, F7 from
the calls screen until the month's rows are in the grid, then F2 back. The first open builds
the screen (the mode's factory); later opens switch back to it. CPU time (time.process_time,
the whole process: the screen's worker, the paint) beside wall time, and the load average.

The register: 40 people, a month roster generated for each of the 120 months from 2017 to
2026 (built once into --db, by default /tmp/roster_open/roster10.sqlite3), a shift open on
2026-12-15. Also the worker's reads alone (the grid, the people and their eligibility).

python -m bench.measure.roster_open [--runs 8] [--db PATH] [--json]"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import pendulum

from bench.measure.roster import _staff

NOW = pendulum.datetime(2026, 12, 15, 10, tz="Asia/Shanghai")
DEFAULT_DB = Path("/tmp/roster_open/roster10.sqlite3")


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


async def screen_opens(path: Path, runs: int) -> list[tuple[float, float]]:
    """(CPU, wall) of each F7 open, the first one first."""
    from dutydesk.app import make_app
    from dutydesk.clock import FrozenClock

    app = make_app(path, clock=FrozenClock(NOW))
    opens = []
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(2):
            await _settle(app, pilot)
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


def measure(path: Path = DEFAULT_DB, runs: int = 8) -> dict[str, Any]:
    if not path.exists():
        build(path)
    load_before = os.getloadavg()
    reads = worker_read(path, 10)
    opens = asyncio.run(screen_opens(path, runs))
    later = opens[1:] or opens
    return {
        "load_before": [round(x, 2) for x in load_before],
        "worker_read_cpu": _ms(reads),
        "first_open": {
            "cpu_ms": round(opens[0][0] * 1000, 1),
            "wall_ms": round(opens[0][1] * 1000, 1),
        },
        "later_opens_cpu": _ms([c for c, _w in later]),
        "later_opens_wall": _ms([w for _c, w in later]),
        "later_opens_cpu_each_ms": [round(c * 1000) for c, _w in later],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=8, help="F7 opens in one app (the first included)"
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.db, args.runs)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
