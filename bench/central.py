"""The central archive's benchmark (issue 20), in two steps, both resumable:

    python -m bench.central --desks 20 --days 365 --out DIR [--calls-per-day 274] [--jobs 2]
                            [--pack-days 7]
    python -m bench.central --measure --out DIR --url postgresql://… [--bulk-calls N]

Generating writes each desk's archive folder (a full snapshot, then a pack a day: every pack is
written by the desk's own export, so ingest checks real packs, forms included) into
DIR/desk<i>; a desk whose folder is finished (DIR/desk<i>/.done) is skipped, one half written
is started again. Measuring ingests each desk's folder (a desk already held is skipped, so an
interrupted run goes on), then times against the same database: ingest (packs/s, rows/s, wall
and CPU), a plain COPY of the same rows as the floor, cross-desk search p50/p99 per term class,
and the quarterly late-report table. `--bulk-calls N` adds N generated calls straight into the
search and report tables (as ingest writes them) to time search and the report at city scale
when fewer desk-days were generated. Progress goes to stderr; the figures to stdout as JSON and
DIR/results.json."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.measure.central import TZ, _floor, _percentiles, bulk_calls
from bench.measure.central_desk import write_desk

# Every term class the issue names, each term run RUNS times on one connection.
TERMS: dict[str, list[list[str]]] = {
    "1_char": [["水"], ["火"], ["镇"], ["电"], ["路"]],
    "2_chars": [["积水"], ["火灾"], ["停电"], ["救援"], ["群众"]],
    "3_chars": [["值班室"], ["自来水"], ["派出所"]],
    "4plus_chars": [["交通事故"], ["道路积水"], ["市供电公司"]],
    "phone_fragment": [["022"], ["1389"], ["6600"]],
    "unit_name": [["白沙镇"], ["市燃气集团"], ["大王庄街道"]],
    "two_terms": [["积水", "路"], ["火灾", "救援"], ["停电", "白沙镇"]],
    "absent": [["龘"], ["龘龘"], ["不存在的词语"]],
    "rare": [["崔雪鹏"], ["雪鹏"], ["19829488"]],  # 40, 240 and 40 of the two million texts
}
RUNS = 20


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _one(task: tuple[Path, int, int, int, int]) -> tuple[int, int, float]:
    out, index, days, per_day, pack_days = task
    building = out / f".building-desk{index}"
    shutil.rmtree(building, ignore_errors=True)  # an interrupted desk starts again
    building.mkdir(parents=True)
    began = time.process_time()
    folder, calls = write_desk(building, index, days, per_day, progress=say, pack_days=pack_days)
    (folder / ".done").write_text(json.dumps({"calls": calls}))
    folder.rename(out / f"desk{index}")
    shutil.rmtree(building, ignore_errors=True)
    return index, calls, time.process_time() - began


def generate(out: Path, desks: int, days: int, per_day: int, jobs: int, pack_days: int = 1) -> None:
    out.mkdir(parents=True, exist_ok=True)
    todo = [i for i in range(desks) if not (out / f"desk{i}" / ".done").is_file()]
    say(f"generate: {desks - len(todo)} of {desks} desks already written, {len(todo)} to go")
    tasks = [(out, index, days, per_day, pack_days) for index in todo]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for done, (index, calls, cpu) in enumerate(pool.map(_one, tasks), start=1):
            say(f"desk {index}: {calls} calls, {cpu:.0f} s CPU ({done}/{len(todo)})")


def _ingest(url: str, out: Path) -> dict[str, Any]:
    from dutydesk.services.central import ingest_paths

    folders = sorted(out.glob("desk*/.done"), key=lambda p: int(p.parent.name[4:]))
    archives = rows = 0
    wall = cpu = 0.0
    for number, done in enumerate(folders, start=1):
        began, began_cpu = time.perf_counter(), time.process_time()
        outcomes = ingest_paths(url, [done.parent], out / "work")
        took, took_cpu = time.perf_counter() - began, time.process_time() - began_cpu
        new = [o for o in outcomes if o.status in ("ingested", "released")]
        bad = [o for o in outcomes if o.status not in ("ingested", "released", "already")]
        assert not bad, [(o.archive, o.status, o.reasons) for o in bad][:3]
        if new:  # a desk held before (an interrupted run) is not counted again
            archives, rows = archives + len(new), rows + sum(o.rows for o in new)
            wall, cpu = wall + took, cpu + took_cpu
        say(f"ingest {done.parent.name}: {len(new)} archives, {sum(o.rows for o in new)} rows, "
            f"{took:.1f} s ({number}/{len(folders)})")  # fmt: skip
    return {"archives": archives, "rows": rows, "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1), "archives_per_s": round(archives / wall, 2) if wall else None,
            "rows_per_s": int(rows / wall) if wall else None}  # fmt: skip


def search_figures(url: str) -> dict[str, Any]:
    from dutydesk.services.central.connection import connect
    from dutydesk.services.central.search import search_on

    figures: dict[str, Any] = {}
    conn = connect(url)
    try:
        for term_class, queries in TERMS.items():
            samples, hits = [], 0
            for terms in queries:
                hits += len(search_on(conn, terms))  # warm: the first run reads from disk
                for _ in range(RUNS):
                    began = time.perf_counter()
                    search_on(conn, terms)
                    samples.append(time.perf_counter() - began)
            figures[term_class] = {**_percentiles(samples), "hits": hits}
            say(f"search {term_class}: {figures[term_class]}")
    finally:
        conn.close()
    return figures


def _report(url: str) -> dict[str, Any]:
    from dutydesk.services.central import central_report

    began, began_cpu = time.perf_counter(), time.process_time()
    report = central_report(url, "2026-01-01", "2026-03-31")
    return {"wall_s": round(time.perf_counter() - began, 3),
            "client_cpu_s": round(time.process_time() - began_cpu, 3),
            "desks": len(report.desks), "units": len(report.units)}  # fmt: skip


def measure(url: str, out: Path, bulk: int) -> dict[str, Any]:
    import os

    from dutydesk.services.central import init_central
    from dutydesk.services.central.enrolment import set_unenrolled

    init_central(url)
    set_unenrolled(
        url, True, "王主任", "生成的值班台未登记公钥"
    )  # generated desks: no keys enrolled
    result: dict[str, Any] = {"load_average": os.getloadavg()}
    result["ingest"] = _ingest(url, out)
    result["copy_floor"] = _floor(url)
    if bulk:
        result["bulk_calls"] = {"count": bulk, "seconds": round(bulk_calls(url, bulk), 1)}
    result["search"] = search_figures(url)
    result["quarterly_report"] = _report(url)
    result["load_average_after"] = os.getloadavg()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.central")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--desks", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--calls-per-day", type=int, default=274)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--pack-days", type=int, default=1, help="7: a pack a week")
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--url")
    parser.add_argument("--bulk-calls", type=int, default=0)
    args = parser.parse_args(argv)
    if not args.measure:
        generate(args.out, args.desks, args.days, args.calls_per_day, args.jobs, args.pack_days)
        return 0
    if not args.url:
        parser.error("--measure needs --url (an empty database, or the one measured before)")
    result = measure(args.url, args.out, args.bulk_calls)
    (args.out / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    assert TZ is not None
    raise SystemExit(main())
