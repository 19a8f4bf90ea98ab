"""The board's re-grade dialog (Ctrl+G) with the keyboard, as a new officer used it (session 17):
Esc over a typed reason asks before throwing it away, as the correction dialog's Esc does."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from dutydesk.app import make_app
from dutydesk.services.incidents.incident_regrade import regrades_for
from dutydesk.widgets.countdown_table import CountdownTable
from tests.test_board_regrade_any import SIZE, _board, _incident


async def _dialog(app, pilot):
    """Ctrl+G on the board's incident row: the re-grade dialog, read in a worker."""
    board = await _board(app, pilot)
    board.query_one("#board", CountdownTable).focus()
    await pilot.press("ctrl+g")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert type(app.screen).__name__ == "RegradeDialog"
    return board


def _dialog_status(app) -> str:
    return str(app.screen.query_one("#regrade-status", Static).render())


async def test_esc_over_a_typed_reason_asks_first(desk, clock, officer):
    row = _incident(desk, officer, "III")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _dialog(app, pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert app.screen is board
        await pilot.press("ctrl+g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("tab", *"伤亡扩大", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "RegradeDialog", "the reason was dropped at once"
        assert "再按一次 Esc" in _dialog_status(app)
        assert app.screen.query_one("#regrade-reason", Input).value == "伤亡扩大"
        await pilot.press("重", "escape")  # typed on after the question: it asks again
        await pilot.pause()
        assert type(app.screen).__name__ == "RegradeDialog"
        await pilot.press("escape")  # a second Esc over the same text: thrown away
        await pilot.pause()
        assert app.screen is board
    assert regrades_for(desk, row.id) == []


async def test_esc_after_a_level_chosen_asks_first(desk, clock, officer):
    _incident(desk, officer, "III")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _dialog(app, pilot)
        await pilot.press("enter", "up", "enter")  # Ⅱ级
        await pilot.pause()
        assert app.screen.query_one("#regrade-level", Select).value == "II"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "RegradeDialog"
        assert "再按一次 Esc" in _dialog_status(app)
