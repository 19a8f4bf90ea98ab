"""Search latency: dutydesk.services.calls.calls.list_calls(desk, search=term, limit=50), the call the
screen makes, over terms of one to four Chinese characters, phone fragments, unit names and
terms that occur nowhere (the worst case for a scan). Wall time, and the CPU time of the
thread beside it (on a loaded machine the wall time's tail is mostly waiting for a core).

    python -m bench.measure.search COPY.sqlite3 [--repeats 20]   # reads only; use a copy
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure.stats import summary

# (term, class). The classes are what the targets are judged by ("every term length").
TERMS: list[tuple[str, str]] = [
    ("水", "1 char"), ("火", "1 char"), ("电", "1 char"), ("陷", "1 char"),
    ("积水", "2 chars"), ("停电", "2 chars"), ("燃气", "2 chars"), ("塌陷", "2 chars"),
    ("谣言", "2 chars"),
    ("人民路", "3 chars"), ("变电站", "3 chars"), ("危化品", "3 chars"), ("闸口积", "3 chars"),
    ("道路积水", "4 chars"), ("燃气管道", "4 chars"), ("防汛准备", "4 chars"),
    ("电梯困人", "4 chars"),
    ("022-6", "phone"), ("1390", "phone"), ("8848", "phone"), ("022-2345", "phone"),
    ("0222345", "phone"),  # digits only: found as 022-2345... (core/search.py)
    ("柳林镇", "unit"), ("区应急管理局", "unit"), ("高新技术产业园区", "unit"),
    ("市燃气集团", "unit"),
    ("龘", "absent"), ("飞碟", "absent"), ("外星人", "absent"), ("量子通信", "absent"),
    ("积水 人民路", "two terms"), ("停电 幸福小区", "two terms"),
]  # fmt: skip


def measure(db: Path, frozen_at: str, repeats: int) -> dict[str, Any]:
    from dutydesk.clock import FrozenClock
    from dutydesk.runtime import settle_heap
    from dutydesk.services.calls.calls import list_calls
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.core.search import search_row_ids

    desk = open_desk(db, FrozenClock(frozen_at))
    settle_heap()  # as the app does once the register is open
    per_term: dict[str, list[float]] = {term: [] for term, _ in TERMS}
    cpu: dict[str, list[float]] = {term: [] for term, _ in TERMS}
    index_only: dict[str, list[float]] = {term: [] for term, _ in TERMS}
    hits: dict[str, int] = {}
    try:
        for _ in range(repeats):
            for term, _kind in TERMS:
                began, began_cpu = time.perf_counter(), time.thread_time()
                views = list_calls(desk, search=term, limit=50)
                cpu[term].append(time.thread_time() - began_cpu)
                per_term[term].append(time.perf_counter() - began)
                hits[term] = len(views)
        with desk.engine.connect() as connection:
            for _ in range(max(3, repeats // 4)):
                for term, _kind in TERMS:
                    began = time.perf_counter()
                    search_row_ids(connection, term, 100)
                    index_only[term].append(time.perf_counter() - began)
    finally:
        desk.close()
    terms = [
        {
            "term": term,
            "class": kind,
            "hits": hits[term],
            **summary(per_term[term]),
            "cpu_p50_ms": summary(cpu[term])["p50_ms"],
            "cpu_p99_ms": summary(cpu[term])["p99_ms"],
            "index_p50_ms": summary(index_only[term])["p50_ms"],
        }
        for term, kind in TERMS
    ]
    classes: dict[str, dict[str, Any]] = {}
    for kind in dict.fromkeys(kind for _, kind in TERMS):
        timings = [t for term, k in TERMS if k == kind for t in per_term[term]]
        floor = summary([t for term, k in TERMS if k == kind for t in index_only[term]])
        # the floor: the index alone (search_row_ids), without building the lines
        used = summary([t for term, k in TERMS if k == kind for t in cpu[term]])
        classes[kind] = {**summary(timings), "cpu_p50_ms": used["p50_ms"],
                         "cpu_p99_ms": used["p99_ms"], "index_p50_ms": floor["p50_ms"],
                         "index_p99_ms": floor["p99_ms"]}  # fmt: skip
    required = [t for term, k in TERMS if k != "two terms" for t in per_term[term]]
    return {
        "terms": terms,
        "by_class": classes,
        "repeats": repeats,
        "term_count": len([1 for _, k in TERMS if k != "two terms"]),
        **summary(required),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.measure.search")
    parser.add_argument("db", type=Path, help="a copy of a bench register")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--frozen-at", default=None)
    args = parser.parse_args(argv)
    from bench.gen import build

    frozen_at = args.frozen_at or build.end_time().add(minutes=1).isoformat()
    load = os.getloadavg()
    began, cpu = time.perf_counter(), time.process_time()
    result = measure(args.db, frozen_at, args.repeats)
    result["wall_seconds"] = round(time.perf_counter() - began, 2)
    result["process_cpu_seconds"] = round(time.process_time() - cpu, 2)
    result["load_average"] = [round(value, 2) for value in (*load, *os.getloadavg())]
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
