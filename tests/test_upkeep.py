"""Upkeep off the save path: FTS5 merging off inside commits, merged and checkpointed by
dutydesk.services.core.upkeep, which the app runs in a worker."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from dutydesk.app import make_app
from dutydesk.services.calls.calls import CallDraft, list_calls, save_call
from dutydesk.services.core.desk import open_desk
from dutydesk.services.core.search_catch_up import catch_up
from dutydesk.services.core.upkeep import SEARCH_INDEXES, UpkeepState, run_upkeep


def _draft(summary: str) -> CallDraft:
    return CallDraft(caller="李红", unit="城关镇", phone="022-66000000", summary=summary)


def test_the_search_indexes_do_not_merge_inside_a_commit(desk):
    with closing(sqlite3.connect(desk.path)) as conn:
        for index in SEARCH_INDEXES:
            query = f"SELECT v FROM {index}_config WHERE k = 'automerge'"
            (value,) = conn.execute(query).fetchone()
            assert value == 0, index


def test_upkeep_runs_only_after_a_write_and_keeps_every_call_findable(desk, officer):
    state = UpkeepState()
    assert run_upkeep(desk, state).ran  # the first run: nothing seen yet
    assert not run_upkeep(desk, state).ran  # nothing written since
    numbers = [
        save_call(desk, _draft(f"人民路积水第{i}处，已设警示"), officer).number for i in range(12)
    ]
    result = run_upkeep(desk, state)
    assert result.ran and state.runs == 2
    assert result.checkpointed == result.wal_pages  # nobody else reading: all copied back
    found = {view.number for view in list_calls(desk, search="积水", limit=50)}
    assert set(numbers) <= found
    found3 = {view.number for view in list_calls(desk, search="人民路积水", limit=50)}
    assert set(numbers) <= found3
    with closing(sqlite3.connect(desk.path)) as conn:
        for index in SEARCH_INDEXES:
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")


def test_the_app_opens_the_register_without_checkpoints_in_commits(desk):
    """Only the backstop (tests/test_wal_bound.py), far beyond what upkeep lets build up."""
    from dutydesk.db import WAL_BACKSTOP_PAGES

    opened = open_desk(desk.path, desk.clock, upkeep_off_path=True)
    try:
        with opened.engine.connect() as connection:
            autocheckpoint = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
            assert autocheckpoint == WAL_BACKSTOP_PAGES >= 10 * 1000
    finally:
        opened.close()
    with desk.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000


async def test_the_app_runs_upkeep_in_a_worker_after_a_save(desk, officer, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.desk is not None
        save_call(app.desk, _draft("变电站停电，已通知抢修"), officer)
        # the app's own timer may start an upkeep meanwhile, which this exclusive one cancels
        await app._start_upkeep().wait()
        assert app.upkeep_state.runs >= 1
        assert app.upkeep_state.last_seq is not None


@pytest.mark.real_costs
async def test_the_app_freezes_its_start_up_heap_once_open_and_releases_it_on_exit(desk, clock):
    import gc

    assert gc.get_freeze_count() == 0
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


async def test_upkeep_waits_for_a_commit_when_idle(desk, officer, clock):
    """Issue 19: an idle app starts no upkeep worker until someone commits."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app._upkeep_due()  # as its timer would (the first run after opening always runs)
        assert app._upkeep_due() is None  # nothing seen committed since it started: no worker
        await app.workers.wait_for_complete()
        seen = app.register_changes
        assert app.desk is not None
        save_call(app.desk, _draft("变电站停电，已通知抢修"), officer)
        while app.register_changes == seen:
            await pilot.pause(0.05)
        app._upkeep_due()  # (or its timer did just now): upkeep started for that commit
        assert app._upkept_at == app.register_changes != seen
        await app.workers.wait_for_complete()
        assert app.upkeep_state.last_seq is not None


def _journal_salt(path) -> bytes:  # noqa: ANN001
    """The WAL header's salts (bytes 16-24): new each time the journal is started over."""
    with open(f"{path}-wal", "rb") as wal:
        return wal.read(24)[16:]


def test_a_save_after_upkeep_appends_to_the_journal_instead_of_starting_it_over(desk, officer):
    """Issue 19 (session 10): a save into a journal upkeep had wholly checkpointed started it
    over, writing and syncing its header before the commit's own sync. Upkeep now does that."""
    opened = open_desk(desk.path, desk.clock, upkeep_off_path=True)
    try:
        state = UpkeepState()
        for index in range(3):
            save_call(opened, _draft(f"人民路积水第{index}处"), officer)
            result = run_upkeep(opened, state)
            assert result.ran and result.checkpointed == result.wal_pages > 0
            before = _journal_salt(desk.path)
            save_call(opened, _draft(f"河滨路积水第{index}处"), officer)
            assert _journal_salt(desk.path) == before  # appended, not started over
    finally:
        opened.close()
    with closing(sqlite3.connect(desk.path)) as conn:
        assert conn.execute("SELECT v FROM call_fts_config WHERE k = 'automerge'").fetchone() == (
            0,
        )


def _segments(conn: sqlite3.Connection, index: str) -> int:
    return conn.execute(f"SELECT count(DISTINCT segid) FROM {index}_idx").fetchone()[0]


def test_upkeep_merges_each_level_down_to_one_segment(desk, officer):
    """Migration 0028: a level is merged once it holds two segments, not FTS5's four (ten
    years stood in 19-20 segments per index, and a phone fragment read each). The setting
    shows at scale (the bench's register: about 5 segments); segments this small are merged
    into one under either setting, so here the setting itself is checked, then the merge."""
    with closing(sqlite3.connect(desk.path)) as conn:
        for index in SEARCH_INDEXES:
            (value,) = conn.execute(
                f"SELECT v FROM {index}_config WHERE k = 'usermerge'"
            ).fetchone()
            assert value == 2, index
    state = UpkeepState()
    for i in range(11):  # indexed a commit each: a segment each in every index (11 = 8 + 2 + 1)
        save_call(desk, _draft(f"西关路口积水第{i}处，电话022-6600{i:04d}"), officer)
        catch_up(desk)
    with closing(sqlite3.connect(desk.path)) as conn:
        assert all(_segments(conn, index) >= 11 for index in SEARCH_INDEXES)
    run_upkeep(desk, state)
    with closing(sqlite3.connect(desk.path)) as conn:
        counts = {index: _segments(conn, index) for index in SEARCH_INDEXES}
    assert all(count <= 3 for count in counts.values()), counts
    assert len(list_calls(desk, search="022-6600", limit=50)) == 11
