"""Build (or reuse) the ten-year database, deterministically from a seed.

The schema comes from dutydesk.services.core.desk.init_database (so the Alembic migrations run);
the rows are then written in bulk, shift by shift in time order, by ChainWriter."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.gen import (
    calls,
    documents,
    handovers,
    incidents,
    pending,
    people,
    requests,
    shifts,
    spotchecks,
    vocab,
)
from bench.gen.timeline import Action, Events, Ledger
from bench.gen.writer import ChainWriter, Row, to_us

FTS5_AUTOMERGE = 4  # FTS5's default
GEN_VERSION = 4  # bump when the generator's output changes: it is part of the cache key
PROFILE = "tianjin"  # a city desk with day and night shifts (Tianjin art. 12)
END = "2026-11-23T14:00:00+08:00"  # the history ends here, in a day shift
DAY_US = 86_400 * 1_000_000
HOUR_US = 3600 * 1_000_000
Log = Callable[[str], None]
Progress = Callable[[int, int], None]  # (calls generated, of): the bar on a terminal


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


def ensure(
    cache_dir: Path,
    seed: int,
    size: Size,
    log: Log,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> dict:
    """The cached database for (seed, size), built if missing (reporting to `progress` if
    given). Returns what it holds."""
    path = cache_path(cache_dir, seed, size)
    if path.exists() and not rebuild and not _at_heads(path):
        log(f"bench: {path.name} was changed (migrated?) since it was built: rebuilding")
        rebuild = True
    if path.exists() and not rebuild:
        return {**describe(path, seed, size), "cached": True, "build_seconds": None}
    cache_dir.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    if not rebuild and bring_forward(path, seed, size, log):
        seconds = round(time.perf_counter() - began, 1)
        return {**describe(path, seed, size), "cached": "migrated", "build_seconds": seconds}
    build(path, seed, size, log, progress)
    seconds = round(time.perf_counter() - began, 1)
    return {**describe(path, seed, size), "cached": False, "build_seconds": seconds}


def bring_forward(path: Path, seed: int, size: Size, log: Log) -> bool:
    """A register built by this generator under older migrations, copied and upgraded as a desk
    in the field is (minutes instead of the half hour a ten-year build takes). False if none."""
    import shutil

    from dutydesk.db import make_engine, migrate, secure_file

    pattern = f"desk-s{seed}-c{size.calls}-y{size.years}-g{GEN_VERSION}-m*.sqlite3"
    older = [p for p in path.parent.glob(pattern) if ".partial." not in p.name and p != path]
    if not older:
        return False
    source = max(older, key=lambda p: p.stat().st_mtime)
    partial = path.with_name(path.stem + ".partial.sqlite3")
    log(f"bench: upgrading a copy of {source.name} to the current migrations")
    shutil.copyfile(source, partial)
    secure_file(partial)
    engine = make_engine(partial)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    conn = sqlite3.connect(partial, isolation_level=None)
    merge_as_upkeep(conn, log)  # a migration may have changed how far upkeep merges
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything into the main file: _at_heads
    conn.close()
    if not _at_heads(partial):
        partial.unlink()
        return False
    partial.rename(path)
    return True


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


def build(path: Path, seed: int, size: Size, log: Log, progress: Progress | None = None) -> None:
    """Logs a line every 100,000 calls written, or tells `progress` after each shift."""
    from dutydesk.clock import FrozenClock
    from dutydesk.db import secure_file
    from dutydesk.profiles import load_profile
    from dutydesk.services.core.desk import init_database

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
    # Migration 0007 leaves FTS5 merging to the app's upkeep; years of upkeep keep the indexes
    # merged about as automerge would, so the bulk writes merge that way and the setting the
    # migration chose is put back at the end.
    _set_automerge(conn, FTS5_AUTOMERGE)
    writer = ChainWriter(conn)
    for name, columns in _tables().items():
        writer.table(name, columns)

    # One generator per register, each with its own random stream: adding one leaves the
    # others' rows as they were.
    rng = random.Random(seed)
    streams = {
        name: random.Random(f"{seed}:{name}")
        for name in ("incidents", "spot", "handover", "requests", "documents")
    }
    events = Events(end)
    ledger = Ledger()
    pin = handovers.pin_hash()
    roster = people.Roster(rng, min_in_post_days=profile.eligibility.min_months_in_post * 31)
    first = roster.start(start - DAY_US, end)
    units = spotchecks.unit_rows(streams["spot"], start - DAY_US + HOUR_US)
    writer.write(sorted(first + handovers.pin_rows(first, pin) + units, key=lambda r: r.at))
    log(f"generating {size.calls:,} call times over {size.years} years")
    moments = calls.call_times(rng, size.calls, start, end, tz)
    if progress is not None:
        progress(0, size.calls)
    document_moments = documents.document_times(streams["documents"], start, end, tz)
    count = incidents.count_for(size.calls)
    generator = incidents.Incidents(streams["incidents"], profile, events, ledger)
    generator.schedule(incidents.occurrences(streams["incidents"], count, start, end, tz))
    asked = requests.Requests(streams["requests"], profile, events)
    asked.schedule(size.calls, start, end, tz)
    generator.on_recorded = asked.regrade_later
    checks = spotchecks.SpotChecks(streams["spot"], profile, tz, events, ledger, units)
    handing = handovers.Handovers(streams["handover"], profile, events, ledger)
    register = calls.Register(tz)
    previous_officer: Row | None = None
    previous_shift: Row | None = None
    next_report = 100_000
    for window in shifts.windows(profile, start, end):
        batch = roster.hired_before(min(window.end, end))
        batch += handovers.pin_rows(batch, pin)
        crew = roster.crew(window.start, window.index)
        shift: Row | None = shifts.shift_row(rng, window, crew)
        assert shift is not None
        if shift.at >= end:
            shift = None
        else:
            batch.append(shift)
            if previous_shift is not None:
                handing.plan(previous_shift, shift, window.start)
            checks.plan(shift, window.end)
        officer = crew[0]

        def on_duty(
            at: int, shift: Row | None = shift, officer: Row = officer, before: Row | None = None
        ) -> tuple[Row | None, Row]:
            """The shift and the officer recording at `at` (before the shift is opened at the
            desk, the outgoing officer still records, with no shift)."""
            if shift is not None and at >= shift.at:
                return shift, officer
            return None, before or officer

        def duty(at: int, before: Row | None = previous_officer) -> tuple[Row | None, Row]:
            return on_duty(at, before=before)

        for at in calls.calls_between(moments, window.start, min(window.end, end)):
            current, recorder = duty(at)
            call = calls.call_row(rng, at, tz, recorder, current)
            batch.append(call)
            if current is not None:
                ledger.calls[current.at] += 1
            if call.values["follow_up"]:
                item = pending.item_row(call, recorder, current)
                batch.append(item)
                ledger.pending_opened(item)
                delay = pending.close_delay(rng, at, end)
                if delay is not None:
                    events.add(at + delay, _closer(rng, item, ledger))
            delay = calls.amend_delay(rng)
            if delay is not None:
                events.add(at + delay, _amender(rng, call))
        for at in calls.calls_between(document_moments, window.start, min(window.end, end)):
            current, recorder = duty(at)
            document = documents.document_row(streams["documents"], at, recorder, current)
            batch.append(document)
            documents.plan(streams["documents"], document, events, end)
        batch += events.drain(window.end, duty)
        batch.sort(key=lambda row: row.at)
        for row in batch:
            if row.table == "call_record":
                register.number(row)
        writer.write(batch)
        previous_officer = officer
        previous_shift = shift or previous_shift
        written = writer.counts["call_record"]
        if progress is not None:
            progress(calls.calls_before(moments, min(window.end, end)), size.calls)
        elif written >= next_report:
            spent = time.perf_counter() - began
            left = spent / written * max(size.calls - written, 0)
            log(
                f"  {written:,} of {size.calls:,} calls written ({spent:.0f} s, ~{left:.0f} s left)"
            )
            next_report += 100_000
        if window.end > end:
            break
    writer.close()
    _set_automerge(conn, 0)
    merge_as_upkeep(conn, log)
    conn.executemany(
        "INSERT INTO register_sequence (book, year, last_value) VALUES (?, ?, ?)",
        [(calls.REGISTER, year, last) for year, last in sorted(register.last.items())],
    )
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    secure_file(partial)
    partial.replace(path)


def _tables() -> dict[str, set[str]]:
    """Every table the build writes, with the columns its generator fills."""
    return {
        "person": people.PERSON_COLUMNS,
        "shift": shifts.SHIFT_COLUMNS,
        "call_record": calls.CALL_COLUMNS,
        "pending_item": pending.ITEM_COLUMNS,
        "pending_closure": pending.CLOSURE_COLUMNS,
        **incidents.TABLES,
        **spotchecks.TABLES,
        **handovers.TABLES,
        **requests.TABLES,
        **documents.TABLES,
    }


def _closer(rng: random.Random, item: Row, ledger: Ledger) -> Action:
    def close(at: int, shift: Row | None, recorder: Row) -> list[Row]:
        closure = pending.closure_row(rng, at, item, recorder)
        ledger.pending_closed(closure, item)
        return [closure]

    return close


def _amender(rng: random.Random, call: Row) -> Action:
    def amend(at: int, shift: Row | None, recorder: Row) -> list[Row]:
        return [calls.amendment_row(rng, at, call, recorder, shift)]

    return amend


def _set_automerge(conn: sqlite3.Connection, value: int) -> None:
    from dutydesk.services.core.upkeep import SEARCH_INDEXES

    for index in SEARCH_INDEXES:
        conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('automerge', ?)", (value,))


def merge_as_upkeep(conn: sqlite3.Connection, log: Log) -> None:
    """The search indexes as years of the app's upkeep leave them: its bounded 'merge' run until
    it finds nothing left to do (at the 'usermerge' the migrations set: one segment a level)."""
    from dutydesk.services.core.upkeep import SEARCH_INDEXES

    began = time.perf_counter()
    for index in SEARCH_INDEXES:
        while True:
            before = conn.total_changes
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('merge', 4000)")
            if conn.total_changes - before < 2:  # FTS5's sign that the merge found nothing to do
                break
    log(f"bench: search indexes merged as upkeep keeps them ({time.perf_counter() - began:.0f} s)")


def describe(path: Path, seed: int, size: Size) -> dict:
    """What a built database holds (read back from it, so a cached one is described alike)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        rows = {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in _tables()
        }
        links = conn.execute("SELECT max(seq) FROM audit_link").fetchone()[0]
        # Tables in the schema that no generator fills (e.g. verifications, instructions).
        written = set(_tables()) | {"audit_link", "alembic_version", "office", "register_sequence"}
        not_generated = {
            name: "not generated: no generator writes this table"
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'call_bigram%' AND name NOT LIKE 'call_fts%' "
                "AND name NOT LIKE 'call_phone%' AND name NOT LIKE 'call_digits%' ORDER BY name"
            )
            if name not in written
        }
        row = conn.execute(
            "SELECT avg(length(summary)), avg(length(summary) + length(handling)), "
            "min(received_at), max(recorded_at), count(DISTINCT unit) FROM call_record"
        ).fetchone()
        open_items = conn.execute(
            "SELECT count(*) FROM pending_item WHERE id NOT IN "
            "(SELECT item_id FROM pending_closure)"
        ).fetchone()[0]
        deadlines = conn.execute(
            "SELECT count(*), sum(c.id IS NULL), sum(c.late_minutes > 0) FROM deadline d "
            "LEFT JOIN deadline_closure c ON c.deadline_id = d.id"
        ).fetchone()
        late_unit_reports = conn.execute("SELECT count(*) FROM unit_report WHERE late").fetchone()
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
        "open_deadlines": deadlines[1] or 0,
        "late_deadlines": deadlines[2] or 0,
        "late_unit_reports": late_unit_reports[0],
    }
