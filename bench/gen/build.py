"""Build (or reuse) the ten-year database, deterministically from a seed.

The schema comes from dutydesk.services.desk.init_database (so the Alembic migrations run);
the rows are then written in bulk, shift by shift in time order, by ChainWriter."""

from __future__ import annotations

import hashlib
import heapq
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.gen import calls, incidents, pending, people, shifts, spotchecks, vocab
from bench.gen.writer import ChainWriter, Row, to_us

GEN_VERSION = 1  # bump when the generator's output changes: it is part of the cache key
PROFILE = "tianjin"  # a city desk with day and night shifts (Tianjin art. 12)
END = "2026-11-23T14:00:00+08:00"  # the history ends here, in a day shift
DAY_US = 86_400 * 1_000_000
Log = Callable[[str], None]
TABLES = ("person", "shift", "call_record", "pending_item", "pending_closure")


@dataclass(frozen=True)
class Size:
    calls: int
    years: int


FULL = Size(1_000_000, 10)
SMOKE = Size(3_000, 1)


def end_time():  # -> pendulum.DateTime
    import pendulum

    return pendulum.parse(END)


def schema_key() -> str:
    """Short hash of the migration scripts' text: a new or edited migration means a new cache."""
    from dutydesk.db import _VERSIONS_DIR

    digest = hashlib.sha1()
    for script in sorted(_VERSIONS_DIR.glob("*.py")):
        digest.update(script.name.encode() + b"\0" + script.read_bytes())
    return digest.hexdigest()[:8]


def cache_path(cache_dir: Path, seed: int, size: Size) -> Path:
    name = f"desk-s{seed}-c{size.calls}-y{size.years}-g{GEN_VERSION}-m{schema_key()}.sqlite3"
    return cache_dir / name


def ensure(cache_dir: Path, seed: int, size: Size, log: Log, rebuild: bool = False) -> dict:
    """The cached database for (seed, size), built if missing. Returns what it holds."""
    path = cache_path(cache_dir, seed, size)
    if path.exists() and not rebuild and not _at_heads(path):
        log(f"bench: {path.name} was changed (migrated?) since it was built: rebuilding")
        rebuild = True
    if path.exists() and not rebuild:
        return {**describe(path, seed, size), "cached": True, "build_seconds": None}
    cache_dir.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    build(path, seed, size, log)
    seconds = round(time.perf_counter() - began, 1)
    return {**describe(path, seed, size), "cached": False, "build_seconds": seconds}


def _at_heads(path: Path) -> bool:
    """Is the file still at the schema it was built with? (Read without creating -wal/-shm.)"""
    from dutydesk.db import known_revisions

    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        stored = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return stored == set(known_revisions()[1])


def build(path: Path, seed: int, size: Size, log: Log) -> None:
    from dutydesk.clock import FrozenClock
    from dutydesk.db import secure_file
    from dutydesk.profiles import load_profile
    from dutydesk.services.desk import init_database

    began = time.perf_counter()
    partial = path.with_name(path.stem + ".partial.sqlite3")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    profile = load_profile(PROFILE)
    tz = ZoneInfo(profile.profile.timezone)
    end_dt = end_time()
    end = to_us(end_dt)
    start = to_us(end_dt.subtract(years=size.years))
    desk = init_database(
        partial, vocab.OFFICE_NAME, PROFILE, FrozenClock(end_dt.subtract(years=size.years, days=2))
    )
    desk.close()
    conn = sqlite3.connect(partial, isolation_level=None)
    conn.execute("PRAGMA journal_mode = MEMORY")  # a failed build is thrown away anyway
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    writer = ChainWriter(conn)
    writer.table("person", people.PERSON_COLUMNS)
    writer.table("shift", shifts.SHIFT_COLUMNS)
    writer.table("call_record", calls.CALL_COLUMNS)
    writer.table("pending_item", pending.ITEM_COLUMNS)
    writer.table("pending_closure", pending.CLOSURE_COLUMNS)

    rng = random.Random(seed)
    roster = people.Roster(rng, min_in_post_days=profile.eligibility.min_months_in_post * 31)
    writer.write(roster.start(start - DAY_US, end))
    log(f"generating {size.calls:,} call times over {size.years} years")
    moments = calls.call_times(rng, size.calls, start, end, tz)
    register = calls.Register(tz)
    deferred: list[tuple[int, int, str, Row]] = []
    counter = 0
    previous_officer: Row | None = None
    next_report = 100_000
    for window in shifts.windows(profile, start, end):
        batch = roster.hired_before(min(window.end, end))
        crew = roster.crew(window.start, window.index)
        shift: Row | None = shifts.shift_row(rng, window, crew)
        assert shift is not None
        if shift.at >= end:
            shift = None
        else:
            batch.append(shift)
        officer = crew[0]

        def on_duty(
            at: int, shift: Row | None = shift, officer: Row = officer, before: Row | None = None
        ) -> tuple[Row | None, Row]:
            """The shift and the officer recording at `at` (before the shift is opened at the
            desk, the outgoing officer still records, with no shift)."""
            if shift is not None and at >= shift.at:
                return shift, officer
            return None, before or officer

        for at in calls.calls_between(moments, window.start, min(window.end, end)):
            current, recorder = on_duty(at, before=previous_officer)
            call = calls.call_row(rng, at, tz, recorder, current)
            batch.append(call)
            if call.values["follow_up"]:
                item = pending.item_row(call, recorder, current)
                batch.append(item)
                delay = pending.close_delay(rng, at, end)
                if delay is not None and at + delay < end:
                    counter += 1
                    heapq.heappush(deferred, (at + delay, counter, "close", item))
            delay = calls.amend_delay(rng)
            if delay is not None and at + delay < end:
                counter += 1
                heapq.heappush(deferred, (at + delay, counter, "amend", call))
        while deferred and deferred[0][0] < window.end:
            due, _, kind, target = heapq.heappop(deferred)
            current, recorder = on_duty(due, before=previous_officer)
            if kind == "close":
                batch.append(pending.closure_row(rng, due, target, recorder))
            else:
                batch.append(calls.amendment_row(rng, due, target, recorder, current))
        batch.sort(key=lambda row: row.at)
        for row in batch:
            if row.table == "call_record":
                register.number(row)
        writer.write(batch)
        previous_officer = officer
        written = writer.counts["call_record"]
        if written >= next_report:
            log(f"  {written:,} calls written ({time.perf_counter() - began:.0f} s)")
            next_report += 100_000
        if window.end > end:
            break
    writer.close()
    conn.executemany(
        "INSERT INTO register_sequence (book, year, last_value) VALUES (?, ?, ?)",
        [(calls.REGISTER, year, last) for year, last in sorted(register.last.items())],
    )
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    secure_file(partial)
    partial.replace(path)


def describe(path: Path, seed: int, size: Size) -> dict:
    """What a built database holds (read back from it, so a cached one is described alike)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        rows = {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in TABLES
        }
        links = conn.execute("SELECT max(seq) FROM audit_link").fetchone()[0]
        not_generated = {
            "incidents": incidents.missing(conn),
            "spot_checks": spotchecks.missing(conn),
            "handovers": "not generated yet: no handover generator",
        }
        row = conn.execute(
            "SELECT avg(length(summary)), avg(length(summary) + length(handling)), "
            "min(received_at), max(recorded_at), count(DISTINCT unit) FROM call_record"
        ).fetchone()
        open_items = conn.execute(
            "SELECT count(*) FROM pending_item WHERE id NOT IN "
            "(SELECT item_id FROM pending_closure)"
        ).fetchone()[0]
    finally:
        conn.close()
    return {
        "path": str(path),
        "seed": seed,
        "size": asdict(size),
        "profile": PROFILE,
        "end": END,
        "generator_version": GEN_VERSION,
        "schema_key": schema_key(),
        "rows": rows,
        "audit_links": links,
        "not_generated": not_generated,
        "db_bytes": path.stat().st_size,
        "avg_summary_chars": round(row[0] or 0, 1),
        "avg_summary_and_handling_chars": round(row[1] or 0, 1),
        "first_call": row[2],
        "last_call": row[3],
        "units": row[4],
        "open_pending_items": open_items,
    }
