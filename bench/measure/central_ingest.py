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

FUNCTIONS = ("SELECT funcname, calls, round(total_time::numeric / 1000, 2), "
             "round(self_time::numeric / 1000, 2) FROM pg_stat_user_functions "
             "ORDER BY total_time DESC LIMIT 8")  # fmt: skip


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _backend_cpu(pid: int) -> float:
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(url: str) -> float:
    """The whole server's CPU so far (it runs on this machine): the postmaster's own and its
    reaped children's (backends that have closed), plus every live child's."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        backend = int(conn.execute("SELECT pg_backend_pid()").fetchone()[0])  # type: ignore[index]
        postmaster = int(_stat(backend)[1])
        ticks = sum(int(v) for v in _stat(postmaster)[11:15])
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and entry.name != str(backend):
                try:
                    fields = _stat(int(entry.name))
                except (OSError, ValueError):
                    continue  # gone meanwhile
                if int(fields[1]) == postmaster:
                    ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def indexed_floor(url: str) -> dict[str, Any]:
    """The same rows COPY'd into tables with the ingested tables' indexes (the search's GIN
    indexes on the texts included): what the rows cost to store, without any check."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        seconds, rows = 0.0, 0
        for table in ("link", "record", "call", "doc"):
            conn.execute(f"DROP TABLE IF EXISTS floor_{table}")
            conn.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING INDEXES)")
            buffer = bytearray()
            with conn.cursor().copy(f"COPY {table} TO STDOUT") as out:
                for chunk in out:
                    buffer += chunk
            began = time.perf_counter()
            with conn.cursor().copy(f"COPY floor_{table} FROM STDIN") as into:
                into.write(bytes(buffer))
            seconds += time.perf_counter() - began
            if table == "record":
                rows = int(conn.execute("SELECT count(*) FROM floor_record").fetchone()[0])  # type: ignore[index]
            conn.execute(f"DROP TABLE floor_{table}")
    return {"seconds": round(seconds, 3), "rows": rows, "rows_per_s": int(rows / seconds)}


def measure(url: str, folder: Path, work: Path) -> dict[str, Any]:
    import psycopg

    from bench.measure.central import _floor
    from dutydesk.services.central import ingest, init_central
    from dutydesk.services.central.enrolment import set_unenrolled

    init_central(url)
    set_unenrolled(
        url, True, "王主任", "生成的值班台未登记公钥"
    )  # generated desks: no keys enrolled
    backends: list[int] = []
    server_cpu = [0.0]
    connect, ingest_one = ingest.connect, ingest.ingest_one

    def counted(target: str) -> Any:
        conn = connect(target)
        backends.append(int(conn.execute("SELECT pg_backend_pid()").fetchone()[0]))
        return conn

    def timed(conn: Any, *args: Any, **kwargs: Any) -> Any:  # the backend's CPU so far
        outcome = ingest_one(conn, *args, **kwargs)
        server_cpu[0] = _backend_cpu(backends[-1])
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
            "functions_s_total_self": functions, "copy_floor": _floor(url),
            "copy_floor_indexed": indexed_floor(url),
            "load_before": load, "load_after": os.getloadavg()}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    import tempfile

    from tests.support_central import Server

    folder = Path((argv or sys.argv[1:])[0])
    server = Server().start()
    try:
        url = server.create_database("central_ingest")
        server.execute("ALTER SYSTEM SET track_functions = 'all'")
        server.execute("SELECT pg_reload_conf()")
        with tempfile.TemporaryDirectory(prefix="dutydesk-central-ingest-") as work:
            result = measure(url, folder, Path(work))
    finally:
        server.stop()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
