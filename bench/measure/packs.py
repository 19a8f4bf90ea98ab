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


LZMA_SAMPLE = 64 << 20  # lzma is slow: its ratio is measured on the snapshot's first 64 MB


def _compression(snapshot: Path) -> dict[str, Any]:
    """What compressing the full snapshot (SQLite pages) would give: zlib level 1 over the whole
    file, lzma preset 0 over a sample; ratio and seconds (CPU of this process)."""
    import lzma
    import zlib

    figures: dict[str, Any] = {"bytes": snapshot.stat().st_size}
    began, out = time.process_time(), 0
    packer = zlib.compressobj(1)
    with snapshot.open("rb") as handle:
        while block := handle.read(1 << 20):
            out += len(packer.compress(block))
    out += len(packer.flush())
    figures["zlib1"] = {"ratio": round(figures["bytes"] / out, 2),
                        "cpu_seconds": round(time.process_time() - began, 2)}  # fmt: skip
    with snapshot.open("rb") as handle:
        sample = handle.read(LZMA_SAMPLE)
    began = time.process_time()
    packed = lzma.compress(sample, preset=0)
    seconds = time.process_time() - began
    figures["lzma0_sample"] = {"sample_bytes": len(sample),
                               "ratio": round(len(sample) / len(packed), 2),
                               "cpu_seconds_per_gb": round(seconds / len(sample) * 1e9, 1)}  # fmt: skip
    return figures


def _year(full_bytes: int, pack_bytes: int, every_days: int) -> dict[str, Any]:
    fulls = -(-365 // every_days)
    packs = 365 * HANDOVERS_PER_DAY - fulls
    return {"full_every_days": every_days, "fulls": fulls, "packs": packs,
            "bytes": fulls * full_bytes + packs * pack_bytes}  # fmt: skip


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
    # A minute on: the export measure wrote an archive into this copy at `frozen_at` and removed
    # its folder; a full snapshot here in the same second has the same name, and verify, not
    # finding the first where its record says, took this one for it ("recorded_differs")
    clock.advance(minutes=1)
    desk = open_desk(db, clock)
    try:
        began = time.perf_counter()
        full = write_archive(desk, root, full=True)
        full_seconds, full_bytes = time.perf_counter() - began, _size(full)
        compression = _compression(full / "database.sqlite3")
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
    from dutydesk.services.archive.verify import verify_register

    began, began_cpu = time.perf_counter(), time.process_time()
    checked = verify_register(db, integrity=False, archive_dirs=[root])
    verify_figures = {"ok": checked.ok, "links": checked.links, "anchors": len(checked.anchors),
                      "seconds": round(time.perf_counter() - began, 3),
                      "cpu_seconds": round(time.process_time() - began_cpu, 3)}  # fmt: skip
    if not checked.ok:  # what it found, so a run's "ok": false says why (the measures before
        # this one write into the same copy)
        verify_figures["found"] = {
            "findings": [f"{f.problem} {f.table} #{f.record_id} (link {f.seq})"
                         for f in checked.findings[:5]],
            "problems": [f"{p.code} {p.args}" for p in checked.problems[:5]],
            "integrity": checked.integrity[:3],
        }  # fmt: skip
    began, began_cpu = time.perf_counter(), time.process_time()
    restore_archive(root, restored)
    restore_seconds = time.perf_counter() - began
    restore_cpu = time.process_time() - began_cpu
    restored.unlink(missing_ok=True)
    shutil.rmtree(root, ignore_errors=True)
    mean = int(statistics.mean(sizes))
    return {
        "method": "write_archive: full snapshot, then one pack per shift; restore_archive(folder)",
        "calls_per_shift": calls_per_shift,
        "full_snapshot": {"seconds": round(full_seconds, 3), "bytes": full_bytes},
        "full_snapshot_compression": compression,
        "pack": {
            "count": shifts,
            "seconds_max": round(max(seconds), 3),
            "seconds_median": round(statistics.median(seconds), 3),
            "cpu_seconds_max": round(max(cpu), 3),  # this process's CPU: wall time on a busy
            "cpu_seconds_median": round(statistics.median(cpu), 3),  # machine is mostly waiting
            "bytes_max": max(sizes),
            "bytes_mean": mean,
        },
        "verify_db_against_all_archives": verify_figures,
        "restore_full_plus_week_seconds": round(restore_seconds, 3),
        "restore_full_plus_week_cpu_seconds": round(restore_cpu, 3),
        "year_extrapolated": {
            "what": "NOT simulated: full snapshots at the interval + packs of the measured mean "
            "size, two handovers a day",
            "now": _year(full_bytes, mean, full_every),
            "weekly_before": _year(full_bytes, mean, 7),
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
