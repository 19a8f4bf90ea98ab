"""The deadline board driven with keys while the clock moves."""

from __future__ import annotations

import pendulum
from rich.text import Text
from textual.widgets import Static

from dutydesk.app import make_app
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.widgets.countdown_table import CountdownTable
from tests.support_people import authority_for

SIZE = (120, 36)


def _incident(desk, officer, level: str, minutes_ago: int, place: str):
    occurred = desk.now().subtract(minutes=minutes_ago)
    draft = IncidentDraft(type="accident", level=level, occurred_at=occurred, place=place,
                          summary="燃气管道破裂")  # fmt: skip
    return record_incident(desk, draft, officer)


async def _open_board(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()


def _cell(app, row: int, column: str) -> str:
    return app.screen.query_one("#board", CountdownTable).cell_text(row, column)


async def test_a_deadline_goes_ok_warning_overdue_rings_then_is_acknowledged_and_done(
    desk, clock, officer
):
    _incident(desk, officer, "III", 0, "人民路")  # Tianjin art. 20: phone 30 min, written 60
    app = make_app(desk.path, clock=clock)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        assert type(app.screen).__name__ == "DeadlinesScreen"
        screen = app.screen
        assert _cell(app, 0, "status") == "正常"
        assert "30分00秒" in _cell(app, 0, "remaining")
        header = str(screen.query_one("#header-deadlines", Static).render())
        assert "2 项" in header and "电话报告" in header
        await pilot.press("ctrl+t")  # the 首报 draft, to copy out
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        assert type(app.screen).__name__ == "TextDialog"
        assert "人民路" in app.screen.query_one("#text-dialog-body").text
        await pilot.press("escape")
        await pilot.pause()
        clock.advance(minutes=21)  # 9 minutes left: inside the 10-minute warning
        screen.tick()
        await pilot.pause()
        assert _cell(app, 0, "status") == "临近"
        assert "09分00秒" in _cell(app, 0, "remaining")
        assert len(bells) == 1
        clock.advance(minutes=10)  # one minute past the phone deadline
        screen.tick()
        await pilot.pause()
        assert _cell(app, 0, "status") == "超时"
        assert len(bells) == 2
        await pilot.press("ctrl+a")  # acknowledged with the reason typed
        await pilot.pause()
        await pilot.press(*"正在核实伤亡", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "已确认" in str(screen.query_one("#board-status", Static).render())
        await pilot.press("ctrl+d")  # the report dialog: a phone 首报, now
        await pilot.pause()
        assert type(app.screen).__name__ == "ReportDialog"
        app.screen.query_one("#report-to").focus()
        await pilot.press(*"市应急局", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "迟报 1 分钟" in str(screen.query_one("#board-status", Static).render())
        # the phone deadline is gone from the board; the written one remains
        assert screen.query_one("#board", CountdownTable).row_count == 1
        assert "书面" in _cell(app, 0, "what")
    assert [view.rule_code for view in deadlines.open_deadlines(desk)] == ["incident_written"]


def test_board_snapshot(desk, clock, officer, snap_compare):
    _incident(desk, officer, "III", 25, "人民路")
    _incident(desk, officer, "I", 5, "河滨公园")
    clock.set(pendulum.parse("2026-11-23T10:00:00+08:00"))
    app = make_app(desk.path, clock=clock)

    async def ready(pilot) -> None:
        await _open_board(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def _style(cell) -> str:
    return str(cell.style) if isinstance(cell, Text) else ""


def _row_styles(table, row_key: str) -> list[str]:
    return [_style(cell) for cell in table.cells(row_key)]


async def test_an_alerting_row_flashes_for_the_profile_period_then_stops(desk, clock, officer):
    _incident(desk, officer, "III", 0, "人民路")  # Tianjin art. 20: phone 30 min, written 60
    first = deadlines.open_deadlines(desk)[0]
    flash = desk.profile.incidents.flash_seconds
    assert flash > 1
    app = make_app(desk.path, clock=clock)
    app.bell = lambda: None  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        screen = app.screen
        table = screen.query_one("#board", CountdownTable)
        key = str(first.id)
        assert not screen.is_flashing(first.id)
        assert not any("reverse" in style for style in _row_styles(table, key))
        clock.advance(minutes=21)  # into the 10-minute warning
        screen.tick()
        assert screen.is_flashing(first.id)
        styles = _row_styles(table, key)
        assert len(styles) == 6 and all("reverse" in style for style in styles)
        assert "yellow" in styles[0]  # the state's colour is kept under the flash
        assert _cell(app, 0, "status") == "临近"  # and its word
        screen.tick()  # the next tick of the one timer: back to normal, still flashing
        assert screen.is_flashing(first.id)
        assert not any("reverse" in style for style in _row_styles(table, key))
        screen.tick()
        assert all("reverse" in style for style in _row_styles(table, key))
        other = str(deadlines.open_deadlines(desk)[1].id)  # the written one: still ok
        assert not screen.is_flashing(int(other))
        assert not any("reverse" in style for style in _row_styles(table, other))
        clock.advance(seconds=flash)  # the flash period is over
        screen.tick()
        assert not screen.is_flashing(first.id)
        styles = _row_styles(table, key)
        assert not any("reverse" in style for style in styles) and "yellow" in styles[0]
        assert _cell(app, 0, "status") == "临近"
        clock.advance(minutes=10)  # overdue now: a new alert flashes again
        screen.tick()
        assert screen.is_flashing(first.id) and _cell(app, 0, "status") == "超时"
        assert all("reverse" in style for style in _row_styles(table, key))


async def test_only_the_rows_on_screen_are_painted_and_a_row_scrolled_to_is_current(
    desk, clock, officer
):
    for index in range(30):  # 60 deadlines: more rows than the screen holds
        _incident(desk, officer, "III", 0, f"人民路{index}号")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        screen = app.screen
        table = screen.query_one("#board", CountdownTable)
        last = table.row_count - 1
        assert last == 59 and table.keys[last] not in table.visible_keys()
        # every column in sight at 120 columns: the label gives way, the article shows
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert "天津规定第二十条" in "".join(segment.text for segment in table.render_line(1))
        painted = "".join(segment.text for segment in table.render_line(1))
        assert "30分00秒" in painted  # the first row, as painted
        clock.advance(minutes=5)
        screen.tick()
        await pilot.pause()
        assert "25分00秒" in "".join(segment.text for segment in table.render_line(1))
        await pilot.press("ctrl+end")  # to the last row
        await pilot.pause()
        assert table.cursor_key == table.keys[last] and table.keys[last] in table.visible_keys()
        bottom = 1 + last - table.scroll_offset.y
        assert "55分00秒" in "".join(segment.text for segment in table.render_line(bottom))
        assert "55分00秒" in _cell(app, last, "remaining")


async def test_the_cursor_row_stays_in_sight_on_a_narrow_terminal(desk, clock, officer):
    """Too narrow for every column: a horizontal scrollbar takes a line, and the cursor row
    (the one Ctrl+A / Ctrl+D act on) must still be painted above it."""
    for index in range(20):
        _incident(desk, officer, "III", 0, f"人民路{index}号")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(70, 24)) as pilot:
        await _open_board(app, pilot)
        table = app.screen.query_one("#board", CountdownTable)
        assert table.virtual_size.width > table.scrollable_content_region.width  # scrollbar
        for key in ("ctrl+end", "pageup", "down", "down", "down"):
            await pilot.press(key)
            await pilot.pause()
            line = 1 + table.cursor_row - table.scroll_offset.y  # the header is line 0
            assert 1 <= line < table.scrollable_content_region.height, key
            assert table.cursor_key in table.visible_keys()


async def test_regrading_from_the_board_with_keys(tmp_path):
    """Henan Ⅲ (report within 1 h) re-graded Ⅱ from the board: the hour is superseded, the
    20/40-minute deadlines appear; no reason: refused, nothing written."""
    from datetime import date

    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.incidents.incident_regrade import regrades_for
    from dutydesk.services.roster.people import add_person, find_person
    from dutydesk.services.roster.shifts import open_shift

    clock = FrozenClock(pendulum.parse("2026-11-23T10:00:00+08:00"))
    desk = init_database(tmp_path / "h.sqlite3", "测试区总值班室", "henan", clock)
    for name in ("张伟", "李娜"):  # Henan 三(一): two officers per shift
        add_person(
            desk, name, "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
        )
    open_shift(desk, "张伟", second_officer="李娜")
    row = _incident(desk, find_person(desk, "张伟"), "III", 30, "人民路")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        board = app.screen
        assert board.query_one("#board", CountdownTable).row_count == 1
        await pilot.press("ctrl+g")
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        assert type(app.screen).__name__ == "RegradeDialog"
        await pilot.press("enter", "up", "enter")  # the level list: from Ⅲ one up to Ⅱ
        await pilot.pause()
        await pilot.press("ctrl+s")  # no reason yet
        await pilot.pause()
        assert type(app.screen).__name__ == "RegradeDialog"
        assert "理由" in str(app.screen.query_one("#regrade-status", Static).render())
        assert regrades_for(desk, row.id) == []
        await pilot.press("tab")
        for char in "死亡人数上升":
            await pilot.press(char)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is board
        assert "Ⅱ级" in str(board.query_one("#board-status", Static).render())
        assert [r.new_level for r in regrades_for(desk, row.id)] == ["II"]
        table = board.query_one("#board", CountdownTable)
        for _ in range(100):  # the board is read again in a worker (CI: not yet at one pause)
            if table.row_count == 2:
                break
            await app.workers.wait_for_complete()
            await pilot.pause(0.02)
        assert table.row_count == 2  # the 20- and 40-minute deadlines; the hour is superseded
        assert "Ⅱ级" in table.cell_text(0, "what")
    desk.close()


async def test_regrading_iv_to_iii_on_the_district_board_shows_the_major_branch(tmp_path):
    """District Ⅳ -> Ⅲ with Ctrl+G (a new officer's find: no deadline was set, the row kept
    citing the chart as for Ⅳ): the row now is the 较大及以上级别 branch's phone report, "尽快"
    (the text sets no minutes), counted from the re-grade, citing that branch."""
    from datetime import date

    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster.people import add_person, find_person
    from dutydesk.services.roster.shifts import open_shift

    clock = FrozenClock(pendulum.parse("2026-11-23T10:00:00+08:00"))
    desk = init_database(tmp_path / "d.sqlite3", "某区政府总值班室", "district", clock)
    for name, role in (("张伟", "officer"), ("王建国", "leader"), ("赵磊", "standby")):
        add_person(desk, name, role, in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
    open_shift(desk, "张伟", leader="王建国", standby="赵磊")
    _incident(desk, find_person(desk, "张伟"), "IV", 30, "人民路")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        board = app.screen
        table = board.query_one("#board", CountdownTable)
        assert table.cell_text(0, "rule") == "区一般突发事件信息处理流程"
        await pilot.press("ctrl+g")
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        await pilot.press("enter", "up", "enter")  # the level list: from Ⅳ one up to Ⅲ
        await pilot.pause()
        await pilot.press("tab")
        for char in "伤亡扩大":
            await pilot.press(char)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is board
        assert "新设时限 1 项" in str(board.query_one("#board-status", Static).render())
        for _ in range(100):  # the board is read again in a worker
            if "Ⅲ级" in table.cell_text(0, "what"):
                break
            await app.workers.wait_for_complete()
            await pilot.pause(0.02)
        assert table.row_count == 1  # the Ⅳ row is superseded
        assert "Ⅲ级" in table.cell_text(0, "what") and "电话报告" in table.cell_text(0, "what")
        assert table.cell_text(0, "rule") == "区一般突发事件信息处理流程（较大及以上级别）"
        assert "定级" in table.cell_text(0, "clock")
        assert "尽快" in _cell(app, 0, "remaining")
    desk.close()


async def test_a_tick_repaints_only_the_rows_whose_countdown_reads_otherwise(desk, clock, officer):
    """Issue 19 (the board's CPU): a countdown in hours and minutes changes once a minute, so a
    tick that changes no row in sight repaints nothing, and one that does repaints those rows."""
    _incident(desk, officer, "IV", 0, "人民路1号")  # 电话 30 min, 书面 60 min: mm:ss
    for index in range(2, 5):
        _incident(desk, officer, "IV", 200, f"人民路{index}号")  # overdue by hours
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        screen = app.screen
        table = screen.query_one("#board", CountdownTable)
        for _ in range(10):  # past the overdue rows' flashing (the profile's 6 s)
            clock.advance(seconds=1)
            screen.tick()
            await pilot.pause()
        repainted: list[int] = []
        table.refresh_line = repainted.append  # type: ignore[method-assign]
        screen.tick()  # the clock has not moved: nothing reads otherwise
        quiet = list(repainted)
        clock.advance(seconds=1)  # the mm:ss rows change, the overdue ones still read 2小时50分
        screen.tick()
        counting = {table.keys[y - 1] for y in repainted}
    shown = {key: screen.views[key] for key in table.keys}
    assert quiet == []
    assert counting == {key for key, view in shown.items() if view.status == "ok"}
    assert len(counting) == 2 and len(shown) == 8


async def test_an_empty_board_says_nothing_is_open_and_a_new_deadline_replaces_it(
    desk, clock, officer
):
    """QA, session 11: with nothing open the board showed only "0 项" and blank lines."""
    assert deadlines.open_deadlines(desk) == []
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        table = app.screen.query_one("#board", CountdownTable)
        assert table.row_count == 0
        assert "没有未完成的报告时限" in table.render_line(1).text
        _incident(desk, officer, "III", 0, "人民路")
        app.screen.reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 2
        assert "没有未完成的报告时限" not in "".join(
            table.render_line(y).text for y in range(table.size.height)
        )
