"""The board's re-grade dialog (Ctrl+G) with the keyboard, as a new officer used it (session 17):
Esc over a typed reason asks before throwing it away, as the correction dialog's Esc does; a
reason typed straight after Ctrl+G goes into the reason, not onto the level dropdown; a
dropdown's keys sent in one burst (Enter, Up, Enter) choose as they would typed one by one."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from dutydesk.app import make_app
from dutydesk.services.incidents.incident_regrade import regrades_for
from dutydesk.widgets.countdown_table import CountdownTable
from tests.support_pilot import send_at_once
from tests.test_board_regrade_any import SIZE, _board, _incident, _status


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


async def _settle(app, pilot) -> None:
    for _ in range(50):
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_reason_typed_straight_after_ctrl_g_goes_into_the_reason(desk, clock, officer):
    row = _incident(desk, officer, "III")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        board.query_one("#board", CountdownTable).focus()
        send_at_once(app, ["ctrl+g", *"伤亡 扩大"])  # the level left as it is
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "RegradeDialog"
        assert app.screen.query_one("#regrade-reason", Input).value == "伤亡 扩大"
        assert app.screen.query_one("#regrade-level", Select).value == "III"
        await pilot.press("shift+tab", "enter", "up", "enter", "ctrl+s")
        await _settle(app, pilot)
        assert app.screen is board and "Ⅱ级" in _status(board)
    assert [(r.new_level, r.reason) for r in regrades_for(desk, row.id)] == [("II", "伤亡 扩大")]


async def test_a_dropdown_s_keys_in_one_burst_choose_and_what_follows_lands(desk, clock, officer):
    row = _incident(desk, officer, "III")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        board.query_one("#board", CountdownTable).focus()
        send_at_once(app, ["ctrl+g", "enter", "up", "enter", "tab", *"伤亡扩大", "ctrl+s"])
        await _settle(app, pilot)
        assert app.screen is board, type(app.screen).__name__
        assert "Ⅱ级" in _status(board)
        await pilot.press("ctrl+g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # once the dialog is up too; the text typed right after the choice goes to the reason
        send_at_once(app, ["enter", "up", "enter", *"死亡人数上升"])  # from Ⅱ
        await _settle(app, pilot)
        assert app.screen.query_one("#regrade-level", Select).value == "I"
        assert app.screen.query_one("#regrade-reason", Input).value == "死亡人数上升"
    assert [r.new_level for r in regrades_for(desk, row.id)] == ["II"]


async def test_the_call_form_s_dropdown_takes_a_burst_too(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert screen.focused is screen.query_one("#f-caller", Input)
        await pilot.press("shift+tab")  # to the direction (来电)
        assert screen.focused is screen.query_one("#f-direction", Select)
        send_at_once(app, ["enter", "down", "enter", "tab", *"王明"])
        await _settle(app, pilot)
        assert screen.query_one("#f-direction", Select).value == "out"
        assert screen.query_one("#f-caller", Input).value == "王明"
