"""Issue 19, item 5: `python -m bench` prints every figure with its floor (measured in the same
run) and the ratio to it, the verify of the register among them (target < 15 s)."""

from __future__ import annotations

from bench import report


def _figures() -> dict:
    classes = {"1 char": {"p50_ms": 0.8, "p99_ms": 4.0, "index_p50_ms": 0.2, "index_p99_ms": 1.0},
               "phone": {"p50_ms": 1.5, "p99_ms": 3.0, "index_p50_ms": 0.5, "index_p99_ms": 2.0}}  # fmt: skip
    documents = {"by_class": {"number": {"p50_ms": 1.2, "p99_ms": 2.0},
                              "unit": {"p50_ms": 0.5, "p99_ms": 4.4}}}  # fmt: skip
    index = {"by_class": {"number": {"p50_ms": 0.6, "p99_ms": 0.9},
                          "unit": {"p50_ms": 0.2, "p99_ms": 1.1}}}  # fmt: skip
    return {
        "first_paint": {
            "app_header_ms": 300,
            "minimal_header_ms": 250,
            "ratio": 1.2,
            "usable_ratio": 2.4,
        },  # fmt: skip
        "save": {
            "p99_ms": 6.0,
            "max_ms": 15.0,
            "p99_ratio": 4.0,
            "floor": {"p50_ms": 0.5, "p99_ms": 1.5, "max_ms": 3.0},
        },  # fmt: skip
        "search": {"by_class": classes},
        "lookup": {"documents": documents, "documents_index": index},
        "verify": {
            "measured": True,
            "ok": True,
            "links": 3_095_390,
            "seconds": 18.5,
            "cpu_seconds": 8.6,
            "range_processes_cpu_seconds": 51.0,
        },  # fmt: skip
    }


def test_each_figure_has_its_floor_and_ratio() -> None:
    judged = report.judge(_figures())
    assert (judged["first_paint_ms"]["floor"], judged["first_paint_ms"]["ratio"]) == (250, 1.2)
    assert (judged["usable_ratio"]["floor"], judged["usable_ratio"]["ratio"]) == (250, 2.4)
    assert (judged["save_p99_ms"]["floor"], judged["save_p99_ms"]["ratio"]) == (1.5, 4.0)
    assert (judged["save_max_ms"]["floor"], judged["save_max_ms"]["ratio"]) == (3.0, 5.0)
    # the worst class's own floor: p99 is worst for "1 char", p50 for "phone"
    assert judged["search_p99_ms_worst_class"]["floor"] == 1.0
    assert judged["search_p50_ms_worst_class"]["floor"] == 0.5
    assert judged["register_search_p99_ms_worst_class"]["floor"] == 1.1  # unit
    assert judged["register_search_p50_ms_worst_class"]["ratio"] == 2.0  # number: 1.2 / 0.6
    assert judged["board_cpu_percent"]["floor"] is None  # not measured: no floor, no ratio


def test_verify_is_judged_against_fifteen_seconds() -> None:
    judged = report.judge(_figures())["verify_s"]
    assert (judged["value"], judged["target"], judged["met"]) == (18.5, "< 15", False)


def test_the_table_prints_floor_and_ratio_columns() -> None:
    figures = _figures()
    figures["first_paint"].update(app_office_ms=320, app_loaded_ms=330, app_usable_ms=600, runs=5)
    figures["save"].update(p50_ms=2.0, saves=2000, journal_mode="wal", synchronous=2)
    del figures["search"], figures["lookup"]  # their own lines need a whole run's figures
    result = {
        "mode": "full", "timestamp": "T", "figures": figures, "targets": report.judge(figures),
        "machine": {"cores": 2, "memory_mb": 1, "cpu": "x", "python": "3", "sqlite": "3",
                    "textual": "8", "load_average": [1.0]},
        "dataset": {"size": {"years": 10}, "rows": {"call_record": 1}, "db_bytes": 1e9},
    }  # fmt: skip
    lines = report.table(result).splitlines()
    assert any(line.split()[-5:] == ["value", "floor", "ratio", "target", "met"] for line in lines)
    save = next(line for line in lines if line.startswith("save p99, ms"))
    assert save.split()[-6:] == ["6.00", "1.50", "4.00", "<", "10", "yes"]
    usable = next(line for line in lines if line.startswith("usable at start"))
    assert usable.split()[-6:] == ["2.40", "250.00", "2.40", "<=", "2", "NO"]
    verify = next(line for line in lines if line.startswith("verify of the register"))
    assert verify.split()[-6:] == ["18.50", "—", "—", "<", "15", "NO"]
    assert "3,095,390 links) in 18.5 s (CPU 8.6 s here + 51.0 s in its range processes)" in (
        "\n".join(lines)
    )
