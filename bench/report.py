"""The machine, the targets (issue 8, and issue 19's ratios to a floor measured in the same
run), the printed table and the JSON file."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
from pathlib import Path
from typing import Any

from bench.measure import lookup

# (key, label, target) for each figure the issue sets a target for.
TARGETS: list[tuple[str, str, str]] = [
    ("first_paint_ms", "first screen (header), ms", "< 500"),
    ("first_paint_ratio", "first screen / minimal app", "<= 1.5"),
    ("usable_ratio", "usable at start / minimal app's paint", "<= 2"),
    ("save_p99_ms", "save p99, ms", "< 10"),
    ("save_p99_ratio", "save p99 / raw sqlite3 commit p99", "<= 3"),
    ("save_max_ms", "save max, ms", "< 20"),
    ("search_p99_ms_worst_class", "search p99, worst term class, ms", "< 5"),
    ("search_p50_ms_worst_class", "search p50, worst term class, ms", "< 1"),
    ("board_cpu_percent", "countdown board CPU, % of a core", "< 2"),
    ("idle_cpu_percent", "calls screen idling CPU, % of a core", "< 0.5"),
    ("live_board_s", "outside change on the board (max), s", "< 1"),
    ("keystroke_p99_ms", "keystroke p99 while another writes, ms", "< 50"),
    ("export_s", "export, s", "< 3"),
    ("verify_s", "verify of the register (no integrity check), s", "< 15"),
    ("peak_rss_mb", "peak RSS of the app, MB", "< 150"),
    ("nav_keys", "navigation keys to log a typical call", "<= 8"),
    *lookup.TARGETS,
    (
        "roster_services_cpu_ms",
        "roster screen's service calls, 10 years of rosters, CPU ms",
        "< 200",
    ),
]


def machine() -> dict[str, Any]:
    import textual

    meminfo = Path("/proc/meminfo")
    memory_mb = None
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_mb = round(int(line.split()[1]) / 1024)
    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "memory_mb": memory_mb,
        "cpu": cpu,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "textual": textual.__version__,
        "load_average": [round(x, 2) for x in os.getloadavg()],  # other work skews the figures
    }


def _check(value: float | None, target: str) -> bool | None:
    if value is None:
        return None
    op, limit = target.split()
    return value < float(limit) if op == "<" else value <= float(limit)


def _nav_keys(figure: dict[str, Any]) -> float | None:
    """The keys counted, or None when the call was not saved as typed (no valid figure)."""
    if not figure.get("saved_as_typed"):
        return None
    return figure.get("navigation_keys")


def judge(figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    paint = figures.get("first_paint", {})
    search = figures.get("search", {})
    classes = search.get("by_class", {})
    worst = max((v["p99_ms"] for v in classes.values()), default=None)  # every class (issue 19)
    worst_p50 = max((v["p50_ms"] for v in classes.values()), default=None)
    save = figures.get("save", {})
    values = {
        "first_paint_ms": paint.get("app_header_ms"),
        "first_paint_ratio": paint.get("ratio"),
        "usable_ratio": paint.get("usable_ratio"),
        "save_p99_ms": save.get("p99_ms"),
        "save_p99_ratio": save.get("p99_ratio"),
        "save_max_ms": save.get("max_ms"),
        "search_p99_ms_worst_class": worst,
        "search_p50_ms_worst_class": worst_p50,
        "board_cpu_percent": figures.get("board", {}).get("cpu_percent"),
        "idle_cpu_percent": figures.get("board", {})
        .get("calls_screen_idle", {})
        .get("cpu_percent"),
        "live_board_s": figures.get("live", {}).get("outside_change", {}).get("max_s"),
        "keystroke_p99_ms": figures.get("live", {}).get("keystrokes", {}).get("p99_ms"),
        "export_s": figures.get("export", {}).get("seconds"),
        "peak_rss_mb": figures.get("memory", {}).get("app_peak_rss_mb"),
        "nav_keys": _nav_keys(figures.get("nav_keys", {})),
        **lookup.judged(figures),
        "roster_services_cpu_ms": figures.get("roster_screen", {}).get("services_cpu_ms_median"),
    }
    values["verify_s"] = figures.get("verify", {}).get("seconds")
    floors = _floors(figures)
    return {
        key: {
            "label": label,
            "target": target,
            "value": values[key],
            "met": _check(values[key], target),
            "floor": floors.get(key),
            "ratio": _ratio(key, values[key], floors.get(key)),
        }
        for key, label, target in TARGETS
    }


def _worst(classes: dict[str, Any], stat: str, floor: str) -> float | None:
    """The floor of the class with the worst `stat` (the index alone, for that class)."""
    if not classes:
        return None
    worst = max(classes.values(), key=lambda c: c[stat])
    return worst.get(floor)


def _floors(figures: dict[str, Any]) -> dict[str, float | None]:
    """Each target's floor measured in the same run: the minimal Textual app's first paint, a
    raw sqlite3 commit of the same row, the index alone without building the lines."""
    paint = figures.get("first_paint", {}).get("minimal_header_ms")
    save = figures.get("save", {}).get("floor", {})
    classes = figures.get("search", {}).get("by_class", {})
    return {
        "first_paint_ms": paint,
        "first_paint_ratio": paint,
        "usable_ratio": paint,
        "save_p99_ms": save.get("p99_ms"),
        "save_p99_ratio": save.get("p99_ms"),
        "save_max_ms": save.get("max_ms"),
        "search_p99_ms_worst_class": _worst(classes, "p99_ms", "index_p99_ms"),
        "search_p50_ms_worst_class": _worst(classes, "p50_ms", "index_p50_ms"),
        **lookup.floors(figures),
    }


def _ratio(key: str, value: float | None, floor: float | None) -> float | None:
    """The figure over its floor (a target that is a ratio already: that ratio)."""
    if key.endswith("_ratio"):
        return value
    if value is None or not floor:
        return None
    return round(value / floor, 2)


def table(result: dict[str, Any]) -> str:
    figures = result["figures"]
    lines = [f"DutyDesk benchmark ({result['mode']}) — {result['timestamp']}"]
    m = result["machine"]
    lines.append(
        f"machine: {m['cores']} cores, {m['memory_mb']} MB, {m['cpu']}; Python {m['python']}, "
        f"SQLite {m['sqlite']}, Textual {m['textual']}; load average at start "
        f"{m['load_average'][0]}"
    )
    d = result["dataset"]
    rows = ", ".join(f"{k} {v:,}" for k, v in d["rows"].items())
    lines.append(f"dataset: {d['size']['years']} years, {rows}; {d['db_bytes'] / 1e6:,.0f} MB")
    missing = [kind for kind, reason in d.get("not_generated", {}).items() if reason]
    if missing:
        lines.append(f"  tables no generator fills: {', '.join(missing)}")
    lines.append("")
    width = max(len(row["label"]) for row in result["targets"].values())
    lines.append(f"{'figure':<{width}} {'value':>10} {'floor':>10} {'ratio':>7} {'target':>9}  met")
    for row in result["targets"].values():
        value, floor, ratio = (
            "—" if row.get(name) is None else f"{row[name]:,.2f}"
            for name in ("value", "floor", "ratio")
        )
        met = {True: "yes", False: "NO", None: "n/a"}[row["met"]]
        lines.append(
            f"{row['label']:<{width}} {value:>10} {floor:>10} {ratio:>7} {row['target']:>9}  {met}"
        )
    lines.append("(floor: the same work's floor measured in this run; ratio: value / floor)")
    paint = figures.get("first_paint", {})
    if paint.get("app_header_ms") is not None:
        lines.append("")
        lines.append(
            f"first paint: app header {paint['app_header_ms']} ms, office name "
            f"{paint['app_office_ms']} ms, call list {paint['app_loaded_ms']} ms, usable (the "
            f"form took keys) {paint.get('app_usable_ms')} ms; minimal app "
            f"{paint['minimal_header_ms']} ms (median of {paint['runs']}); usable / minimal "
            f"{paint.get('usable_ratio')}"
        )
    elif paint.get("reason"):
        lines.append(f"first paint: {paint['reason']}")
    save = figures.get("save", {})
    if save:
        lines.append(
            f"save: p50 {save['p50_ms']} ms, p99 {save['p99_ms']} ms, max {save['max_ms']} ms "
            f"over {save['saves']} saves (journal {save['journal_mode']}, "
            f"synchronous {save['synchronous']})"
        )
        if "floor" in save:
            floor = save["floor"]
            lines.append(
                f"  floor, a raw sqlite3 commit of the same row: p50 {floor['p50_ms']} ms, p99 "
                f"{floor['p99_ms']} ms, max {floor['max_ms']} ms; save p99 / floor p99 "
                f"{save['p99_ratio']}"
            )
    search = figures.get("search", {})
    if search:
        lines.append(f"search by class ({search['repeats']} runs of each term):")
        for kind, stats in search["by_class"].items():
            lines.append(
                f"  {kind:<10} p50 {stats['p50_ms']:>8} ms   p99 {stats['p99_ms']:>8} ms   "
                f"cpu p50 {stats.get('cpu_p50_ms')}, p99 {stats.get('cpu_p99_ms')}   "
                f"(index alone p50 {stats.get('index_p50_ms')} ms, p99 {stats.get('index_p99_ms')} ms)"
            )
        slowest = sorted(search["terms"], key=lambda t: -t["p99_ms"])[:5]
        lines.append(
            "  slowest terms: "
            + ", ".join(f"{t['term']} {t['p99_ms']} ms ({t['hits']} hits)" for t in slowest)
        )
    lines += lookup.report_lines(figures)
    checked = figures.get("verify", {})
    if checked.get("measured"):
        lines.append(
            f"dutydesk verifier: {'accepts' if checked['ok'] else 'REJECTS'} the register "
            f"({checked['links']:,} links) in {checked['seconds']} s (CPU "
            f"{checked.get('cpu_seconds')} s here + {checked.get('range_processes_cpu_seconds')} "
            "s in its range processes)"
        )
    board = figures.get("board", {})
    if board.get("reason"):
        lines.append(f"board: {board['reason']}")
    elif board.get("measured"):
        lines.append(
            f"board: {board['cpu_percent_of_one_core']} % of a core over {board['seconds']} s "
            f"showing {board['deadlines']} open deadlines ({board['statuses']}), clock ticking"
        )
    if board.get("calls_screen_idle"):
        idle = board["calls_screen_idle"]
        lines.append(
            f"  reference: the calls screen idling uses {idle['cpu_percent']} % of a core "
            f"over {idle['seconds']} s"
        )
    lines.extend(_live_lines(figures.get("live", {})))
    export = figures.get("export", {})
    if export:
        detail = (
            f" ({export['snapshot_seconds']} s snapshot + {export['hash_seconds']} s SHA-256)"
            if "snapshot_seconds" in export
            else ""
        )
        lines.append(
            f"export: {export['seconds']} s{detail}, {export['bytes'] / 1e6:,.0f} MB — "
            f"{export['method']}"
        )
        if export.get("service_error"):
            lines.append(f"  ({export['service_error']})")
    memory = figures.get("memory", {})
    if memory.get("app_peak_rss_mb") is not None:
        lines.append(
            f"memory: app peak RSS {memory['app_peak_rss_mb']} MB (minimal app "
            f"{memory['minimal_peak_rss_mb']} MB)"
        )
    elif memory.get("reason"):
        lines.append(f"memory: {memory['reason']}")
    return "\n".join(lines)


def _live_lines(live: dict[str, Any]) -> list[str]:
    if live.get("reason"):
        return [f"live: {live['reason']}"]
    lines = []
    change, keys = live.get("outside_change", {}), live.get("keystrokes", {})
    if change.get("measured"):
        lines.append(
            f"live board: another process's deadline on the board in {change['p50_ms']} ms "
            f"(median), {change['max_ms']} ms at most, over {change['writes']} writes; header "
            f"and board disagreed on {change['header_disagreed']} of them"
        )
    elif change.get("reason"):
        lines.append(f"live board: {change['reason']}")
    if keys.get("measured"):
        quiet = keys["without_writer"]
        lines.append(
            f"keystrokes ({keys['keys']}, tmux round trip included): p50 {keys['p50_ms']} ms, "
            f"p99 {keys['p99_ms']} ms while {keys['writer']}; without it p50 "
            f"{quiet['p50_ms']} ms, p99 {quiet['p99_ms']} ms"
        )
    elif keys.get("reason"):
        lines.append(f"keystrokes: {keys['reason']}")
    return lines


def write(result: dict[str, Any], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    prefix = "smoke-" if result["mode"] == "smoke" else ""
    path = results_dir / f"{prefix}{result['timestamp']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
