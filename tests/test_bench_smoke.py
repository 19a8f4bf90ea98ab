"""The benchmark's smoke mode runs end to end, so the script cannot rot. Figures are checked for
presence and sanity only: speed is judged by `python -m bench`, never by timed assertions."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    # Without tmux the bench itself skips first paint and memory, and says why.
    args = [sys.executable, "-m", "bench", "--smoke", "--results-dir", str(out)]
    completed = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    files = list(out.glob("smoke-*.json"))
    assert len(files) == 1
    result = json.loads(files[0].read_text(encoding="utf-8"))
    result["_stdout"] = completed.stdout
    result["_out"] = out
    return result


def test_machine_and_dataset_are_described(smoke: dict) -> None:
    machine = smoke["machine"]
    assert machine["cores"] >= 1 and machine["memory_mb"] > 0
    assert machine["python"].count(".") == 2 and machine["sqlite"].startswith("3.")
    dataset = smoke["dataset"]
    assert dataset["rows"]["call_record"] >= 3000
    assert dataset["rows"]["shift"] > 700 and dataset["rows"]["person"] > 10
    assert dataset["rows"]["pending_item"] > 0 and dataset["units"] == 40
    assert 40 <= dataset["avg_summary_and_handling_chars"] <= 140
    for kind in ("incidents", "spot_checks"):
        assert kind in dataset["not_generated"]  # said plainly, generated or not


def test_the_generated_chain_is_what_the_services_write(smoke: dict) -> None:
    """Every link's hash is dutydesk's own hash of the canonical form of the stored row."""
    from dutydesk.services.audit import canonical, link_hash

    assert smoke["verify"]["ok"] and smoke["verify"]["rows_checked"] == smoke["verify"]["links"]
    db = Path(smoke["dataset"]["path"])
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        seq, kind, record_id, prev_hash, digest = conn.execute(
            "SELECT seq, kind, record_id, prev_hash, hash FROM audit_link "
            "WHERE kind = 'call_record' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        cursor = conn.execute("SELECT * FROM call_record WHERE id = ?", (record_id,))
        row = dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))
    finally:
        conn.close()
    assert link_hash(seq, kind, record_id, canonical(row), prev_hash) == digest
    assert row["number"].startswith(row["recorded_at"][:2])


def test_every_figure_is_reported(smoke: dict) -> None:
    figures = smoke["figures"]
    paint = figures["first_paint"]
    if paint["measured"]:
        assert paint["minimal_header_ms"] > 0 and paint["app_header_ms"] > 0
        assert paint["app_header_ms"] <= paint["app_office_ms"] <= paint["app_loaded_ms"]
        assert paint["ratio"] > 0
        assert 10 < figures["memory"]["app_peak_rss_mb"] < 4096
        assert figures["board"]["calls_screen_idle"]["cpu_percent"] >= 0
    else:
        assert shutil.which("tmux") is None
        assert "tmux is not installed" in paint["reason"] and figures["memory"]["reason"]
    save = figures["save"]
    assert save["saves"] == 100 and 0 < save["p50_ms"] <= save["p99_ms"] <= save["max_ms"]
    assert save["synchronous"] == "FULL" and save["journal_mode"] == "wal"
    search = figures["search"]
    assert search["term_count"] >= 20
    classes = set(search["by_class"])
    assert {"1 char", "2 chars", "3 chars", "4 chars", "phone", "unit", "absent"} <= classes
    hits = {term["term"]: term["hits"] for term in search["terms"]}
    assert hits["积水"] > 0 and hits["水"] > 0 and hits["柳林镇"] > 0  # short terms do find
    assert hits["飞碟"] == 0 and hits["外星人"] == 0
    if figures["verify"]["measured"]:  # dutydesk's own verifier accepts the generated register
        assert figures["verify"]["ok"] and figures["verify"]["links"] == smoke["verify"]["links"]
    board = figures["board"]
    assert board.get("cpu_percent", 0) >= 0 or board["reason"]
    export = figures["export"]
    assert export["seconds"] > 0 and export["bytes"] > 100_000 and len(export["sha256"]) == 64
    assert set(smoke["targets"]) >= {"first_paint_ms", "save_p99_ms", "export_s", "peak_rss_mb"}


def test_the_table_is_printed_and_the_work_copy_removed(smoke: dict) -> None:
    assert "save p99" in smoke["_stdout"] and "JSON:" in smoke["_stdout"]
    assert not list(smoke["_out"].glob("work-*"))
