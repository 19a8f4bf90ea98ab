"""The roster screen for a month with ten years of rosters in the register (issue 17: under
200 ms). A new register (Tianjin rules) with 40 people (6 leaders, 30 officers, 4 standbys)
gets a generated monthly roster for each of the 120 months before December 2026 (through the
roster service, chained like every record); then, on the app's frozen clock:

- services: every service call the screen's worker makes to show the month (the grid, the
  people and their eligibility), CPU time of the process beside wall time;
- read: month_roster() for the current month, what the screen's worker reads (median of runs);
- open: the roster screen (as F7 makes it) pushed in a Textual Pilot app at 120x36 until the month's rows are in the grid
  (median of runs; the app started and the register opened before the first).

With --copy-of a bench register (ten years of calls, shifts and people), the rosters are
generated into a copy of it instead (its own people rostered), so the figures hold with a
full register.

python -m bench.measure.roster_screen [--years 10] [--runs 7] [--db PATH] [--copy-of PATH]
    [--services-only]"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

NOW = "2026-11-23T10:00:00+08:00"
PEOPLE = {"leader": 6, "officer": 30, "standby": 4}
SINCE = date(2015, 1, 1)
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章"
GIVEN = {"leader": "局长", "officer": "值班员", "standby": "值守"}


def build(path: Path, years: int) -> dict[str, Any]:
    """The register: 40 people and `years` x 12 generated monthly rosters (seconds taken)."""
    import pendulum

    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster.authority import authorise, create_first_admin
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.rotation import generate_month

    desk = init_database(
        path, "基准测试区人民政府总值班室", "tianjin", FrozenClock(pendulum.parse(NOW))
    )
    create_first_admin(desk, "管理员", "246813", "246813")
    grant = authorise(desk, "管理员", "246813")
    index = 0
    for role, count in PEOPLE.items():
        for _ in range(count):  # a surname of its own each (names hold no digits)
            name = f"{SURNAMES[index]}{GIVEN[role]}"
            add_person(desk, name, role, in_post_since=SINCE, authority=grant)
            index += 1
    month_seconds = []
    year, month = 2026 - years, 12
    for _ in range(years * 12):
        began = time.perf_counter()
        generate_month(desk, year, month, seed=year * 100 + month, by="管理员")
        month_seconds.append(time.perf_counter() - began)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    desk.close()
    return {"months": len(month_seconds),
            "generate_month_median_s": round(statistics.median(month_seconds), 3),
            "generate_month_max_s": round(max(month_seconds), 3)}  # fmt: skip


def build_in_copy(source: Path, path: Path, years: int) -> dict[str, Any]:
    """`years` x 12 generated monthly rosters added to a copy of `source` (a bench register of
    ten years of calls: its own people, hired and leaving over the years, are rostered)."""
    import subprocess

    for suffix in ("", "-wal"):  # a register left in WAL mode keeps its last rows there
        if Path(f"{source}{suffix}").exists():
            subprocess.run(["cp", "--reflink=auto", f"{source}{suffix}", f"{path}{suffix}"],
                           check=True)  # fmt: skip
    return {**add_rosters(path, years), "copy_of": source.name}


def add_rosters(path: Path, years: int) -> dict[str, Any]:
    """`years` x 12 monthly rosters generated into the register at `path` (its own people)."""
    import pendulum
    from sqlmodel import select

    from dutydesk.clock import FrozenClock
    from dutydesk.models import Person
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.roster.rotation import generate_month

    desk = open_desk(path, FrozenClock(pendulum.parse(NOW)))  # migrated to the head here
    with desk.engine.connect() as connection:
        by = connection.execute(select(Person.name).where(Person.role != "admin")).first()
    assert by is not None
    month_seconds = []
    year, month = 2026 - years, 12
    for _ in range(years * 12):
        began = time.perf_counter()
        generate_month(desk, year, month, seed=year * 100 + month, by=by[0])
        month_seconds.append(time.perf_counter() - began)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    desk.close()
    return {"months": len(month_seconds),
            "generate_month_median_s": round(statistics.median(month_seconds), 3),
            "generate_month_max_s": round(max(month_seconds), 3)}  # fmt: skip


def measure_in_place(path: Path, years: int, runs: int) -> dict[str, Any]:
    """For `python -m bench`: the rosters generated into its work copy of the ten-year register
    (it writes: run last), then the roster screen's service calls for a month."""
    import os

    load = os.getloadavg()[0]
    built = add_rosters(path, years)
    services, services_cpu = screen_services_ms(path, runs)
    return {
        "years_of_rosters": years,
        **built,
        "services_ms_median": round(statistics.median(services), 1),
        "services_cpu_ms_median": round(statistics.median(services_cpu), 1),
        "services_cpu_ms_max": round(max(services_cpu), 1),
        "load_average_1m": round(load, 2),
        "runs": runs,
        "what": "RosterScreen._load's service calls for 2026-11 (grid, people, eligibility)",
    }


def screen_services_ms(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """Every service call the roster screen's worker makes to show a month (RosterScreen._load:
    the grid, the people and their eligibility for name completion): wall and CPU ms."""
    import pendulum

    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.roster import ineligibilities, list_people
    from dutydesk.services.roster.roster_grid import month_roster

    desk = open_desk(path, FrozenClock(pendulum.parse(NOW)))
    times, cpu_ms = [], []
    for _ in range(runs + 1):  # the first warms the caches, as the app's first screen has
        began, cpu = time.perf_counter(), time.process_time()
        month_roster(desk, 2026, 11)
        day = desk.now().date()
        eligible = [p for p in list_people(desk)
                    if not ineligibilities(p, desk.profile.eligibility, day)]  # fmt: skip
        assert eligible
        times.append((time.perf_counter() - began) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
    desk.close()
    return times[1:], cpu_ms[1:]


def read_ms(path: Path, runs: int) -> tuple[list[float], list[float]]:
    import pendulum

    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.roster.roster_grid import month_roster

    desk = open_desk(path, FrozenClock(pendulum.parse(NOW)))
    times, cpu_ms = [], []
    for _ in range(runs):
        began, cpu = time.perf_counter(), time.process_time()
        month_roster(desk, 2026, 11)
        times.append((time.perf_counter() - began) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
    desk.close()
    return times, cpu_ms


async def _open_ms(
    path: Path, runs: int, screen: str = "roster"
) -> tuple[list[float], list[float]]:
    import pendulum

    from dutydesk.app import make_app
    from dutydesk.clock import FrozenClock
    from dutydesk.screens.people import PeopleScreen
    from dutydesk.screens.roster import RosterScreen

    make = {"roster": RosterScreen, "people": PeopleScreen}[screen]

    app = make_app(path, clock=FrozenClock(pendulum.parse(NOW)))
    times: list[float] = []
    cpu_ms: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(runs):
            began, cpu = time.perf_counter(), time.process_time()
            await app.push_screen(make())  # as its F-key makes it
            while not getattr(app.screen, "rows", None):
                await asyncio.sleep(0.002)
            await pilot.pause()  # painted
            times.append((time.perf_counter() - began) * 1000)
            cpu_ms.append((time.process_time() - cpu) * 1000)
            await app.pop_screen()
            await pilot.pause()
    return times, cpu_ms


def measure(
    years: int, runs: int, db: Path | None, copy_of: Path | None = None, screen: bool = True
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        path = db or Path(scratch) / "roster-bench.sqlite3"
        if path.exists():
            built: dict[str, Any] = {"months": "reused"}
        elif copy_of is not None:
            built = build_in_copy(copy_of, path, years)
        else:
            built = build(path, years)
        services, services_cpu = screen_services_ms(path, runs)
        figures = {
            "screen_services_ms_median": round(statistics.median(services), 1),
            "screen_services_cpu_ms_median": round(statistics.median(services_cpu), 1),
            "screen_services_cpu_ms_max": round(max(services_cpu), 1),
        }
        if not screen:
            return {"years_of_rosters": years, **built, **figures, "runs": runs}
        reads, read_cpu = read_ms(path, runs)
        opens, open_cpu = asyncio.run(_open_ms(path, runs))
        people, people_cpu = asyncio.run(_open_ms(path, runs, "people"))
    return {
        "years_of_rosters": years,
        "people": sum(PEOPLE.values()),
        **built,
        "month_roster_read_ms_median": round(statistics.median(reads), 1),
        "month_roster_read_ms_max": round(max(reads), 1),
        "screen_open_ms_median": round(statistics.median(opens), 1),
        "screen_open_ms_max": round(max(opens), 1),
        "month_roster_read_cpu_ms_median": round(statistics.median(read_cpu), 1),
        # the same measure of the People screen (F6, a short table): Textual's own cost of a
        # screen, and the machine's load, for comparison
        "people_screen_open_ms_median": round(statistics.median(people), 1),
        "people_screen_open_cpu_ms_median": round(statistics.median(people_cpu), 1),
        "screen_open_cpu_ms_median": round(statistics.median(open_cpu), 1),
        **figures,
        "runs": runs,
        "method": "perf_counter (wall) and process_time (CPU of the process); read: month_roster(2026-11); open: the screen pushed until the grid holds "
        "the month's rows, Textual Pilot at 120x36",
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure.roster_screen")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="keep (or reuse) the register here")
    parser.add_argument(
        "--copy-of", type=Path, help="add the rosters to a copy of this register (a bench register)"
    )
    parser.add_argument(
        "--services-only",
        action="store_true",
        help="only the screen's service calls, not the screen in Textual",
    )
    args = parser.parse_args(argv)
    figures = measure(args.years, args.runs, args.db, args.copy_of, not args.services_only)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
