"""Search latency: dutydesk.services.calls.calls.list_calls(desk, search=term, limit=50), the call the
screen makes, over terms of one to four Chinese characters, phone fragments, unit names and
terms that occur nowhere (the worst case for a scan). Wall time, and the CPU time of the
thread beside it (on a loaded machine the wall time's tail is mostly waiting for a core).

    python -m bench.measure.search COPY.sqlite3 [--repeats 20]   # reads only; use a copy
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from bench.measure import timing
from bench.measure.stats import summary
from bench.measure.timing import by_class, time_terms

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
    try:
        per_term, cpu, hits = time_terms(lambda q: list_calls(desk, search=q, limit=50), TERMS,
                                         repeats)  # fmt: skip
        with desk.engine.connect() as connection:
            # the floor: the index alone (search_row_ids), without building the lines
            index_only = time_terms(lambda q: search_row_ids(connection, q, 100), TERMS,
                                    max(3, repeats // 4))[0]  # fmt: skip
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
    floors, used = by_class(TERMS, index_only), by_class(TERMS, cpu)
    classes = {kind: {**stats, "cpu_p50_ms": used[kind]["p50_ms"],
                      "cpu_p99_ms": used[kind]["p99_ms"], "index_p50_ms": floors[kind]["p50_ms"],
                      "index_p99_ms": floors[kind]["p99_ms"]}
               for kind, stats in by_class(TERMS, per_term).items()}  # fmt: skip
    required = [t for term, k in TERMS if k != "two terms" for t in per_term[term]]
    return {
        "terms": terms,
        "by_class": classes,
        "repeats": repeats,
        "term_count": len([1 for _, k in TERMS if k != "two terms"]),
        **summary(required),
    }


def main(argv: list[str]) -> None:
    timing.main("python -m bench.measure.search", "a copy of a bench register", measure, argv)


if __name__ == "__main__":
    main(sys.argv[1:])
