"""Crash and concurrency harness (issue 7): DutyDesk must never lose a call it said it saved.

Kill mode (default): a writer process saves calls through dutydesk.services.calls.calls.save_call (the
service the screens use) and prints each register number only after the save returned; it is
killed with SIGKILL at a random moment. After each kill the harness checks that every printed
number is in the database with the text that was saved, that register numbers run 1..n with no
gap and none reused, that at most one save committed without being printed (the one the kill
interrupted), that PRAGMA integrity_check is ok and that the register verifies (hash chain).

Concurrency mode (--concurrent N): two processes save N calls each at once into one file: 2N
distinct numbers, none lost, and no "database is locked" reaching the user.

    python bench/crash_harness.py --runs 1000
    python bench/crash_harness.py --concurrent 1000
    python bench/crash_harness.py --runs 30 --spawn     # fresh interpreters instead of fork
    python bench/crash_harness.py --runs 300 --as-app   # the register opened as the app opens it

Writers are forked from this process by default (fast: no interpreter start-up per run); with
--spawn each writer is a new `python` running this file with --writer.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

OFFICE = "压力测试值班室"
PROFILE = "tianjin"
WRITER = "写入员"  # the person the writers record as
READY = "ready"
MAX_DELAY_MS = 40.0  # a kill lands up to this long after the writer is ready
EARLY_KILL_SHARE = 0.1  # this share of kills lands while the writer is still opening the file
EARLY_KILL_MS = 8.0
AFTER_SAVE_SHARE = (
    0.2  # this share waits for a printed save first, so some kills follow saves on a slow machine
)
READY_TIMEOUT_S = 60.0
# Writers open the register as the app does (no checkpoint inside a commit below the backstop)
# and run its upkeep (index merging, a PASSIVE checkpoint) after every UPKEEP_EVERY saves, so
# kills land in checkpoints too. Set before the writers start (--as-app; forked ones inherit it).
AS_THE_APP = False
UPKEEP_EVERY = 3


# ---- the writer (child process) -------------------------------------------------------------


def summary_for(run: int, index: int, tag: str) -> str:
    return f"压测 run {run} call {index} {tag}：停电积水，来电核实。"


def writer(
    path: Path, run: int, out_fd: int, count: int | None, tag: str, go_fd: int | None
) -> int:
    """Save calls until killed (or `count` saved); report each number after save returned.
    Returns the exit code: 0 done, 3 a DutyError reached the user, 4 anything else."""
    from dutydesk.errors import DutyError
    from dutydesk.services.calls.calls import CallDraft, save_call
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.core.upkeep import UpkeepState, run_upkeep
    from dutydesk.services.roster.people import find_person

    try:
        desk = open_desk(path, upkeep_off_path=AS_THE_APP)
        upkeep = UpkeepState()
        recorder = find_person(desk, WRITER)
        os.write(out_fd, f"{READY}\n".encode())
        if go_fd is not None:
            os.read(go_fd, 1)  # wait until every writer is ready
        index = 0
        while count is None or index < count:
            draft = CallDraft(
                caller="李四",
                unit="应急管理局",
                phone="022-12345678",
                summary=summary_for(run, index, tag),
            )
            started = time.perf_counter()
            record = save_call(desk, draft, recorder)
            took_ms = (time.perf_counter() - started) * 1000
            os.write(out_fd, f"{record.number}\t{index}\t{took_ms:.1f}\n".encode())
            index += 1
            if AS_THE_APP and index % UPKEEP_EVERY == 0:
                run_upkeep(desk, upkeep)
        desk.close()
        return 0
    except DutyError as error:
        os.write(2, f"writer {tag}: {error.key}: {error.message()}\n".encode())
        return 3
    except BaseException:  # noqa: BLE001 - report anything, the parent counts it as a failure
        os.write(2, traceback.format_exc().encode())
        return 4


class Writer:
    """A writer process: forked from this one, or a fresh interpreter (--spawn)."""

    def __init__(
        self, path: Path, run: int, *, spawn: bool, count: int | None = None, tag: str = "w",
        wait_go: bool = False,
    ) -> None:  # fmt: skip
        self.spawn = spawn
        self.buffer = b""
        self.slowest_ms = 0.0  # the longest save, waiting for the lock included
        self.process: subprocess.Popen[bytes] | None = None
        self.go_write: int | None = None
        go_read: int | None = None
        if wait_go:
            go_read, self.go_write = os.pipe()
        if spawn:
            args = [sys.executable, str(Path(__file__).resolve()), "--writer", str(path),
                    "--run", str(run), "--tag", tag]  # fmt: skip
            if count is not None:
                args += ["--count", str(count)]
            if go_read is not None:
                args += ["--go-fd", str(go_read)]
            if AS_THE_APP:
                args.append("--as-app")
            self.process = subprocess.Popen(
                args, stdout=subprocess.PIPE, pass_fds=() if go_read is None else (go_read,)
            )
            assert self.process.stdout is not None
            self.fd = self.process.stdout.fileno()
            self.pid = self.process.pid
        else:
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns into the caller
                code = 4
                try:
                    os.close(read_fd)
                    if self.go_write is not None:
                        os.close(self.go_write)
                    code = writer(path, run, write_fd, count, tag, go_read)
                finally:
                    os._exit(code)
            os.close(write_fd)
            self.fd, self.pid = read_fd, pid
        if go_read is not None:
            os.close(go_read)

    def read_until(
        self, deadline: float, want_ready: bool = False, want_saved: bool = False
    ) -> bool:
        """Collect output until `deadline` (or until "ready", or a save after it, is seen); False
        at end of file."""
        while True:
            if want_ready and f"{READY}\n".encode() in self.buffer:
                return True
            if want_saved and self.buffer.count(b"\n") >= 2:  # "ready", then one printed number
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True
            readable, _, _ = select.select([self.fd], [], [], remaining)
            if not readable:
                return True
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return False
            self.buffer += chunk

    def go(self) -> None:
        assert self.go_write is not None
        os.write(self.go_write, b"g")
        os.close(self.go_write)
        self.go_write = None

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)

    def finish(self) -> tuple[int, dict[str, int]]:
        """Wait for the process, read everything it printed: (exit code, number -> index)."""
        while self.read_until(time.monotonic() + 3600):
            pass  # until end of file: the writer has exited or was killed
        if self.process is not None:
            assert self.process.stdout is not None
            self.process.stdout.close()
            code = self.process.wait()
        else:
            os.close(self.fd)
            _, status = os.waitpid(self.pid, 0)
            code = os.waitstatus_to_exitcode(status)
        saved: dict[str, int] = {}
        for line in self.buffer.decode().splitlines():
            if line == READY:
                continue
            number, index, took_ms = line.split("\t")
            saved[number] = int(index)
            self.slowest_ms = max(self.slowest_ms, float(took_ms))
        return code, saved


# ---- setting up and checking ----------------------------------------------------------------


ADMIN, ADMIN_PIN = "管理员", "246813"  # the harness's own register's administrator


def prepare(path: Path) -> None:
    """A register with the writer on the people registry (reused if it exists)."""
    from datetime import date

    import dutydesk.services.calls.calls  # noqa: F401 - imported once here, not in every forked writer
    from dutydesk.errors import DutyError
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.roster.authority import authorise, init_with_admin
    from dutydesk.services.roster.people import add_person, find_person

    if path.exists():
        desk = open_desk(path)
    else:
        desk = init_with_admin(path, OFFICE, PROFILE, ADMIN, ADMIN_PIN, ADMIN_PIN)
    try:
        grant = authorise(desk, ADMIN, ADMIN_PIN)
        add_person(desk, WRITER, "officer", in_post_since=date(2020, 1, 1), authority=grant)
    except DutyError as error:
        if error.key != "people.exists":
            raise
    desk.close()
    # Warm the caches the writers would otherwise each fill (forked writers inherit them).
    warm = open_desk(path)
    find_person(warm, WRITER)
    warm.close()


@contextmanager
def frozen_gc() -> Iterator[None]:
    """Keep the garbage collector off the objects forked writers inherit, so they share this
    process's memory instead of copying it page by page."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass
class Totals:
    mode: str
    runs: int = 0
    acknowledged: int = 0  # saves whose number was printed
    unacknowledged: int = 0  # saves committed but killed before the number was printed
    rows: int = 0
    integrity_ok: int = 0
    verify_ok: int = 0
    early_kills: int = 0
    writer_errors: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    head: str | None = None
    links: int = 0
    interleaving: int = 0  # concurrent mode: how often the writer changes along the numbers
    slowest_save_ms: float = 0.0  # the longest a save took, waiting for the write lock included


def stored_calls(path: Path) -> dict[str, str]:
    """number -> summary, as stored, through a normal connection (which recovers the WAL, as
    the next start of DutyDesk would)."""
    conn = sqlite3.connect(str(path), timeout=5)
    try:
        return dict(conn.execute("SELECT number, summary FROM call_record ORDER BY id"))
    finally:
        conn.close()


def check_numbers(path: Path, known: dict[str, str], totals: Totals, context: str) -> None:
    """Numbers 1..n per year with no gap, none reused (every number seen before still holds
    what it held), and the counter in step with the register."""
    conn = sqlite3.connect(str(path), timeout=5)
    try:
        by_year: dict[int, list[int]] = {}
        for year, seq in conn.execute("SELECT year, seq FROM call_record ORDER BY year, seq"):
            by_year.setdefault(year, []).append(seq)
        counters = dict(
            conn.execute("SELECT year, last_value FROM register_sequence WHERE book = 'call'")
        )
    finally:
        conn.close()
    for year, seqs in by_year.items():
        if seqs != list(range(1, len(seqs) + 1)):
            totals.failures.append(f"{context}: numbers of {year} are not 1..{len(seqs)}")
        if counters.get(year) != len(seqs):
            totals.failures.append(f"{context}: counter {counters.get(year)} != {len(seqs)} rows")
    stored = stored_calls(path)
    for number, summary in known.items():
        if stored.get(number) != summary:
            totals.failures.append(f"{context}: {number} changed or lost")
    totals.rows = len(stored)


def check_store(path: Path, totals: Totals, context: str) -> None:
    from dutydesk.errors import DutyError
    from dutydesk.services.archive.verify import verify_register

    conn = sqlite3.connect(str(path), timeout=5)
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
    if integrity == ["ok"]:
        totals.integrity_ok += 1
    else:
        totals.failures.append(f"{context}: integrity_check: {integrity[:3]}")
    try:
        report = verify_register(path, integrity=False)
    except DutyError as error:
        totals.failures.append(f"{context}: verify: {error.message()}")
        return
    if report.ok:
        totals.verify_ok += 1
        totals.head, totals.links = report.head, report.links
    else:
        totals.failures.append(f"{context}: verify: {report.to_json()['first_broken']}")


# ---- the two modes --------------------------------------------------------------------------


def run_kills(path: Path, runs: int, *, seed: int = 0, spawn: bool = False,
              max_delay_ms: float = MAX_DELAY_MS) -> Totals:  # fmt: skip
    """`runs` writers, each killed with SIGKILL at a random moment, checked after each kill."""
    prepare(path)
    with frozen_gc():
        return _kills(path, runs, seed, spawn, max_delay_ms)


def _kills(path: Path, runs: int, seed: int, spawn: bool, max_delay_ms: float) -> Totals:
    rng = random.Random(seed)
    totals = Totals(
        "kill" + (" (spawn)" if spawn else " (fork)") + (" as the app" if AS_THE_APP else "")
    )
    known = stored_calls(path)
    started = time.monotonic()
    for run in range(runs):
        context = f"run {run}"
        proc = Writer(path, run, spawn=spawn, tag=f"k{seed}")
        if rng.random() < EARLY_KILL_SHARE:
            totals.early_kills += 1
            proc.read_until(time.monotonic() + rng.uniform(0, EARLY_KILL_MS) / 1000)
        else:
            proc.read_until(time.monotonic() + READY_TIMEOUT_S, want_ready=True)
            if rng.random() < AFTER_SAVE_SHARE:
                proc.read_until(time.monotonic() + READY_TIMEOUT_S, want_saved=True)
            proc.read_until(time.monotonic() + rng.uniform(0, max_delay_ms) / 1000)
        proc.kill()
        code, saved = proc.finish()
        if code not in (0, -signal.SIGKILL):
            totals.writer_errors += 1
            totals.failures.append(f"{context}: writer exited with {code}")
        stored = stored_calls(path)
        for number, index in saved.items():
            if stored.get(number) != summary_for(run, index, f"k{seed}"):
                totals.failures.append(f"{context}: printed {number} is not in the register")
        new = set(stored) - set(known)
        if not set(saved) <= new:
            totals.failures.append(f"{context}: a printed number was already in use")
        unprinted = new - set(saved)
        if len(unprinted) > 1:
            totals.failures.append(f"{context}: {len(unprinted)} saves committed unprinted")
        totals.unacknowledged += len(unprinted)
        totals.acknowledged += len(saved)
        check_numbers(path, known, totals, context)
        check_store(path, totals, context)
        known = stored
        totals.runs += 1
    totals.seconds = round(time.monotonic() - started, 2)
    return totals


def run_concurrent(path: Path, count: int, *, spawn: bool = False, writers: int = 2) -> Totals:
    """`writers` processes saving `count` calls each at the same moment into one file."""
    prepare(path)
    with frozen_gc():
        return _concurrent(path, count, spawn, writers)


def _concurrent(path: Path, count: int, spawn: bool, writers: int) -> Totals:
    totals = Totals("concurrent" + (" (spawn)" if spawn else " (fork)"))
    before = stored_calls(path)
    started = time.monotonic()
    procs = [Writer(path, 0, spawn=spawn, count=count, tag=f"c{i}", wait_go=True)
             for i in range(writers)]  # fmt: skip
    for proc in procs:
        if not proc.read_until(time.monotonic() + READY_TIMEOUT_S, want_ready=True):
            totals.failures.append("a writer ended before it was ready")
    for proc in procs:
        if proc.go_write is not None:
            proc.go()
    printed: list[str] = []
    writer_of: dict[str, int] = {}
    for i, proc in enumerate(procs):
        code, saved = proc.finish()
        if code != 0:
            totals.writer_errors += 1
            totals.failures.append(f"writer {i} exited with {code} after {len(saved)} saves")
        printed += list(saved)
        writer_of.update(dict.fromkeys(saved, i))
        totals.slowest_save_ms = max(totals.slowest_save_ms, proc.slowest_ms)
        stored = stored_calls(path)
        for number, index in saved.items():
            if stored.get(number) != summary_for(0, index, f"c{i}"):
                totals.failures.append(f"writer {i}: {number} not stored as saved")
                break
    if len(set(printed)) != len(printed):
        totals.failures.append("a number was given twice")
    if len(printed) != count * writers:
        totals.failures.append(f"{len(printed)} saves acknowledged, {count * writers} expected")
    totals.acknowledged = len(printed)
    order = [writer_of[number] for number in sorted(writer_of)]
    totals.interleaving = sum(1 for a, b in zip(order, order[1:], strict=False) if a != b)
    check_numbers(path, before, totals, "concurrent")
    check_store(path, totals, "concurrent")
    totals.runs = 1
    totals.seconds = round(time.monotonic() - started, 2)
    return totals


def verify_cli(path: Path) -> tuple[int, str]:
    """`dutydesk verify --db PATH`, as an inspector would run it."""
    done = subprocess.run(
        [sys.executable, "-m", "dutydesk", "--lang", "en", "verify", "--db", str(path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return done.returncode, (done.stdout + done.stderr).strip()


# ---- command line ---------------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="kill runs (default 30)")
    parser.add_argument("--concurrent", type=int, metavar="N", help="two writers, N calls each")
    parser.add_argument("--db", type=Path, help="the register file (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--spawn", action="store_true", help="fresh interpreters, not fork")
    parser.add_argument("--max-delay-ms", type=float, default=MAX_DELAY_MS)
    parser.add_argument("--json", action="store_true", help="print the totals as JSON only")
    parser.add_argument("--as-app", action="store_true", help="open the register as the app does")
    # the writer side, when spawned
    parser.add_argument("--writer", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--tag", default="w", help=argparse.SUPPRESS)
    parser.add_argument("--go-fd", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    global AS_THE_APP
    args = parse(sys.argv[1:] if argv is None else argv)
    AS_THE_APP = args.as_app
    if args.writer is not None:
        return writer(args.writer, args.run, sys.stdout.fileno(), args.count, args.tag, args.go_fd)
    with tempfile.TemporaryDirectory(prefix="dutydesk-crash-") as scratch:
        path = args.db or Path(scratch) / "crash.sqlite3"
        if args.concurrent:
            totals = run_concurrent(path, args.concurrent, spawn=args.spawn)
        else:
            totals = run_kills(path, args.runs, seed=args.seed, spawn=args.spawn,
                               max_delay_ms=args.max_delay_ms)  # fmt: skip
        code, output = verify_cli(path)
        if code != 0:
            totals.failures.append(f"dutydesk verify --db: exit {code}: {output}")
        result: dict[str, Any] = asdict(totals)
        result["verify_cli"] = output
        result["failures"] = totals.failures[:50]
        result["failure_count"] = len(totals.failures)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return 1 if totals.failures else 0


if __name__ == "__main__":
    sys.exit(main())
