"""Issue 19, the calls screen idle (session 9): nothing wakes that has nothing to do. Upkeep is
armed by a commit seen (no timer every RUN_EVERY_S while nothing is written), a header out of
sight (another mode's screen, the roster screen built ahead) does nothing when the clocks tick, and
the clocks tick on the change check's own wake-up (session 19)."""

from __future__ import annotations

import json

import pytest

from bench.measure import startup
from dutydesk.app import make_app
from dutydesk.services.calls import CallDraft, save_call
from dutydesk.widgets.desk_app import CHANGE_CHECK_S
from dutydesk.widgets.header import DutyHeader, HeaderClock


async def _opened(app, pilot) -> None:  # noqa: ANN001
    while not app._taken_over.is_set():
        await pilot.pause(0.01)
    await pilot.pause()


async def _upkeep_done(app, pilot) -> None:  # noqa: ANN001
    """The upkeep worker finished and the change check has looked since (a commit of its own
    is seen within CHANGE_CHECK_S)."""
    await app.workers.wait_for_complete()
    await pilot.pause(4 * CHANGE_CHECK_S)


async def test_upkeep_is_armed_by_a_commit_and_by_nothing_else(desk, officer, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _opened(app, pilot)
        first = app._upkeep_timer
        assert first is not None or app._upkept_at is not None  # the first run: armed or run
        if first is not None:  # not fired yet (a loaded machine may take RUN_EVERY_S to here)
            first.stop()
            app._upkeep_fired()  # as the timer would
        await _upkeep_done(app, pilot)
        again = app._upkeep_timer  # upkeep's own commit (merge, journal restart) is a commit seen
        if again is not None:
            again.stop()
            app._upkeep_fired()  # that run finds nothing new written and commits nothing
            await _upkeep_done(app, pilot)
        assert app._upkeep_timer is None  # idle: no wake-up is waiting
        seen = app.register_changes
        assert app.desk is not None
        save_call(app.desk, CallDraft(caller="王五", unit="城关镇", phone="0371-66000000",
                                      summary="路灯不亮"), officer)  # fmt: skip
        while app.register_changes == seen:
            await pilot.pause(0.05)
        await pilot.pause()  # the signal's subscribers are called next (call_next), not at once
        assert app._upkeep_timer is not None  # armed by the commit seen
        armed = app._upkeep_timer
        app._upkeep_soon()  # another commit meanwhile: the same run
        assert app._upkeep_timer is armed


async def _roster_built_ahead(app, pilot) -> DutyHeader:  # noqa: ANN001
    """The roster screen the app builds ahead once idle, mounted: its header."""
    for _ in range(200):
        if "roster" in app._screen_stacks:
            break
        await pilot.pause(0.05)
    roster = app.get_screen_stack("roster")[0].query_one(DutyHeader)
    for _ in range(200):  # its widgets mounted
        if roster.is_mounted:
            break
        await pilot.pause(0.05)
    return roster


def _intervals_running(app) -> list[object]:  # noqa: ANN001
    """The app's repeating timers, not paused, across every mode's screens."""
    nodes = [app] + [
        node
        for stack in app._screen_stacks.values()
        for screen in stack
        for node in screen.walk_children(with_self=True)
    ]
    return [
        timer
        for node in nodes
        for timer in node._timers
        if timer._repeat is None and timer._task is not None and timer._active.is_set()
    ]


async def test_the_idle_app_wakes_on_one_timer(desk, clock):
    """Session 19: the change check and the header's clock were two timers (five wake-ups a
    second, each costing more than its work); the clock now ticks on the check's wake-up."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _opened(app, pilot)
        await _roster_built_ahead(app, pilot)
        assert len(_intervals_running(app)) == 1


async def test_the_header_clock_ticks_on_the_change_check(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _opened(app, pilot)
        shown = app.screen.query_one(HeaderClock)
        before = shown.text
        clock.advance(seconds=7)
        while shown.text == before:  # within a second (CHECKS_A_SECOND checks); no time asserted
            await pilot.pause(0.05)
        assert shown.text == clock.now().format(shown.format)


async def test_a_header_out_of_sight_does_not_tick(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _opened(app, pilot)
        calls = app.screen.query_one(DutyHeader)
        roster = await _roster_built_ahead(app, pilot)
        ticked: list[str] = []
        calls.refresh_periodic = lambda: ticked.append("calls")  # type: ignore[method-assign]
        roster.refresh_periodic = lambda: ticked.append("roster")  # type: ignore[method-assign]
        app._tick_clocks()  # (the app's own check may tick them too meanwhile)
        assert set(ticked) == {"calls"}
        await pilot.press("f7")
        await pilot.pause()
        ticked.clear()
        app._tick_clocks()
        assert set(ticked) == {"roster"}
        await pilot.press("f2")
        await pilot.pause()
        ticked.clear()
        app._tick_clocks()
        assert set(ticked) == {"calls"}


def test_the_idle_settle_is_kept_when_launches_are_timed_too(monkeypatch, capsys, tmp_path):
    """`--idle-settle` with launches timed (not `--idle-only`) was dropped: the idle figure was
    then taken 1 s after the list showed, over the start-up's own tail (session 9: 1.97 %)."""
    settles: list[float] = []

    def idle_cpu(*args: object, settle: float = startup.SETTLE_S) -> dict[str, float]:
        settles.append(float(args[5]) if len(args) > 5 else settle)  # type: ignore[arg-type]
        return {"seconds": 40.0, "cpu_percent": 0.0}

    monkeypatch.setattr(startup, "_tmux", lambda *args, **kwargs: "")
    monkeypatch.setattr(startup, "compile_checkout", lambda repository: None)
    monkeypatch.setattr(startup, "idle_cpu", idle_cpu)
    monkeypatch.setattr(startup, "launch", lambda *args: startup.Launch(*[None] * 6))
    monkeypatch.setattr(startup, "summarise", lambda app, floor: {"runs": len(app)})
    register = tmp_path / "register.sqlite3"
    startup.main([str(register), "--runs", "1", "--idle", "40", "--idle-settle", "45"])
    figures = json.loads(capsys.readouterr().out)
    assert settles == [pytest.approx(45.0)]
    assert figures["runs"] == 1 and figures["idle"]["seconds"] == 40.0


def test_the_bench_counts_idle_cpu_after_the_start_ups_deferred_work():
    """The roster screen built ahead and the first upkeep run are start-up, not idling."""
    from dutydesk.app import BUILD_AHEAD_AFTER_S
    from dutydesk.services.core import RUN_EVERY_S

    assert startup.IDLE_SETTLE_S > BUILD_AHEAD_AFTER_S + RUN_EVERY_S


async def test_a_header_below_a_dialog_keeps_ticking(desk, clock):
    """A modal screen (督办, 登记报告) leaves the screen below in sight: its clock and countdown
    went still for as long as the dialog was open (session 9 QA)."""
    from textual.screen import ModalScreen
    from textual.widgets import Static

    class Dialog(ModalScreen[None]):
        def compose(self):  # noqa: ANN202
            yield Static("dialog")

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _opened(app, pilot)
        calls = app.screen.query_one(DutyHeader)
        ticked: list[bool] = []
        calls.refresh_periodic = lambda: ticked.append(True)  # type: ignore[method-assign]
        await app.push_screen(Dialog())
        await pilot.pause()
        ticked.clear()
        app._tick_clocks()
        assert ticked
        app.pop_screen()
        await pilot.pause()
        ticked.clear()
        app._tick_clocks()
        assert ticked


async def test_the_board_once_opened_ticks_on_the_change_check_out_of_sight_too(desk, clock):
    """Its own timer woke the app once more a second on every screen after a first F3; its
    alerts ring wherever the officer is, so it ticks out of sight as well."""
    from dutydesk.screens.deadlines import DeadlinesScreen

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _opened(app, pilot)
        await _roster_built_ahead(app, pilot)
        await pilot.press("f3")
        await pilot.pause()
        board = app.screen
        assert isinstance(board, DeadlinesScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert len(_intervals_running(app)) == 1
        ticked: list[bool] = []
        board.tick = lambda: ticked.append(True)  # type: ignore[method-assign]
        app._tick_clocks()
        assert ticked


def test_the_bench_launches_the_checkout_named_not_the_one_it_runs_in(tmp_path):
    """`--repository` to compare two checkouts: `python -m` put the working directory first on
    the path, and the bench run from one checkout launched that one's app (session 19)."""
    import subprocess

    other = tmp_path / "other"
    (other / "bench").mkdir(parents=True)
    (other / "bench" / "__init__.py").write_text("")
    (other / "bench" / "frozen.py").write_text("print('the other checkout')\n")
    command, env = startup.frozen_dutydesk(tmp_path / "none.sqlite3", "2026-01-01T08:00:00+08:00",
                                           other)  # fmt: skip
    ran = subprocess.run(command, env=env, cwd=startup.REPOSITORY, capture_output=True,
                         text=True, timeout=60, check=False)  # fmt: skip
    assert ran.stdout.strip() == "the other checkout"


async def test_a_clock_ticked_while_its_parts_are_mounted_or_removed_waits(desk, clock):
    """The app ticks every clock it was given from its own check: a header whose clock was not
    mounted yet (or was already removed) stopped the app with NoMatches (CI, session 19)."""
    from dutydesk.screens.deadlines import DeadlinesScreen
    from dutydesk.widgets.countdown_table import CountdownTable

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _opened(app, pilot)
        header = app.screen.query_one(DutyHeader)
        await header.query_one(HeaderClock).remove()
        header.tick()  # nothing to show: no error
        await pilot.press("f3")
        await pilot.pause()
        board = app.screen
        assert isinstance(board, DeadlinesScreen)
        await board.query_one("#board", CountdownTable).remove()
        board.tick()
        await pilot.pause()
        assert app.return_code is None and app.is_running
