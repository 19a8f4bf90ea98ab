"""Save latency: calls saved one by one through dutydesk.services.calls.calls.save_call (the service
the call screen uses), on a copy of the ten-year database, durable (WAL, synchronous=FULL), with
the register opened as the app opens it (no checkpoint inside a commit) and the app's upkeep run
between saves, untimed, as its worker does every few seconds.

The floor, measured in the same loop (one floor commit before each save, so both see the same
disk and load): the same row written with plain sqlite3 into a table of call_record's shape in a
file of its own in the same folder, WAL, synchronous=FULL, one INSERT and COMMIT."""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sqlite3
import sys
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
    from dutydesk.services.core.upkeep import UpkeepState, run_upkeep
    from dutydesk.services.roster.shifts import resolve_recorder

    clock = FrozenClock(frozen_at)
    desk = open_desk(db, clock, upkeep_off_path=True)
    upkeep = UpkeepState()
    floor = _Floor(db)
    settle_heap()  # as the app does once the register is open
    rng = random.Random(seed)
    tz = ZoneInfo(desk.timezone)
    try:
        with desk.engine.connect() as connection:
            synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        recorder = resolve_recorder(desk, None)
        timings: list[float] = []
        floor_timings: list[float] = []
        probe = _Probe(db)
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
            floor_timings.append(floor.commit(draft, clock.now()))
            probe.before()
            began = time.perf_counter()
            record = save_call(desk, draft, recorder)
            timings.append(time.perf_counter() - began)
            probe.after(timings[-1], floor_timings[-1])
            probe.upkept(run_upkeep(desk, upkeep))
            first_number = first_number or record.number
            last_number = record.number
    finally:
        desk.close()
        floor.close()
    stats, floor_stats = summary(timings), summary(floor_timings)
    return {
        "saves": count,
        **stats,
        "floor": {**floor_stats, "what": "plain sqlite3 INSERT + COMMIT of the same row"},
        "p99_ratio": round(stats["p99_ms"] / floor_stats["p99_ms"], 2),
        "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(synchronous),
        "journal_mode": journal,
        "numbers": f"{first_number} .. {last_number}",
        "slowest": probe.slowest(),
    }


class _Probe:
    """What each save met, to tell what makes the slowest: its CPU time beside its wall time,
    the collector's passes during it, the journal's size, and whether upkeep had just copied
    the whole journal back (the next commit then starts the journal over)."""

    def __init__(self, db: Path) -> None:
        self.wal = Path(f"{db}-wal")
        self.rows: list[dict[str, Any]] = []
        self.collections: list[int] = []
        self.reset_next = False
        gc.callbacks.append(self._collected)

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.collections.append(info["generation"])

    def before(self) -> None:
        self.collections.clear()
        self.cpu = time.thread_time()

    def after(self, wall: float, floor: float) -> None:
        self.rows.append({
            "ms": round(wall * 1000, 2),
            "cpu_ms": round((time.thread_time() - self.cpu) * 1000, 2),
            "floor_ms": round(floor * 1000, 2),
            "gc": list(self.collections),
            "wal_kb": self.wal.stat().st_size // 1024 if self.wal.exists() else 0,
            "after_full_checkpoint": self.reset_next,
        })  # fmt: skip

    def upkept(self, result: Any) -> None:
        self.reset_next = bool(result.ran and result.wal_pages == result.checkpointed)

    def slowest(self, count: int = 10) -> list[dict[str, Any]]:
        gc.callbacks.remove(self._collected)
        ranked = sorted(range(len(self.rows)), key=lambda i: -self.rows[i]["ms"])[:count]
        return [{"save": i + 1, **self.rows[i]} for i in ranked]


class _Floor:
    """A file beside the register holding only an empty call_record of the same shape."""

    def __init__(self, db: Path) -> None:
        self.path = db.with_name(db.stem + "-floor.sqlite3")
        self._remove()
        source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        (ddl,) = source.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'call_record'"
        ).fetchone()
        source.close()
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute(ddl)
        self.seq = 0

    def commit(self, draft: Any, now: Any) -> float:
        from dutydesk.models.types import to_storage

        self.seq += 1
        stamp = to_storage(now)
        row = (now.year, self.seq, f"{now.year}-{self.seq:06d}", stamp, stamp, draft.direction,
               draft.caller, draft.unit, draft.phone, draft.verified, draft.category,
               draft.summary, draft.handling, draft.follow_up, 1)  # fmt: skip
        began = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(
            "INSERT INTO call_record (year, seq, number, received_at, recorded_at, direction, "
            "caller, unit, phone, verified, category, summary, handling, follow_up, "
            "recorded_by_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
        self.conn.execute("COMMIT")
        return time.perf_counter() - began

    def close(self) -> None:
        self.conn.close()
        self._remove()

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.measure.save")
    parser.add_argument("db", type=Path, help="a copy of a bench register (written into)")
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--frozen-at", default=None)
    args = parser.parse_args(argv)
    from bench.gen import build

    frozen_at = args.frozen_at or build.end_time().add(minutes=1).isoformat()
    load = os.getloadavg()
    began, cpu = time.perf_counter(), time.process_time()
    result = measure(args.db, frozen_at, args.saves, args.seed)
    result["wall_seconds"] = round(time.perf_counter() - began, 2)
    result["process_cpu_seconds"] = round(time.process_time() - cpu, 2)
    result["load_average"] = [round(value, 2) for value in (*load, *os.getloadavg())]
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
