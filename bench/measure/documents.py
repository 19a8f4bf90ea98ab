"""The documents screen's read: dutydesk.services.documents.list_documents(desk, at, filter,
200), the call the screen's worker makes when it opens (filter "open") and on each Ctrl+F
(all, urgent, overdue), repeated; p50, p99 and max per filter and over all. Standalone for now:

    python -m bench.measure.documents DB [FROZEN_AT] [REPEATS]"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure.stats import summary

FILTERS = ("open", "all", "urgent", "overdue")
LIMIT = 200  # screens/documents.py LIST_LIMIT


def measure(db: Path, frozen_at: str, repeats: int) -> dict[str, Any]:
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.documents import list_documents

    desk = open_desk(db, FrozenClock(frozen_at))
    per_filter: dict[str, list[float]] = {which: [] for which in FILTERS}
    shown: dict[str, int] = {}
    try:
        for _ in range(repeats):
            for which in FILTERS:
                began = time.perf_counter()
                views = list_documents(desk, desk.now(), which, LIMIT)
                per_filter[which].append(time.perf_counter() - began)
                shown[which] = len(views)
    finally:
        desk.close()
    every = [s for seconds in per_filter.values() for s in seconds]
    return {
        "repeats": repeats,
        "shown": shown,
        "per_filter": {which: summary(seconds) for which, seconds in per_filter.items()},
        "all": summary(every),
    }


if __name__ == "__main__":
    path = Path(sys.argv[1])
    at = sys.argv[2] if len(sys.argv) > 2 else "2026-11-23T14:00:00+08:00"
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    print(json.dumps(measure(path, at, count), ensure_ascii=False, indent=1))
