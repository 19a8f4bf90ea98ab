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
