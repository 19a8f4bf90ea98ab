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
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure.central import TZ, bulk_calls
from bench.measure.central_common import (
    RUNS,
    TERMS,
    central_database,
    client_cpu,
    copy_floor,
    finished_desks,
    percentiles,
    quarterly_report,
    say,
    server_cpu,
    write_desks,
)


def _ingest(url: str, out: Path, jobs: int = 1, wait_for: int = 0) -> dict[str, Any]:
    """Every finished desk ingested, `jobs` desks at a time (`central ingest --jobs`); with
    `wait_for`, desks still being generated are waited for until that many are ingested.
    CPU: this process's and its ingest processes' (client), and the server's, over the run."""
    from dutydesk.services.central import ingest_paths

    done: set[str] = set()
    archives = rows = 0
    wall = 0.0
    client, server = client_cpu(), server_cpu(url)
    while True:
        todo = [f for f in finished_desks(out) if f.name not in done][:jobs]
        if not todo and len(done) >= wait_for:
            break
        if not todo:
            time.sleep(10)
            continue
        began = time.perf_counter()
        outcomes = ingest_paths(url, todo, out / "work", jobs=jobs)
        took = time.perf_counter() - began
        new = [o for o in outcomes if o.status in ("ingested", "released")]
        bad = [o for o in outcomes if o.status not in ("ingested", "released", "already")]
        assert not bad, [(o.archive, o.status, o.reasons) for o in bad][:3]
        done.update(f.name for f in todo)
        if new:  # a desk held before (an interrupted run) is not counted again
            archives, rows, wall = archives + len(new), rows + sum(o.rows for o in new), wall + took
        say(f"ingest {', '.join(f.name for f in todo)}: {len(new)} archives, "
            f"{sum(o.rows for o in new)} rows, {took:.1f} s ({len(done)} desks, {rows} rows, "
            f"load {os.getloadavg()[0]:.1f})")  # fmt: skip
    client, server = client_cpu() - client, server_cpu(url) - server
    return {"archives": archives, "rows": rows, "jobs": jobs, "wall_s": round(wall, 1),
            "client_cpu_s": round(client, 1), "server_cpu_s": round(server, 1),
            "archives_per_s": round(archives / wall, 2) if wall else None,
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
            figures[term_class] = {**percentiles(samples), "hits": hits}
            say(f"search {term_class}: {figures[term_class]}")
    finally:
        conn.close()
    return figures


def measure(url: str, out: Path, bulk: int, jobs: int = 1, wait_for: int = 0) -> dict[str, Any]:
    """Each step's figures written to DIR/results.json as soon as they are taken (the database
    prepared for ingest: central_common.central_database)."""
    result: dict[str, Any] = {"load_average": os.getloadavg()}
    steps = {
        "ingest": lambda: _ingest(url, out, jobs, wait_for),
        "copy_floor": lambda: copy_floor(url),
        "copy_floor_indexed": lambda: copy_floor(url, indexed=True),
        "bulk_calls": lambda: {"count": bulk, "seconds": round(bulk_calls(url, bulk), 1)},
        "analyse": lambda: _analyse(url),
        "search": lambda: search_figures(url),
        "quarterly_report": lambda: quarterly_report(url)[0],
    }
    for name, step in steps.items():
        if name == "bulk_calls" and not bulk:
            continue
        result[name] = step()
        result["load_average_after"] = os.getloadavg()
        say(f"{name}: {json.dumps(result[name], ensure_ascii=False)[:300]}")
        (out / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return result


def _analyse(url: str) -> dict[str, Any]:
    """VACUUM (ANALYZE) of the searched and reported tables, as autovacuum would leave them
    (search reads the grams' statistics; the GIN indexes' pending entries are merged)."""
    import psycopg

    began = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("doc", "call", "record", "link", "archive"):
            conn.execute(f"VACUUM (ANALYZE) {table}")  # type: ignore[arg-type]
    return {"seconds": round(time.perf_counter() - began, 1)}


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
    parser.add_argument("--ingest-jobs", type=int, default=1, help="desks ingested at once")
    parser.add_argument("--wait", action="store_true", help="ingest desks as they are generated")
    parser.add_argument(
        "--own-server",
        action="store_true",
        help="measure on a throwaway server (tests/support_central.py)",
    )
    args = parser.parse_args(argv)
    if not args.measure:
        write_desks(args.out, args.desks, args.days, args.calls_per_day, args.jobs, args.pack_days)
        return 0
    if not args.url and not args.own_server:
        parser.error("--measure needs --url (an empty database, or the one measured before)")
    wait_for = args.desks if args.wait else 0
    with central_database(None if args.own_server else args.url, "central_bench") as url:
        result = measure(url, args.out, args.bulk_calls, args.ingest_jobs, wait_for)
    (args.out / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    assert TZ is not None
    raise SystemExit(main())
