"""Save latency: calls saved one by one through dutydesk.services.calls.calls.save_call (the service
the call screen uses), on a copy of the ten-year database, durable (WAL, synchronous=FULL)."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.measure.stats import summary

STEP_SECONDS = 5  # the clock moves on this much between two saves


def measure(db: Path, frozen_at: str, count: int, seed: int) -> dict[str, Any]:
    from bench.gen.calls import call_content
    from dutydesk.clock import FrozenClock
    from dutydesk.runtime import settle_heap
    from dutydesk.services.calls.calls import CallDraft, save_call
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.roster.shifts import resolve_recorder

    clock = FrozenClock(frozen_at)
    desk = open_desk(db, clock)
    settle_heap()  # as the app does once the register is open
    rng = random.Random(seed)
    tz = ZoneInfo(desk.timezone)
    try:
        with desk.engine.connect() as connection:
            synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        recorder = resolve_recorder(desk, None)
        timings: list[float] = []
        first_number = last_number = ""
        for _ in range(count):
            clock.advance(seconds=STEP_SECONDS)
            at = int(clock.now().timestamp() * 1_000_000)
            values = call_content(rng, at, tz)
            draft = CallDraft(
                caller=str(values["caller"]),
                unit=str(values["unit"]),
                phone=str(values["phone"]),
                summary=str(values["summary"]),
                direction=str(values["direction"]),
                category=str(values["category"]),
                verified=bool(values["verified"]),
                handling=str(values["handling"]),
                follow_up=bool(values["follow_up"]),
                received_at=clock.now().subtract(minutes=rng.randint(1, 8)),
            )
            began = time.perf_counter()
            record = save_call(desk, draft, recorder)
            timings.append(time.perf_counter() - began)
            first_number = first_number or record.number
            last_number = record.number
    finally:
        desk.close()
    return {
        "saves": count,
        **summary(timings),
        "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(synchronous),
        "journal_mode": journal,
        "numbers": f"{first_number} .. {last_number}",
    }
