"""Incremental handover packs (issue 16): on the bench register, a full snapshot, then a week of
shifts each writing a typical shift's calls and a pack; the time and size of each pack, a
restore from the full snapshot plus the week's packs, and the archive folder's size after a
year, EXTRAPOLATED from the week (a year is not simulated: 2 handovers a day, a full snapshot
every `full_snapshot_days`, each pack the week's mean size).

python -m bench.measure.packs REGISTER [--calls-per-shift N] [--shifts N]   # standalone
(`python -m bench` runs it on its copy of the ten-year register.)"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HANDOVERS_PER_DAY = 2
CALLS_PER_SHIFT = 140  # the ten-year register: 1,000,000 calls / 3,650 days / 2 shifts ≈ 137
WEEK_OF_SHIFTS = 7 * HANDOVERS_PER_DAY


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _recorder(desk: Any) -> Any:
    from sqlmodel import select

    from dutydesk.db import read_session
    from dutydesk.models import Person

    with read_session(desk.engine) as session:
        return session.exec(select(Person).where(Person.role == "officer")).first()


def _write_shift(desk: Any, recorder: Any, calls: int, shift: int) -> None:
    from dutydesk.services.calls.calls import CallDraft, save_call

    for number in range(calls):
        draft = CallDraft(caller=f"来电人{number}", unit="城关镇", phone="13800000000",
                          summary=f"第{shift}班 第{number}条 道路积水情况反映")  # fmt: skip
        save_call(desk, draft, recorder)


def measure(db: Path, out_dir: Path, frozen_at: str, *, calls_per_shift: int = CALLS_PER_SHIFT,
            shifts: int = WEEK_OF_SHIFTS) -> dict[str, Any]:  # fmt: skip
    """Writes into `db` (pass a copy)."""
    from dutydesk.clock import FrozenClock
    from dutydesk.services.archive.export import write_archive
    from dutydesk.services.archive.restore import restore_archive
    from dutydesk.services.core.desk import open_desk

    root = out_dir / "packs-bench"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    restored = out_dir / "packs-bench-restored.sqlite3"
    restored.unlink(missing_ok=True)
    clock = FrozenClock(frozen_at)
    desk = open_desk(db, clock)
    try:
        began = time.perf_counter()
        full = write_archive(desk, root, full=True)
        full_seconds, full_bytes = time.perf_counter() - began, _size(full)
        recorder = _recorder(desk)
        seconds, cpu, sizes = [], [], []
        for shift in range(shifts):
            clock.advance(minutes=10)
            _write_shift(desk, recorder, calls_per_shift, shift)
            began, began_cpu = time.perf_counter(), time.process_time()
            pack = write_archive(desk, root)
            seconds.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
            sizes.append(_size(pack))
        full_every = desk.profile.handover.full_snapshot_days
    finally:
        desk.close()
    began, began_cpu = time.perf_counter(), time.process_time()
    restore_archive(root, restored)
    restore_seconds = time.perf_counter() - began
    restore_cpu = time.process_time() - began_cpu
    restored.unlink(missing_ok=True)
    shutil.rmtree(root, ignore_errors=True)
    fulls_a_year = -(-365 // full_every)
    packs_a_year = 365 * HANDOVERS_PER_DAY - fulls_a_year
    return {
        "method": "write_archive: full snapshot, then one pack per shift; restore_archive(folder)",
        "calls_per_shift": calls_per_shift,
        "full_snapshot": {"seconds": round(full_seconds, 3), "bytes": full_bytes},
        "pack": {
            "count": shifts,
            "seconds_max": round(max(seconds), 3),
            "seconds_median": round(statistics.median(seconds), 3),
            "cpu_seconds_max": round(max(cpu), 3),  # this process's CPU: wall time on a busy
            "cpu_seconds_median": round(statistics.median(cpu), 3),  # machine is mostly waiting
            "bytes_max": max(sizes),
            "bytes_mean": int(statistics.mean(sizes)),
        },
        "restore_full_plus_week_seconds": round(restore_seconds, 3),
        "restore_full_plus_week_cpu_seconds": round(restore_cpu, 3),
        "year_extrapolated": {
            "what": f"NOT simulated: {fulls_a_year} full snapshots (every {full_every} days) "
            f"+ {packs_a_year} packs of the measured mean size",
            "bytes": fulls_a_year * full_bytes + packs_a_year * int(statistics.mean(sizes)),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure.packs")
    parser.add_argument("register", type=Path, help="a register to copy and measure")
    parser.add_argument("--calls-per-shift", type=int, default=CALLS_PER_SHIFT)
    parser.add_argument("--shifts", type=int, default=WEEK_OF_SHIFTS)
    parser.add_argument("--at", default="2026-11-23T10:00:00+08:00", help="the frozen clock")
    args = parser.parse_args(argv)
    work = args.register.parent / f"{args.register.stem}-packs-work.sqlite3"
    shutil.copyfile(args.register, work)
    try:
        figures = measure(work, work.parent, args.at, calls_per_shift=args.calls_per_shift,
                          shifts=args.shifts)  # fmt: skip
    finally:
        for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            leftover.unlink(missing_ok=True)
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
