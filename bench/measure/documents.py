"""The documents screen's read: dutydesk.services.documents.list_documents(desk, at, filter,
200), the call the screen's worker makes when it opens (filter "open") and on each Ctrl+F
(all, urgent, overdue), repeated; p50, p99 and max per filter and over all, in wall time and in
the process's CPU time (the machine is shared: CPU time is what the read itself costs), the heap
settled as the app settles it once the register is open (dutydesk.runtime). The
target (issue 18) is p99 under 100 ms. Run by `python -m bench`, or on its own:

    python -m bench.measure.documents DB [FROZEN_AT] [REPEATS]"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure.stats import summary

FILTERS = ("open", "all", "urgent", "overdue")
LIMIT = 200  # screens/documents.py LIST_LIMIT
TARGET_P99_MS = 100.0
REPEATS = 50


def _count(desk: Any) -> int:
    from sqlmodel import func, select

    from dutydesk.db import read_session
    from dutydesk.models import Document

    with read_session(desk.engine) as session:
        return int(session.exec(select(func.count()).select_from(Document)).one())


def measure(db: Path, frozen_at: str, repeats: int = REPEATS) -> dict[str, Any]:
    from dutydesk.clock import FrozenClock
    from dutydesk.runtime import settle_heap
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.documents import list_documents

    desk = open_desk(db, FrozenClock(frozen_at))
    wall: dict[str, list[float]] = {which: [] for which in FILTERS}
    cpu: dict[str, list[float]] = {which: [] for which in FILTERS}
    shown: dict[str, int] = {}
    try:
        documents = _count(desk)
        for which in FILTERS:  # warm: the first read of each loads the pages and the calendar
            list_documents(desk, desk.now(), which, LIMIT)
        settle_heap()  # as the app does once the register is open
        for _ in range(repeats):
            for which in FILTERS:
                began, began_cpu = time.perf_counter(), time.process_time()
                views = list_documents(desk, desk.now(), which, LIMIT)
                cpu[which].append(time.process_time() - began_cpu)
                wall[which].append(time.perf_counter() - began)
                shown[which] = len(views)
    finally:
        desk.close()
    every_wall = [s for seconds in wall.values() for s in seconds]
    every_cpu = [s for seconds in cpu.values() for s in seconds]
    cpu_all = summary(every_cpu)
    return {
        "documents": documents,
        "repeats": repeats,
        "shown": shown,
        "per_filter": {
            which: {"wall": summary(wall[which]), "cpu": summary(cpu[which])} for which in FILTERS
        },
        "all": {"wall": summary(every_wall), "cpu": cpu_all},
        "target_p99_ms": TARGET_P99_MS,
        "meets_target_cpu": cpu_all["p99_ms"] < TARGET_P99_MS,
        "load_average": list(os.getloadavg()),
    }


if __name__ == "__main__":
    path = Path(sys.argv[1])
    at = sys.argv[2] if len(sys.argv) > 2 else "2026-11-23T14:00:00+08:00"
    count = int(sys.argv[3]) if len(sys.argv) > 3 else REPEATS
    print(json.dumps(measure(path, at, count), ensure_ascii=False, indent=1))
