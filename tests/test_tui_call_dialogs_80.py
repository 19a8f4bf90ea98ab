"""At 80x24 the call's detail (Enter) and its correction dialog (Ctrl+E) fit the screen: they
were 90 and 110 cells wide, so the phone field, the check boxes and the right border were off
the screen and the detail's scroll bar with them (new officer, session 19)."""

from __future__ import annotations

from textual.widgets import DataTable

from dutydesk.app import make_app
from dutydesk.services.calls import CallDraft, save_call
from tests.test_tui_calls import _ready


async def test_the_detail_and_the_correction_dialog_fit_80_columns(desk, clock, officer):
    save_call(desk, CallDraft(caller="李明", unit="城关镇", phone="0371-66000000",
                              summary="道路积水", verified=True), officer)  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        for key, box in (("enter", "#detail-box"), ("ctrl+e", "#amend-box")):
            app.screen.query_one("#calls-table", DataTable).focus()
            await pilot.press(key)
            await _ready(app, pilot)
            region = app.screen.query_one(box).region
            assert region.x >= 0 and region.right <= 80, (box, region)
            await pilot.press("escape")
            await _ready(app, pilot)


async def test_the_category_list_keeps_each_option_on_one_line_at_80_columns(desk, clock):
    """At 80 cells the category's box is 15 wide; its list (as wide as the box) wrapped
    领导批示 and 值班抽查 onto two lines and needed a scroll bar (new officer, session 19)."""
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        select = app.screen.query_one("#f-category", Select)
        select.focus()
        await pilot.press("enter")
        await _ready(app, pilot)
        overlay = select.query_one(SelectOverlay)
        assert select.expanded and overlay.option_count == 8
        assert overlay.virtual_size.height == overlay.option_count, overlay.virtual_size
        assert overlay.region.right <= 80, overlay.region
