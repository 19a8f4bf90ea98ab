"""Issue 19, saves with the journal's checkpoints off the save path (session 10): the app opens
the register so that a commit does not checkpoint (upkeep does, in a worker), but the journal
must not grow without bound if upkeep cannot keep up, and a writer killed with SIGKILL at any
moment, inside upkeep's checkpoints too, loses nothing it said it saved."""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bench import crash_harness
from dutydesk import db
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.core.desk import open_desk

BACKSTOP = 40  # pages, for the test (the app's is db.WAL_BACKSTOP_PAGES)


def _draft(index: int) -> CallDraft:
    return CallDraft(caller="李红", unit="城关镇", phone="022-66000000",
                     summary=f"人民路第{index}处积水，已设警示，请排水公司到场处置")  # fmt: skip


def test_the_journal_stays_bounded_when_upkeep_never_runs(desk, officer, monkeypatch):
    monkeypatch.setattr(db, "WAL_BACKSTOP_PAGES", BACKSTOP)
    opened = open_desk(desk.path, desk.clock, upkeep_off_path=True)
    wal = Path(f"{desk.path}-wal")
    try:
        with opened.engine.connect() as connection:
            page = connection.exec_driver_sql("PRAGMA page_size").scalar()
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP
        grown = []
        for index in range(150):  # several times the backstop's pages, no upkeep
            save_call(opened, _draft(index), officer)
            grown.append(wal.stat().st_size)
        most = max(grown)
        per_save = grown[0]  # the first save into an empty journal
    finally:
        opened.close()
    assert grown[-1] > 0  # journalled, not checkpointed in place
    frame = page + 24  # each page written carries a 24-byte frame header
    assert most <= BACKSTOP * frame + 2 * per_save  # the backstop, and the save that reached it
    with closing(sqlite3.connect(desk.path)) as conn:
        assert conn.execute("SELECT count(*) FROM call_record").fetchone()[0] == 150


def test_a_journal_grown_by_a_burst_is_cut_back_once_checkpointed(desk, officer, monkeypatch):
    """A burst of saves grows the journal's file; once upkeep has copied it back, the next commit
    starts it over and cuts the file back to WAL_KEEP_BYTES, instead of keeping the burst's size
    for as long as the app runs."""
    from dutydesk.services.core.upkeep import UpkeepState, run_upkeep

    keep = 64 * 1024
    monkeypatch.setattr(db, "WAL_KEEP_BYTES", keep)
    opened = open_desk(desk.path, desk.clock, upkeep_off_path=True)
    wal = Path(f"{desk.path}-wal")
    try:
        for index in range(40):
            save_call(opened, _draft(index), officer)
        burst = wal.stat().st_size
        assert burst > 20 * keep
        assert run_upkeep(opened, UpkeepState()).checkpointed > 0
        save_call(opened, _draft(40), officer)
        # cut back to the limit, or to the one commit written since if that is longer
        assert wal.stat().st_size <= max(keep, burst // 20)
    finally:
        opened.close()


@pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="forks, SIGKILL")
def test_writers_opened_as_the_app_killed_at_random_moments_lose_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(crash_harness, "AS_THE_APP", True)
    monkeypatch.setattr(db, "WAL_BACKSTOP_PAGES", BACKSTOP)  # kills inside the backstop too
    totals = crash_harness.run_kills(tmp_path / "crash.sqlite3", 30, seed=2)
    assert totals.mode == "kill (fork) as the app"
    assert totals.failures == [] and totals.writer_errors == 0
    assert totals.runs == 30 and totals.integrity_ok == 30 and totals.verify_ok == 30
    assert totals.acknowledged > 0
    assert totals.rows == totals.acknowledged + totals.unacknowledged
