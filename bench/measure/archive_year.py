"""A simulated run of handovers (issue 16, Benchmark): the archive folder's size after `days` days
of two handovers a day, each shift writing a typical shift's calls and its pack, on a copy of the
bench register.

The packs are written for real, one per shift. The full snapshots are not: after the first one
(measured), the office's interval (quarterly) would write one 2.7 GB copy of the register every
91 days; the year's total counts them at the measured snapshot's size, and says so. With `days`
under 365 the packs' total is scaled to a year (said in the figures as well).

No handover is signed here (the calls are written straight into the register), so the shift on
duty never closes and each pack's calls CSV, which lists the shift's calls, grows by one shift's
calls per pack (about 22 KB for 140 calls on the ten-year register): at a desk each handover
closes its shift. The first pack's size is the typical one; the rest of each pack (its rows,
the forms) does not grow.

python -m bench.measure.archive_year REGISTER [--days N] [--calls-per-shift N]   # standalone"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure.packs import CALLS_PER_SHIFT, HANDOVERS_PER_DAY, _recorder, _size, _write_shift

YEAR_DAYS = 365
NEVER_DAYS = 1_000_000  # the simulation's own interval: later full snapshots are counted, not made


def _without_later_fulls(desk: Any) -> int:
    """Keep the desk from writing another full snapshot; returns the office's interval."""
    rules = desk.profile.handover
    desk.profile = desk.profile.model_copy(
        update={"handover": rules.model_copy(update={"full_snapshot_days": NEVER_DAYS})}
    )
    return int(rules.full_snapshot_days)


def simulate(db: Path, out_dir: Path, frozen_at: str, *, days: int = YEAR_DAYS,
             calls_per_shift: int = CALLS_PER_SHIFT) -> dict[str, Any]:  # fmt: skip
    """Writes into `db` (pass a copy) and into out_dir/year-bench (removed at the end)."""
    from dutydesk.clock import FrozenClock
    from dutydesk.services.archive.export import write_archive
    from dutydesk.services.core.desk import open_desk

    root = out_dir / "year-bench"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    clock = FrozenClock(frozen_at)
    desk = open_desk(db, clock)
    try:
        full = write_archive(desk, root, full=True)
        full_bytes = _size(full)
        every = _without_later_fulls(desk)
        recorder, sizes, cpu, began = _recorder(desk), [], [], time.perf_counter()
        for shift in range(days * HANDOVERS_PER_DAY):
            clock.advance(hours=24 // HANDOVERS_PER_DAY)
            _write_shift(desk, recorder, calls_per_shift, shift)
            began_cpu = time.process_time()
            sizes.append(_size(write_archive(desk, root)))
            cpu.append(time.process_time() - began_cpu)
        wall = time.perf_counter() - began
        folder = _size(root)
    finally:
        desk.close()
        shutil.rmtree(root, ignore_errors=True)
    return _figures(days, calls_per_shift, full_bytes, every, sizes, cpu, wall, folder)


def _figures(days: int, calls: int, full_bytes: int, every: int, sizes: list[int],
             cpu: list[float], wall: float, folder: int) -> dict[str, Any]:  # fmt: skip
    packs_bytes = sum(sizes)
    year_packs = packs_bytes * YEAR_DAYS // days
    fulls = -(-YEAR_DAYS // every)
    return {
        "method": "packs written for real, one per shift (write_archive), two shifts a day; full "
        "snapshots after the first counted at its measured size, one per interval",
        "days_simulated": days,
        "calls_per_shift": calls,
        "packs": {
            "count": len(sizes),
            "bytes_total": packs_bytes,
            "bytes_first": sizes[0],  # one shift's calls in its CSV: the typical pack
            "bytes_mean": int(statistics.mean(sizes)),
            "bytes_max": max(sizes),
            "cpu_seconds_median": round(statistics.median(cpu), 3),
            "cpu_seconds_max": round(max(cpu), 3),
        },  # fmt: skip
        "folder_bytes_measured": folder,  # the first full snapshot plus every pack written
        "full_snapshot_bytes": full_bytes,
        "year": {
            "full_every_days": every,
            "fulls_counted": fulls,
            "packs_bytes": year_packs,
            "packs_scaled_from_days": days,
            "bytes": year_packs + fulls * full_bytes,
        },  # fmt: skip
        "wall_seconds": round(wall, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure.archive_year")
    parser.add_argument("register", type=Path, help="a register to copy and measure")
    parser.add_argument("--days", type=int, default=YEAR_DAYS)
    parser.add_argument("--calls-per-shift", type=int, default=CALLS_PER_SHIFT)
    parser.add_argument("--at", default="2026-11-23T10:00:00+08:00", help="the frozen clock")
    parser.add_argument("--work", type=Path, help="where the copy goes (default: beside it)")
    args = parser.parse_args(argv)
    folder = args.work or args.register.parent
    work = folder / f"{args.register.stem}-year-work.sqlite3"
    shutil.copyfile(args.register, work)
    try:
        figures = simulate(work, folder, args.at, days=args.days,
                           calls_per_shift=args.calls_per_shift)  # fmt: skip
    finally:
        for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
            leftover.unlink(missing_ok=True)
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
