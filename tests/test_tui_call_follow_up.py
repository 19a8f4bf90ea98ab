"""The correction dialog with the keyboard: unticking 需跟进 (Space on the box) closes the call's
待办, the status line says so and names the correction, the list drops its 待办 mark and the
handover screen lists the item closed by that correction, not open; ticking it opens one."""

from __future__ import annotations

from textual.widgets import Checkbox, DataTable, Input

from dutydesk.app import make_app
from dutydesk.services.calls import CallDraft, list_calls, save_call
from dutydesk.services.handover.pending import open_items
from tests.test_tui_calls import SIZE, _ready, _status, _type


async def _correct_follow_up(app, pilot, reason: str) -> None:
    """Ctrl+E on the selected call, Space on 需跟进, the reason, Ctrl+S."""
    app.screen.query_one("#calls-table", DataTable).focus()
    await pilot.press("ctrl+e")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "AmendScreen"
    app.screen.query_one("#f-follow-up", Checkbox).focus()
    await pilot.press("space")
    app.screen.query_one("#amend-reason", Input).focus()
    await _type(pilot, reason)
    await pilot.press("ctrl+s")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "CallsScreen"


def _marks(app) -> str:
    table = app.screen.query_one("#calls-table", DataTable)
    return " ".join(str(cell) for cell in table.get_row_at(0))


async def test_unticking_follow_up_in_the_dialog_closes_the_pending_item(desk, clock, officer):
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="0371-66000000",
                              summary="西关积水待复查", follow_up=True), officer)  # fmt: skip
    clock.advance(minutes=5)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert "待办" in _marks(app)
        await _correct_follow_up(app, pilot, "误勾需跟进")
        assert "已登记更正：2026-000002" in _status(app)
        assert "待办事项 1 已随更正 2026-000002 办结" in _status(app)
        assert "待办" not in _marks(app) and "已更正" in _marks(app)
        await pilot.press("f5")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "HandoverScreen"
        checklist = app.screen.query_one("#handover-table", DataTable)
        row = " ".join(str(cell) for cell in checklist.get_row("pending:1"))
        assert "待办事项#1（2026-000001）因更正 2026-000002 取消需跟进" in row  # the rest cut
    assert open_items(desk) == [] and not list_calls(desk)[0].follow_up


async def test_ticking_follow_up_in_the_dialog_opens_a_pending_item(desk, clock, officer):
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="0371-66000000",
                              summary="西关积水"), officer)  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert "待办" not in _marks(app)
        await _correct_follow_up(app, pilot, "漏勾需跟进")
        assert "已生成待办事项 1（更正 2026-000002 勾选需跟进）" in _status(app)
        assert "待办" in _marks(app)
    [item] = open_items(desk)
    assert item.call_number == "2026-000001" and item.text == "西关积水"
