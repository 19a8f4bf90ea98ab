"""Home and End on the handover checklist go to its first and last item (DataTable's went to
the first and last column, which fit the width: nothing happened; new officer, session 15)."""

from __future__ import annotations

from textual.widgets import DataTable

from dutydesk.app import make_app
from tests.test_tui_handover import SIZE, _prepare, _ready


async def test_home_and_end_go_to_the_first_and_last_item(desk, clock, officer):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        table = app.screen.query_one("#handover-table", DataTable)
        assert table.row_count > 3
        table.focus()
        await pilot.press("down", "down")
        await pilot.pause()
        assert table.cursor_row == 2
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0
