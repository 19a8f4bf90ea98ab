"""The handover checklist's cursor stays on the item just marked; Down moves to the next (new
officer: the cursor moved on after each mark, so the Down typed after it skipped an item).
There is no "mark all": each item is marked on its own, as on the paper register."""

from __future__ import annotations

from textual.widgets import DataTable

from dutydesk.app import make_app
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.handover import build_checklist
from tests.test_tui_handover import SIZE, _prepare, _ready, _type


def _cursor(app) -> str:
    table = app.screen.query_one("#handover-table", DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


def _keys(app) -> list[str]:
    table = app.screen.query_one("#handover-table", DataTable)
    return [str(row.value) for row in table.rows]


async def _open(app, pilot) -> None:
    await _ready(app, pilot)
    await pilot.press("f5")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "HandoverScreen"
    app.screen.query_one("#handover-table", DataTable).focus()


async def test_each_mark_leaves_the_cursor_on_its_item_and_down_goes_to_the_next(
    desk, clock, officer
):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        keys = _keys(app)
        assert _cursor(app) == keys[0] == "calls"
        await pilot.press("d")
        await _ready(app, pilot)
        assert build_checklist(desk).item("calls").state == "done"
        assert _cursor(app) == "calls"  # stays on the item just marked
        await pilot.press("d")  # again: said done already, still here
        await _ready(app, pilot)
        assert _cursor(app) == "calls"
        await pilot.press("down")
        await pilot.pause()
        assert _cursor(app) == keys[1] == "pending:1"  # the next item, none skipped
        await pilot.press("a")
        await _ready(app, pilot)
        assert build_checklist(desk).item("pending:1").state == "acknowledged"
        assert _cursor(app) == "pending:1"

        device = next(key for key in keys if key.startswith("device:"))
        table = app.screen.query_one("#handover-table", DataTable)
        table.move_cursor(row=table.get_row_index(device))
        await pilot.press("f")  # a fault, with its note typed and Enter
        await _type(pilot, "信号弱")
        await pilot.press("enter")
        await _ready(app, pilot)
        assert build_checklist(desk).item(device).state == "fault"
        assert _cursor(app) == device
        await pilot.press("down")
        await pilot.pause()
        assert _cursor(app) == keys[keys.index(device) + 1]

        await pilot.press("s")  # the summary: typed, Enter, the cursor on it
        await _type(pilot, "无重大情况")
        await pilot.press("enter")
        await _ready(app, pilot)
        assert build_checklist(desk).item("summary").state == "done"
        assert _cursor(app) == "summary"


async def test_a_pending_item_closed_keeps_the_cursor_though_its_row_moves(desk, clock, officer):
    """A pending item closed during the shift is listed above the open ones: the cursor goes
    with it, not to the open item that took its row."""
    save_call(desk, CallDraft(caller="周涛", unit="柳林镇", phone="0371-66000001",
                              summary="路灯损坏，待回复", follow_up=True), officer)  # fmt: skip
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        assert _keys(app)[1:3] == ["pending:1", "pending:2"]
        table = app.screen.query_one("#handover-table", DataTable)
        table.move_cursor(row=table.get_row_index("pending:2"))
        await pilot.press("c")
        await _type(pilot, "已回复")
        await pilot.press("enter")
        await _ready(app, pilot)
        assert _keys(app)[1:3] == ["pending:2", "pending:1"]  # closed: above the open one
        assert _cursor(app) == "pending:2"
