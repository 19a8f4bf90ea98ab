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
    completed = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=900)
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
    rows = dataset["rows"]
    registers = (
        "incident", "deadline", "deadline_closure", "report_step", "unit_report",
        "spotcheck_unit", "spotcheck_round", "spotcheck_outcome", "spotcheck_closure",
        "handover", "handover_mark", "handover_signature", "shift_closure", "person_pin",
        "pin_attempt",
    )  # fmt: skip
    for table in registers:
        assert rows[table] > 0, table
        assert table not in dataset["not_generated"]  # only tables nobody fills are listed
    assert rows["spotcheck_unit"] == 40 and rows["person_pin"] == rows["person"]
    # Two rounds a shift; a handover for every shift but the one still open.
    assert rows["spotcheck_round"] >= 2 * rows["shift"] - 2
    assert rows["handover"] == rows["shift_closure"] == rows["shift"] - 1
    assert 2 * rows["handover"] <= rows["handover_signature"] <= 3 * rows["handover"]
    assert rows["deadline"] >= 2 * rows["incident"] and rows["report_step"] > rows["incident"]
    assert dataset["open_deadlines"] <= 10 and dataset["late_deadlines"] > 0


def test_the_generated_chain_is_what_the_services_write(smoke: dict) -> None:
    """Every link's hash is dutydesk's own hash of the canonical form of the stored row."""
    from dutydesk.services.core.audit import canonical, link_hash

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
    assert link_hash(seq, kind, record_id, canonical(row, kind), prev_hash) == digest
    assert row["number"].startswith(row["recorded_at"][:2])


def test_every_figure_is_reported(smoke: dict) -> None:
    figures = smoke["figures"]
    paint = figures["first_paint"]
    if paint["measured"]:
        assert paint["minimal_header_ms"] > 0 and paint["app_header_ms"] > 0
        assert paint["app_header_ms"] <= paint["app_office_ms"] <= paint["app_loaded_ms"]
        assert paint["app_loaded_ms"] <= paint["app_usable_ms"] and paint["usable_ratio"] > 0
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
    if shutil.which("tmux"):  # the board ran with 500 deadlines open and the clock ticking
        assert board["measured"], board.get("reason")
        assert board["deadlines"] >= 500 and board["rows_on_screen"] > 10
        assert set(board["statuses"]) == {"ok", "warning", "overdue"}
        assert 0 <= board["cpu_percent_of_one_core"] == board["cpu_percent"] < 400
        assert board["seconds"] >= 2
    else:
        assert "tmux is not installed" in board["reason"]
    live = figures["live"]
    if shutil.which("tmux"):  # another process wrote deadlines, then calls while keys were sent
        change, keys = live["outside_change"], live["keystrokes"]
        assert change["measured"], change.get("reason")
        assert change["writes"] == 2 and len(change["delays_s"]) == 2
        assert change["header_disagreed"] == 0 and change["max_s"] > 0
        assert keys["measured"], keys.get("reason")
        assert 0 < keys["p50_ms"] <= keys["p99_ms"] and keys["without_writer"]["p99_ms"] > 0
    else:
        assert "tmux is not installed" in live["reason"]
    export = figures["export"]
    assert export["seconds"] > 0 and export["bytes"] > 100_000 and len(export["sha256"]) == 64
    assert set(smoke["targets"]) >= {"first_paint_ms", "save_p99_ms", "export_s", "peak_rss_mb",
                                     "live_board_s", "keystroke_p99_ms"}  # fmt: skip


def test_generated_registers_read_back_as_the_services_wrote_them(smoke: dict) -> None:
    """A stored draw replays; a handover's checklist is the signed-off JSON, ready, with a
    carry-over row for each open item it lists; a 首报 closed its deadlines."""
    from dutydesk.services.spotcheck import sampling

    db = Path(smoke["dataset"]["path"])
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        inputs, seed, drawn = conn.execute(
            "SELECT inputs, seed, drawn FROM spotcheck_round ORDER BY id DESC LIMIT 1"
        ).fetchone()
        handover_id, checklist = conn.execute(
            "SELECT h.id, h.checklist FROM handover h JOIN carry_over c ON c.handover_id = h.id "
            "ORDER BY h.id DESC LIMIT 1"
        ).fetchone()
        carried = conn.execute(
            "SELECT kind || ':' || record_id FROM carry_over WHERE handover_id = ? ORDER BY id",
            (handover_id,),
        ).fetchall()
        sources = conn.execute(
            "SELECT DISTINCT substr(source, 1, 12) FROM deadline_closure"
        ).fetchall()
    finally:
        conn.close()
    assert sampling.replay(inputs, seed, json.loads(drawn))
    form = json.loads(checklist)
    assert form["ready"] and not form["blocking"] and form["absent"] == []
    acked = [i["key"] for i in form["items"] if i["kind"] == "ack"]
    assert [key for (key,) in carried] == acked
    assert all(i["state"] == "acknowledged" and i["by"] == "incoming" for i in form["items"]
               if i["kind"] == "ack")  # fmt: skip
    # 首报 for incidents, replies for verifications, feedback for instructions (GEN_VERSION 4)
    assert {source for (source,) in sources} == {"report_step:", "verification", "instruction_"}
    filled = {"verification", "verification_reply", "instruction", "instruction_feedback",
              "deadline_ack", "incident_regrade", "export_record"}  # fmt: skip
    assert not filled & set(smoke["dataset"]["not_generated"])
    assert all(smoke["dataset"]["rows"][table] > 0 for table in filled)


def test_the_table_is_printed_and_the_work_copy_removed(smoke: dict) -> None:
    assert "save p99" in smoke["_stdout"] and "JSON:" in smoke["_stdout"]
    assert not list(smoke["_out"].glob("work-*"))


def test_the_simulated_handovers_write_two_packs_a_day_and_count_the_fulls(smoke: dict) -> None:
    year = smoke["figures"]["archive_year"]
    assert year["days_simulated"] == 1 and year["packs"]["count"] == 2
    assert year["packs"]["bytes_total"] >= year["packs"]["bytes_first"] > 0
    counted = year["year"]
    assert counted["fulls_counted"] == -(-365 // counted["full_every_days"])
    assert (
        counted["bytes"]
        == counted["packs_bytes"] + counted["fulls_counted"] * year["full_snapshot_bytes"]
    )
    assert counted["packs_bytes"] == year["packs"]["bytes_total"] * 365


def test_the_roster_screens_service_calls_are_measured(smoke: dict) -> None:
    roster = smoke["figures"]["roster_screen"]
    assert roster["months"] == 12 and roster["years_of_rosters"] == 1  # a year in smoke mode
    assert 0 < roster["services_cpu_ms_median"] <= roster["services_cpu_ms_max"]
    assert roster["load_average_1m"] >= 0
    target = smoke["targets"]["roster_services_cpu_ms"]
    assert target["value"] == roster["services_cpu_ms_median"] and target["target"] == "< 200"


def test_the_register_verifies_against_the_archives_the_bench_wrote(smoke: dict) -> None:
    # the measures before the packs write archives into the same copy: none may be taken for
    # another (an archive named as the export measure's, in the same second, was: "ok": false)
    checked = smoke["figures"]["packs"]["verify_db_against_all_archives"]
    assert checked["ok"] is True, checked.get("found")
