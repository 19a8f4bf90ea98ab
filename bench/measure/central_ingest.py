"""Ingest throughput of the central archive (issue 20), on demand: one desk's archive folder
ingested into a fresh throwaway server, with the wall time, the client's CPU, the server
backend's CPU (read from /proc: the server runs on this machine), the time of each checking
function (track_functions), a plain COPY of the same rows as the floor, and the load average.

python -m bench.measure.central_ingest FOLDER     # e.g. a desk-year written by central_desk
                                                  # with pack_days=7: 54 archives, ~100k rows"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure.central_common import backend_cpu, central_database, copy_floor

FUNCTIONS = ("SELECT funcname, calls, round(total_time::numeric / 1000, 2), "
             "round(self_time::numeric / 1000, 2) FROM pg_stat_user_functions "
             "ORDER BY total_time DESC LIMIT 8")  # fmt: skip


def measure(url: str, folder: Path, work: Path) -> dict[str, Any]:
    import psycopg

    from dutydesk.services.central import ingest

    backends: list[int] = []
    server_cpu = [0.0]
    connect, ingest_one = ingest.connect, ingest.ingest_one

    def counted(target: str) -> Any:
        conn = connect(target)
        backends.append(int(conn.execute("SELECT pg_backend_pid()").fetchone()[0]))
        return conn

    def timed(conn: Any, *args: Any, **kwargs: Any) -> Any:  # the backend's CPU so far
        outcome = ingest_one(conn, *args, **kwargs)
        server_cpu[0] = backend_cpu(backends[-1])
        return outcome

    ingest.connect, ingest.ingest_one = counted, timed  # type: ignore[assignment]
    load, began, cpu = os.getloadavg(), time.perf_counter(), time.process_time()
    try:
        outcomes = ingest.ingest_paths(url, [folder], work)
    finally:
        ingest.connect, ingest.ingest_one = connect, ingest_one  # type: ignore[assignment]
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    rows = sum(o.rows for o in outcomes)
    with psycopg.connect(url, autocommit=True) as conn:
        functions = [[str(v) for v in row] for row in conn.execute(FUNCTIONS)]
    return {"archives": len(outcomes), "statuses": sorted({o.status for o in outcomes}),
            "rows": rows, "wall_s": round(wall, 1), "client_cpu_s": round(cpu, 1),
            "server_cpu_s": round(server_cpu[0], 1), "rows_per_s": int(rows / wall),
            "functions_s_total_self": functions, "copy_floor": copy_floor(url),
            "copy_floor_indexed": copy_floor(url, indexed=True),
            "load_before": load, "load_after": os.getloadavg()}  # fmt: skip


TRACKED = ("ALTER SYSTEM SET track_functions = 'all'", "SELECT pg_reload_conf()")


def main(argv: list[str] | None = None) -> int:
    import tempfile

    folder = Path((argv or sys.argv[1:])[0])
    with (
        central_database(None, "central_ingest", settings=TRACKED) as url,
        tempfile.TemporaryDirectory(prefix="dutydesk-central-ingest-") as work,
    ):
        result = measure(url, folder, Path(work))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
