"""The calls list read again after a burst of commits from another terminal: once at the first,
then once when the interval is up with all the rest (widgets/throttle.py)."""

from __future__ import annotations

from textual.app import App

from dutydesk.widgets.throttle import Throttled

INTERVAL = 0.3


async def test_a_burst_runs_once_at_once_and_once_after_the_interval():
    runs: list[int] = []
    app = App()
    async with app.run_test() as pilot:
        gathered = Throttled(app, INTERVAL, lambda: runs.append(len(runs)))
        for _ in range(5):  # five commits in a moment
            gathered()
        assert runs == [0]  # the first at once: an outside change shows without delay
        await pilot.pause(INTERVAL / 3)
        gathered()
        assert runs == [0]  # gathered, not dropped
        for _ in range(40):
            if len(runs) == 2:
                break
            await pilot.pause(INTERVAL / 4)
        assert runs == [0, 1]
        await pilot.pause(INTERVAL * 1.5)
        assert runs == [0, 1]  # nothing asked since: nothing more
        gathered()
        assert runs == [0, 1, 2]  # long after the last: at once again


async def test_calls_saved_elsewhere_show_above_a_cursor_on_the_newest(desk, clock, officer):
    """QA session 11: with the cursor on the newest call, calls saved from another terminal came
    in above it out of sight, the list still scrolled to the old row."""
    from textual.widgets import DataTable

    from dutydesk.app import make_app
    from dutydesk.services.calls.calls import CallDraft, save_call
    from dutydesk.services.core.desk import open_desk

    def call(desk_, text: str) -> str:  # noqa: ANN001
        draft = CallDraft(caller="王强", unit="交警支队", phone="022-23456789", summary=text,
                          direction="in", category="notice")  # fmt: skip
        return save_call(desk_, draft, officer).number

    first = call(desk, "第一条")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#calls-table", DataTable)
        assert table.cursor_row == 0 and table.get_row_at(0)[0].plain == first
        other = open_desk(desk.path, clock)
        try:
            newest = [call(other, f"另一终端{n}") for n in range(3)][-1]
        finally:
            other.close()
        for _ in range(100):
            await pilot.pause(0.05)
            if table.row_count == 4:
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 4
        assert table.cursor_row == 0 and table.get_row_at(0)[0].plain == newest


async def test_a_run_waits_for_a_pause_in_the_typing_for_a_while_only(monkeypatch):
    """While the officer types, the list waits for a pause (a rebuild held the keys typed then
    25-60 ms); typing without a pause does not hold it past TYPING_HOLD_MAX_S."""
    import time

    from dutydesk.widgets import throttle

    monkeypatch.setattr(throttle, "TYPING_PAUSE_S", 0.2)
    monkeypatch.setattr(throttle, "TYPING_HOLD_MAX_S", 0.8)
    runs: list[float] = []
    typed = [float("-inf")]
    app = App()
    async with app.run_test() as pilot:
        gathered = Throttled(app, INTERVAL, lambda: runs.append(time.monotonic()),
                             lambda: typed[0])  # fmt: skip
        gathered()
        assert len(runs) == 1  # nobody typing: at once
        await pilot.pause(INTERVAL * 1.2)
        typed[0] = time.monotonic()  # a key just typed
        gathered()
        assert len(runs) == 1  # held for the pause
        await pilot.pause(0.1)
        assert len(runs) == 1
        for _ in range(40):
            if len(runs) == 2:
                break
            await pilot.pause(0.05)
        assert len(runs) == 2 and runs[1] - typed[0] >= 0.2  # once the typing paused
        await pilot.pause(INTERVAL * 1.2)
        asked = typed[0] = time.monotonic()
        gathered()
        for _ in range(60):  # a key every 50 ms: never a pause
            typed[0] = time.monotonic()
            if len(runs) == 3:
                break
            await pilot.pause(0.05)
        assert len(runs) == 3
        assert 0.8 <= runs[2] - asked < 2.0  # not held past the most
