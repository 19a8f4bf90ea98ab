"""A note (说明) longer than its column is given in full under the table when its item is
selected (new officer, session 17: the reason for an item not done was cut in the table with no
way to read it on the screen)."""

from __future__ import annotations

from textual.widgets import Static

from dutydesk.app import make_app
from tests.test_tui_handover import SIZE, _prepare, _ready

REASON = "传真机卡纸 已报信息中心维修 预计明早八点前修复[b] 修复前改用备用传真机收文"


async def test_a_long_note_is_shown_in_full_under_the_table(desk, clock, officer):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        screen = app.screen
        item = screen.current_item()
        full = screen.query_one("#handover-full", Static)
        assert item is not None and len(item.label()) < 30  # its label and article fit
        assert not full.display
        await pilot.press("n")
        await _ready(app, pilot)
        for char in REASON:
            await pilot.press(char)
        await pilot.press("enter")
        await _ready(app, pilot)
        assert screen.checklist.item(item.key).note == REASON
        screen.query_one("#handover-table").move_cursor(row=0)
        await _ready(app, pilot)
        shown = str(full.render()).replace("\n", "")
        assert full.display and "说明：" + REASON in shown, shown
