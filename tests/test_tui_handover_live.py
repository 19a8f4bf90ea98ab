"""Marks made elsewhere (the command line, another terminal) appear on an open handover screen
without leaving it (breaker, session 17: only when it was shown again), and never while the
officer is typing a note on it."""

from __future__ import annotations

from textual.widgets import DataTable

from dutydesk.app import make_app
from dutydesk.services.core import open_desk
from dutydesk.services.handover import mark
from tests.test_tui_handover import SIZE, _prepare, _ready


def _state_cell(app, key: str) -> str:
    table = app.screen.query_one("#handover-table", DataTable)
    return str(table.get_cell(key, "state"))


async def _until(pilot, app, check) -> bool:
    for _ in range(100):  # the register is looked at every 0.25 s
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        if check():
            return True
    return False


async def test_a_mark_from_another_terminal_appears_on_the_open_screen(desk, clock, officer):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        screen = app.screen
        item = screen.current_item()
        assert item is not None and item.state == "open"
        before = _state_cell(app, item.key)
        other = open_desk(desk.path, clock)  # as `dutydesk handover mark` would
        try:
            mark(other, item.key, "not_done", "另一终端标记")
        finally:
            other.close()
        assert await _until(pilot, app, lambda: _state_cell(app, item.key) != before)
        assert screen.checklist.item(item.key).note == "另一终端标记"
        assert screen.current_item().key == item.key  # the cursor stays with its item


async def test_no_redraw_while_a_note_is_being_typed(desk, clock, officer):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        screen = app.screen
        item = screen.current_item()
        await pilot.press("n", "a", "b")
        await _ready(app, pilot)
        shown = screen.checklist
        other = open_desk(desk.path, clock)
        try:
            mark(other, item.key, "not_done", "另一终端标记")
        finally:
            other.close()
        for _ in range(20):
            await pilot.pause(0.05)
        assert screen.checklist is shown  # the note being typed keeps its screen
        assert screen.query_one("#handover-note").value == "ab"


async def test_a_mark_read_in_keeps_the_rows_where_they_were(desk, clock, officer):
    """New officer, session 18: a mark from the command line made the view jump to other items,
    the selected row out of sight."""
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 18)) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        screen = app.screen
        table = screen.query_one("#handover-table", DataTable)
        await pilot.press(*["down"] * (table.row_count - 1), *["up"] * 6)  # scrolled, cursor up
        await _ready(app, pilot)
        row, scrolled = table.cursor_row, table.scroll_y
        assert scrolled > 0, (
            table.row_count,
            table.size,
            table.max_scroll_y,
            row,
        )  # longer than the screen
        first = table.coordinate_to_cell_key((0, 0)).row_key.value
        other = open_desk(desk.path, clock)
        try:
            mark(other, str(first), "not_done", "另一终端标记")
        finally:
            other.close()
        assert await _until(pilot, app, lambda: "另一终端" in str(table.get_cell(first, "note")))
        await _ready(app, pilot)
        assert (table.cursor_row, table.scroll_y) == (row, scrolled)
