"""What the central archive's benchmarks share (bench/central.py, bench/measure/central.py,
bench/measure/central_ingest.py), once: the database measured (a throwaway server unless a URL
is given, initialised as `dutydesk central init` does and taking the generated desks' unsigned
archives), the desks written and ingested, the search terms, the COPY floor, the server's CPU
and the quarterly report."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


# ---------------------------------------------------------------- the database measured


def prepare(url: str) -> None:
    """The schema and the ingest role (`central init`); a city that takes archives of desks it
    has no key for (the generated desks are not enrolled)."""
    from dutydesk.services.central import init_central
    from dutydesk.services.central.enrolment import set_unenrolled

    init_central(url)
    set_unenrolled(url, True, "王主任", "生成的值班台未登记公钥")


@contextmanager
def central_database(url: str | None, name: str, settings: Sequence[str] = ()) -> Iterator[str]:
    """The database at `url`, or a new one `name` on a throwaway server (tests/support_central,
    `settings` run on it first, stopped after), prepared for ingest."""
    server = None
    if url is None:
        from tests.support_central import Server

        server = Server().start()
        for sql in settings:
            server.execute(sql)
        url = server.create_database(name)
        say(f"server {server.root}: {url}")
    try:
        prepare(url)
        yield url
    finally:
        if server is not None:
            server.stop()


# ---------------------------------------------------------------- the desks


def _write_one(task: tuple[Path, int, int, int, int]) -> tuple[int, int, float]:
    from bench.measure.central_desk import write_desk

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


def write_desks(out: Path, desks: int, days: int, per_day: int, jobs: int = 1,
                pack_days: int = 1) -> None:  # fmt: skip
    """Each desk's archive folder as DIR/desk<i>, `jobs` desks at a time; a desk finished before
    (DIR/desk<i>/.done) is kept, one half written is started again."""
    out.mkdir(parents=True, exist_ok=True)
    todo = [i for i in range(desks) if not (out / f"desk{i}" / ".done").is_file()]
    say(f"generate: {desks - len(todo)} of {desks} desks already written, {len(todo)} to go")
    tasks = [(out, index, days, per_day, pack_days) for index in todo]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for done, (index, calls, cpu) in enumerate(pool.map(_write_one, tasks), start=1):
            say(f"desk {index}: {calls} calls, {cpu:.0f} s CPU ({done}/{len(todo)})")


def finished_desks(out: Path) -> list[Path]:
    return sorted((d.parent for d in out.glob("desk*/.done")), key=lambda p: int(p.name[4:]))


def desk_calls(folder: Path) -> int:
    return int(json.loads((folder / ".done").read_text())["calls"])


# ---------------------------------------------------------------- figures


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p99_ms": round(p99 * 1000, 2)}


def copy_floor(url: str, indexed: bool = False) -> dict[str, Any]:
    """The same rows (links, records, calls, texts) COPY'd into tables of their own: bare (no
    checks, indexes or triggers), or `indexed` with the ingested tables' indexes (the search's
    GIN indexes included): what the rows cost to store, without any check."""
    import psycopg

    like = "INCLUDING INDEXES" if indexed else ""
    with psycopg.connect(url, autocommit=True) as conn:
        seconds, rows = 0.0, 0
        for table in ("link", "record", "call", "doc"):
            conn.execute(f"DROP TABLE IF EXISTS floor_{table}")
            conn.execute(f"CREATE TABLE floor_{table} (LIKE {table} {like})")
            buffer = bytearray()
            with conn.cursor().copy(f"COPY {table} TO STDOUT") as out:
                for chunk in out:
                    buffer += chunk
            began = time.perf_counter()
            with conn.cursor().copy(f"COPY floor_{table} FROM STDIN") as into:
                into.write(bytes(buffer))
            seconds += time.perf_counter() - began
            if table == "record":  # counted as ingest counts them: one per chained row
                rows = int(conn.execute("SELECT count(*) FROM floor_record").fetchone()[0])  # type: ignore[index]
            conn.execute(f"DROP TABLE floor_{table}")
    return {"seconds": round(seconds, 3), "rows": rows, "rows_per_s": int(rows / seconds)}


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def backend_cpu(pid: int) -> float:
    """A server process's CPU seconds so far (the server runs on this machine: /proc); 0 when
    it cannot be read."""
    try:
        fields = _stat(pid)
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def connection_cpu(conn: Any) -> Callable[[], float]:
    """The CPU so far of the connection's server process, as a function."""
    pid = int(conn.execute("SELECT pg_backend_pid()").fetchone()[0])
    return lambda: backend_cpu(pid)


def server_cpu(url: str) -> float:
    """The whole server's CPU so far: the postmaster's own and its reaped children's
    (backends that have closed), plus every live child's."""
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


def client_cpu() -> float:
    """This process's CPU and its finished children's (the ingest processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def quarterly_report(url: str, runs: int = 1) -> list[dict[str, Any]]:
    """The quarterly report `runs` times: wall, this process's CPU, the load."""
    from dutydesk.services.central import central_report

    figures = []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        report = central_report(url, "2026-01-01", "2026-03-31")
        figures.append({"wall_s": round(time.perf_counter() - began, 3),
                        "client_cpu_s": round(time.process_time() - began_cpu, 3),
                        "desks": len(report.desks), "units": len(report.units),
                        "load": round(os.getloadavg()[0], 1)})  # fmt: skip
    return figures
