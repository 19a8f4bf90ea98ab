"""The timing loop of the search measures (bench.measure.search, bench.measure.lookup): each term
of a list of (term, class) asked in turn, `repeats` rounds, in wall time and in the CPU time of
this thread beside it (on a loaded machine the wall time's tail is mostly waiting for a core);
the figures by term class; and the command line both measures share."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sized
from pathlib import Path
from typing import Any

from bench.measure.stats import summary

Terms = list[tuple[str, str]]
Times = dict[str, list[float]]


def time_terms(
    run: Callable[[str], Sized], terms: Terms, repeats: int
) -> tuple[Times, Times, dict[str, int]]:
    """Wall and thread CPU seconds of `run(term)` per term, and its hits (the result's length)."""
    wall: Times = {term: [] for term, _ in terms}
    cpu: Times = {term: [] for term, _ in terms}
    hits: dict[str, int] = {}
    for _ in range(repeats):
        for term, _kind in terms:
            began, began_cpu = time.perf_counter(), time.thread_time()
            hits[term] = len(run(term))
            cpu[term].append(time.thread_time() - began_cpu)
            wall[term].append(time.perf_counter() - began)
    return wall, cpu, hits


def by_class(terms: Terms, times: Times) -> dict[str, dict[str, float]]:
    """The summary of every time of each term class, in the order the classes first appear."""
    kinds = dict.fromkeys(kind for _, kind in terms)
    return {kind: summary([t for term, k in terms if k == kind for t in times[term]])
            for kind in kinds}  # fmt: skip


def main(prog: str, db_help: str, measure: Callable[[Path, str, int], dict[str, Any]],
         argv: list[str]) -> None:  # fmt: skip
    """`python -m PROG DB [--repeats N] [--frozen-at ISO]`: the figures as JSON on stdout, with
    the wall and CPU seconds of the whole run and the load average before and after it."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("db", type=Path, help=db_help)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--frozen-at", default=None)
    args = parser.parse_args(argv)
    from bench.gen import build

    frozen_at = args.frozen_at or build.end_time().add(minutes=1).isoformat()
    load = os.getloadavg()
    began, cpu = time.perf_counter(), time.process_time()
    result = measure(args.db, frozen_at, args.repeats)
    result["wall_seconds"] = round(time.perf_counter() - began, 2)
    result["process_cpu_seconds"] = round(time.process_time() - cpu, 2)
    result["load_average"] = [round(value, 2) for value in (*load, *os.getloadavg())]
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
