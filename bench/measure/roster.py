"""The roster's figures (issue 17): the month grid's data (services.roster.month_roster, what
the roster screen shows) with ten years of rosters in the register, and generating a month for
40 people.

python -m bench.measure.roster [--years 10] [--repeats 20] [--profile tianjin]

A fresh register in a temporary folder: 8 leaders and 32 officers (40 people), then a month
roster generated for every month of the years before 2027 (each generation timed), then the
grid of a month read `repeats` times (median and worst). Times are wall-clock on this machine."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

LEADERS, OFFICERS = 8, 32
START_YEAR = 2027  # the months generated end just before this year


def _staff(desk: Any) -> str:
    from dutydesk.services.roster.authority import authorise, create_first_admin
    from dutydesk.services.roster.people import add_person

    create_first_admin(desk, "管理员甲", "246813", "246813")
    grant = authorise(desk, "管理员甲", "246813")
    digits = "甲乙丙丁戊己庚辛壬癸"
    for role, count, word in (("leader", LEADERS, "领导"), ("officer", OFFICERS, "值班")):
        for n in range(count):
            name = f"{word}{digits[n % 10]}{digits[n // 10]}"
            add_person(desk, name, role, in_post_since=date(2010, 1, 1), authority=grant)
    return "管理员甲"


def measure(years: int = 10, repeats: int = 20, profile: str = "tianjin") -> dict[str, Any]:
    import pendulum

    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster import generate_month, month_roster

    with tempfile.TemporaryDirectory() as folder:
        clock = FrozenClock(pendulum.datetime(START_YEAR - years, 1, 1, 9, tz="Asia/Shanghai"))
        desk = init_database(Path(folder) / "roster.sqlite3", "基准测试值班室", profile, clock)
        planner = _staff(desk)
        generation = []
        months = [(START_YEAR - years + m // 12, m % 12 + 1) for m in range(years * 12)]
        for year, month in months:
            began = time.perf_counter()
            generate_month(desk, year, month, seed=year * 100 + month, by=planner)
            generation.append(time.perf_counter() - began)
        grid_times = {}
        for label, (year, month) in (("middle", months[len(months) // 2]), ("last", months[-1])):
            runs = []
            for _ in range(repeats):
                began = time.perf_counter()
                grid = month_roster(desk, year, month)
                runs.append(time.perf_counter() - began)
            grid_times[label] = {"month": f"{year}-{month:02d}",
                                 "median_ms": round(statistics.median(runs) * 1000, 1),
                                 "worst_ms": round(max(runs) * 1000, 1),
                                 "cells": sum(len(d.cells) for d in grid.days)}  # fmt: skip
        size = (Path(folder) / "roster.sqlite3").stat().st_size
        desk.close()
    return {
        "profile": profile,
        "people": LEADERS + OFFICERS,
        "months_in_register": len(months),
        "generate_month_ms": {
            "median": round(statistics.median(generation) * 1000, 1),
            "worst": round(max(generation) * 1000, 1),
        },  # fmt: skip
        "month_grid": grid_times,
        "register_mb": round(size / 1e6, 1),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.measure.roster")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--profile", default="tianjin")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.years, args.repeats, args.profile), ensure_ascii=False,
                     indent=2))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
