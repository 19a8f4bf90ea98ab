"""The first look's list (session 13): a busy shift's rows were all built before the first frame.
With `rows_first` the list adds that many at once and the rest once painted, under the columns
worked out from every row."""

from __future__ import annotations

import pendulum
from textual.app import App, ComposeResult

from dutydesk.services.calls import CallView
from dutydesk.widgets.call_list import CallTable, Shown


def _views(count: int, long_unit_at: int) -> list[CallView]:
    at = pendulum.datetime(2026, 11, 23, 9, tz="Asia/Shanghai")
    return [
        CallView(
            id=index,
            number=f"2026-{index:06d}",
            received_at=at.subtract(minutes=index),
            recorded_at=at,
            direction="in",
            caller=f"来电人{index}",
            unit="区应急管理局" if index == long_unit_at else "镇",
            phone="022-23456789",
            verified=False,
            category="other",
            summary=f"第{index}条",
            handling="",
            follow_up=False,
            recorded_by="张伟",
        )  # fmt: skip
        for index in range(count, 0, -1)
    ]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CallTable(id="calls-table")


def _numbers(table: CallTable) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


async def test_the_first_rows_at_once_the_rest_after_the_frame_under_the_same_columns():
    views = _views(60, long_unit_at=3)  # the widest unit is among the rows added later
    app = ListApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(CallTable)
        table.rows_first = 10
        table.show(Shown(views, ""), "Asia/Shanghai")
        assert table.row_count == 10 and _numbers(table) == [v.number for v in views[:10]]
        assert "60" in str(table.border_title)  # the title counts every call from the start
        widths = [column.width for column in table.ordered_columns]
        for _ in range(100):  # the rest once the table has refreshed
            if table.row_count > 10:
                break
            await pilot.pause(0.01)
        assert _numbers(table) == [view.number for view in views]
        assert [column.width for column in table.ordered_columns] == widths
        assert table.cursor_row == 0
        table.relayout()  # every row at once: the same columns
        assert [column.width for column in table.ordered_columns] == widths
        assert _numbers(table) == [view.number for view in views]
        table.show(Shown(views[:5], ""), "Asia/Shanghai")  # the next fill: all at once
        assert table.row_count == 5


async def test_a_fill_again_before_the_rest_came_drops_the_rest():
    views = _views(40, long_unit_at=1)
    app = ListApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(CallTable)
        table.rows_first = 10
        table.show(Shown(views, ""), "Asia/Shanghai")
        table.show(Shown(views[:3], ""), "Asia/Shanghai")  # a search, say, before the frame
        await pilot.pause(0.3)  # refreshed since: the first fill's rest would have come
        assert _numbers(table) == [view.number for view in views[:3]]


async def test_home_and_end_go_to_the_newest_and_the_oldest_call():
    views = _views(30, long_unit_at=1)
    app = ListApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(CallTable)
        table.show(Shown(views, ""), "Asia/Shanghai")
        table.focus()
        await pilot.press("down", "down", "end")
        assert table.cursor_row == 29
        await pilot.press("home")
        assert table.cursor_row == 0


def test_a_match_in_a_value_that_fits_is_shown_with_the_whole_value():
    """Searching a register number: its cell fits, so it is not cut before the match (QA,
    session 13: "…026-000060" hid the first digit); a long value is still cut before it."""
    from dutydesk.widgets.call_list import highlighted

    assert highlighted("2026-000060", ["0060"], 11).plain == "2026-000060"
    long = highlighted("柳林镇辖区内工业大道发生道路积水深约30厘米", ["30厘米"], 24).plain
    assert long.startswith("…") and "30" in long
