"""A handover made on the command line (another process) while the app is open (QA #7): when
the app sees it, the new shift shows, and the focus stays in the field the officer was in,
with what was typed there."""

from __future__ import annotations

from textual.widgets import Input

from dutydesk.app import make_app
from dutydesk.services.core import open_desk
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401

SIZE = (120, 36)
PATIENCE = 200  # pauses of 50 ms: a generous bound, never a timing assertion


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_the_focus_stays_put_when_a_handover_is_made_elsewhere(ready, clock):  # noqa: F811
    app = make_app(ready.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        screen.query_one("#f-unit", Input).focus()
        await pilot.press(*"城关")
        before = app.shift_status
        other = open_desk(ready.path, clock)
        try:
            tick_all(other)
            _sign(other)
        finally:
            other.close()
        for _ in range(PATIENCE):
            if app.shift_status is not before and app.shift_status.duty != before.duty:
                break
            await pilot.pause(0.05)
        await _ready(app, pilot)

        assert app.screen is screen
        assert app.focused is screen.query_one("#f-unit", Input)
        assert app.focused.value == "城关"
