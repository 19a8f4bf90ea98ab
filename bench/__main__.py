"""`python -m bench`: build (or reuse) ten years of a busy desk and measure it (issue 8).

python -m bench            # the full run: 1,000,000 calls; the first build takes minutes
python -m bench --smoke    # a few thousand rows, a few seconds (the tests run this)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.gen import build
from bench.gen.vocab import OFFICE_NAME

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SEED = 20261123


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few thousand rows, a few seconds")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--calls", type=int, help="calls to generate (default 1,000,000)")
    parser.add_argument("--years", type=int, help="years of history (default 10)")
    parser.add_argument("--results-dir", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--cache-dir", type=Path, help="where built databases are kept")
    parser.add_argument("--runs", type=int, help="launches of each app for first paint (5)")
    parser.add_argument("--saves", type=int, help="saves to time (2,000)")
    parser.add_argument("--search-repeats", type=int, help="runs of each search term (20)")
    parser.add_argument("--skip-tmux", action="store_true", help="no first paint / memory")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached database")
    parser.add_argument("--build-only", action="store_true", help="build the cache and stop")
    parser.add_argument("--verify-all", action="store_true", help="hash every audited row")
    parser.add_argument("--archive-days", type=int, help="days of handovers to simulate (365)")
    return parser.parse_args(argv)


def _flush(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build_progress() -> AbstractContextManager[Callable[[int, int], None] | None]:
    """The build's bar on a terminal (stderr: the figures go to stdout), with the calls
    generated and the time left; piped, nothing (the build logs its plain lines instead)."""
    if not sys.stderr.isatty():
        return nullcontext(None)
    from dutydesk.cli.progress import terminal_bar

    return terminal_bar("bench: calls generated")


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.measure import (
        archive_year,
        board,
        chain,
        documents,
        export,
        live,
        lookup,
        nav_keys,
        packs,
        roster_screen,
        save,
        search,
        startup,
    )  # fmt: skip
    from bench.verify import verify

    smoke = args.smoke
    base = build.SMOKE if smoke else build.FULL
    size = build.Size(args.calls or base.calls, args.years or base.years)
    cache_dir = args.cache_dir or args.results_dir
    began = time.perf_counter()
    host = report.machine()  # before the work, so its load average is the machine's own
    timestamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    log(f"bench: database for seed {args.seed}, {size.calls:,} calls over {size.years} years")
    with build_progress() as update:
        dataset = build.ensure(cache_dir, args.seed, size, log, args.rebuild, update)
    cached_db = Path(dataset["path"])
    log(f"bench: {'reused' if dataset['cached'] else 'built'} {cached_db}")
    log("bench: verifying the audit chain")
    checked = verify(cached_db, row_sample=None if smoke or args.verify_all else 20_000)
    if args.build_only:
        return {"mode": "build", "dataset": dataset, "verify": checked}

    frozen_at = build.end_time().add(minutes=1).isoformat()
    work = cache_dir / f"work-{timestamp}.sqlite3"
    shutil.copyfile(cached_db, work)
    _flush(work)  # else the first fsync of a save waits for the whole copy to reach the disk
    figures: dict[str, Any] = {}
    try:
        missing = "skipped: --skip-tmux" if args.skip_tmux else startup.tmux_missing()
        if missing:
            figures["first_paint"] = {"measured": False, "reason": missing}
            figures["memory"] = {"measured": False, "reason": missing}
        else:
            log("bench: first paint in tmux (dutydesk and the minimal Textual app)")
            paint = startup.measure(
                work,
                OFFICE_NAME,
                frozen_at,
                args.runs or (1 if smoke else 5),
                warm_up=not smoke,
                settle=0.1 if smoke else startup.SETTLE_S,
                idle_seconds=1 if smoke else board.SECONDS,
                idle_settle=0.1 if smoke else startup.IDLE_SETTLE_S,
            )
            figures["first_paint"] = {"measured": True, **paint}
            figures["memory"] = {
                "measured": True,
                "app_peak_rss_mb": paint["app_peak_rss_mb"],
                "app_rss_mb": paint["app_rss_mb"],
                "minimal_peak_rss_mb": paint["minimal_peak_rss_mb"],
                "method": "VmHWM of the app process once its call list has painted",
            }
        log("bench: dutydesk's verifier on the copy")
        figures["verify"] = chain.measure(work)
        log("bench: search")
        figures["search"] = search.measure(
            work, frozen_at, args.search_repeats or (2 if smoke else 20)
        )
        log("bench: search of documents, the phone list and across (writes a phone list)")
        figures["lookup"] = lookup.measure(
            work, frozen_at, args.search_repeats or (2 if smoke else 20)
        )
        log("bench: saves")
        figures["save"] = save.measure(work, frozen_at, args.saves or (100 if smoke else 2000), 1)
        log("bench: countdown board")
        figures["board"] = board.measure(work, frozen_at, 2 if smoke else board.SECONDS)
        idle = figures.get("first_paint", {}).get("idle")
        if idle:
            figures["board"]["calls_screen_idle"] = {
                **idle,
                "what": "not the board: the calls screen idling (clock frozen), as a reference",
            }
        log("bench: the documents screen's reads")
        figures["documents"] = documents.measure(work, frozen_at, 3 if smoke else 50)
        log("bench: navigation keys to log a typical call")
        figures["nav_keys"] = nav_keys.measure(work, frozen_at)
        if args.skip_tmux:
            figures["live"] = {"measured": False, "reason": "skipped: --skip-tmux"}
        else:
            log("bench: the live board and keystrokes while another process writes")
            figures["live"] = live.measure(work, 2 if smoke else 10, 10 if smoke else 200)
        log("bench: export")
        figures["export"] = export.measure(work, cache_dir, frozen_at)
        log("bench: handover packs (writes into the copy: last)")
        figures["packs"] = packs.measure(
            work,
            cache_dir,
            frozen_at,
            calls_per_shift=2 if smoke else packs.CALLS_PER_SHIFT,
            shifts=1 if smoke else packs.WEEK_OF_SHIFTS,
        )
        log("bench: a simulated year of handover packs (writes into the copy)")
        figures["archive_year"] = archive_year.simulate(
            work,
            cache_dir,
            frozen_at,
            days=1 if smoke else (args.archive_days or archive_year.YEAR_DAYS),
            calls_per_shift=2 if smoke else packs.CALLS_PER_SHIFT,
        )
        log("bench: the roster screen's service calls with ten years of rosters (writes: last)")
        figures["roster_screen"] = roster_screen.measure_in_place(
            work, 1 if smoke else 10, 3 if smoke else 20
        )
    finally:
        for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm"), Path(f"{work}.key")):
            leftover.unlink(missing_ok=True)
        for draft in work.parent.glob(f"{work.name}.*.draft.json"):
            draft.unlink()
        for lock in work.parent.glob(f"{work.name}*.lock"):  # the apps' draft locks (its copies')
            lock.unlink(missing_ok=True)
    result = {
        "mode": "smoke" if smoke else "full",
        "timestamp": timestamp,
        "command": "python -m bench" + (" --smoke" if smoke else ""),
        "machine": host,
        "dataset": dataset,
        "verify": checked,
        "figures": figures,
        "seconds": round(time.perf_counter() - began, 1),
    }
    result["targets"] = report.judge(figures)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    result = run(args)
    if result["mode"] == "build":
        log(f"bench: built and verified ({result['verify']['links']:,} audit links)")
        return 0
    print(report.table(result))
    path = report.write(result, args.results_dir)
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
