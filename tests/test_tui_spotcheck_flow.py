"""The spot-check screen as an officer goes through a round (issue 15, item 4): the cursor after
each outcome, a unit with a result not reopened by Enter, a correction with a reason, 接听人 or
未问姓名, and the outcome dialog at 80x24 (it scrolls; the note is seen while typed)."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, DataTable, Input, SelectionList, Static

from dutydesk.app import make_app
from dutydesk.services.spotcheck.spotcheck import current_round
from dutydesk.services.spotcheck.spotcheck_table import check_table
from tests.spotcheck_support import district_desk, make_district_template, snapshot

SMALL = (80, 24)


@pytest.fixture(scope="module")
def district_template(tmp_path_factory):
    return make_district_template(tmp_path_factory.mktemp("district-flow"))


@pytest.fixture
def ddesk(district_template, db_path, clock):
    yield from district_desk(district_template, db_path, clock)


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char)


async def _open_round(app, pilot):
    await _settle(app, pilot)
    await pilot.press("f4")
    await _settle(app, pilot)
    await pilot.press("ctrl+n")
    await _settle(app, pilot)
    assert type(app.screen).__name__ == "SpotCheckScreen"
    return app.screen.query_one("#spotcheck-units", DataTable)


async def _record_named(app, pilot, name: str = "王芳") -> None:
    await pilot.press("enter")
    await _settle(app, pilot)
    assert type(app.screen).__name__ == "OutcomeScreen"
    await _type(pilot, name)
    await pilot.press("ctrl+s")
    await _settle(app, pilot)
    assert type(app.screen).__name__ == "SpotCheckScreen", _status(app, "#outcome-status")


def _status(app, selector: str = "#spotcheck-status") -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_the_cursor_moves_to_the_next_unit_without_a_result(ddesk, clock):
    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        table = await _open_round(app, pilot)
        await _record_named(app, pilot)
        assert table.cursor_row == 1, "to the next unit without a result, not back to row 1"
        await pilot.press("down", "down")
        await _record_named(app, pilot, "李四")
        assert table.cursor_row == 4
        last = table.row_count - 1
        table.move_cursor(row=last)
        await _record_named(app, pilot, "赵六")
        assert table.cursor_row == 1, "from the last row, on to the first unit still unchecked"
    drawn = current_round(ddesk)
    assert [u.state for u in drawn.units].count("answered") == 3


async def test_enter_on_a_unit_with_a_result_does_not_reopen_it(ddesk, clock):
    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        table = await _open_round(app, pilot)
        await _record_named(app, pilot)
        first = current_round(ddesk).units[0].name
        before = snapshot(ddesk.path)
        await pilot.press("up", "enter")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SpotCheckScreen" and table.cursor_row == 0
        said = _status(app)
        assert first in said and "不能再记一次结果" in said and "Ctrl+E" in said
        assert snapshot(ddesk.path) == before


async def test_a_correction_in_the_app_needs_a_reason_and_shows_once(ddesk, clock):
    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        table = await _open_round(app, pilot)
        await _record_named(app, pilot)
        await pilot.press("up", "ctrl+e")
        await _settle(app, pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "OutcomeScreen"
        assert "在岗正常" in str(dialog.query_one("#outcome-now", Static).render())
        assert dialog.query_one("#outcome-by", Input).value == "王芳"  # the result as it stands
        dialog.query_one("#outcome-faults", SelectionList).select("absent")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.screen is dialog, "no reason: refused"
        assert "更正原因" in _status(app, "#outcome-status")
        assert dialog.query_one("#outcome-reason", Input).has_class("-invalid")
        await _type(pilot, "漏记脱岗")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SpotCheckScreen"
        assert table.cursor_row == 1
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[3] == "发现问题（已更正）"
        assert "在岗正常 → 发现问题" in _status(app)
    unit = current_round(ddesk).units[0].name
    from dutydesk.services.roster.shifts import current_shift

    rows = [r for r in check_table(ddesk, current_shift(ddesk))[1] if r[1] == unit]
    assert len(rows) == 1 and rows[0][5] == "发现问题" and "更正原因：漏记脱岗" in rows[0][7]


async def test_an_answered_check_needs_a_name_or_name_not_asked(ddesk, clock):
    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_round(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        dialog = app.screen
        before = snapshot(ddesk.path)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.screen is dialog and "未问姓名" in _status(app, "#outcome-status")
        assert snapshot(ddesk.path) == before
        no_name = dialog.query_one("#outcome-no-name", Checkbox)
        assert "未问姓名：否" in str(no_name.label)
        no_name.focus()
        await pilot.press("space")
        assert "未问姓名：是" in str(no_name.label)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SpotCheckScreen"
    latest = current_round(ddesk).units[0].latest
    assert latest.answered and latest.answered_by == ""


async def test_at_80x24_the_dialog_scrolls_to_the_note_and_the_keys_are_in_the_footer(ddesk, clock):
    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=SMALL) as pilot:
        await _open_round(app, pilot)
        keys = app.screen.query_one("#desk-footer").query("FooterKey")  # its two rows
        labels = [str(key.description) for key in keys]
        shown = [key for key in keys if key.region.right <= SMALL[0]]
        for label in ("开始一轮", "记录结果", "更正结果", "结束本轮"):
            assert any(label in str(key.description) for key in shown), (label, labels)
        await pilot.press("enter")
        await _settle(app, pilot)
        dialog = app.screen
        box = dialog.query_one("#outcome-box")
        note = dialog.query_one("#outcome-note", Input)
        assert box.max_scroll_y > 0, "the dialog is taller than 24 lines: it must scroll"
        note.focus()
        await _type(pilot, "值班员说明情况")
        await pilot.pause()
        assert note.value == "值班员说明情况"
        assert box.scroll_y > 0
        assert box.content_region.contains_region(note.region), "the note is seen while typed"


async def test_keys_sent_with_no_pause_land_before_the_save_and_the_row_choice(ddesk, clock):
    """Ctrl+S, Enter and Ctrl+E are priority keys: they must act on what was typed before."""
    from textual import events

    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        table = await _open_round(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        for key, char in [*((c, c) for c in "李四"), ("ctrl+s", None)]:
            app.post_message(events.Key(key, char))  # all at once, as a fast typist sends them
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SpotCheckScreen", _status(app, "#outcome-status")
        assert current_round(ddesk).units[0].latest.answered_by == "李四"
        assert table.cursor_row == 1
        for key in ("up", "enter"):
            app.post_message(events.Key(key, None))
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SpotCheckScreen", "row 1 has a result: not reopened"
        assert "不能再记一次结果" in _status(app)


async def test_an_outcome_refused_for_its_time_is_said_not_a_crash(ddesk, clock):
    """Review, session 11: a refusal naming no field of the dialog (the check time before the
    round's draw: the clock stepped back) looked up a selector Textual cannot parse and ended
    the app with a traceback."""
    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_round(app, pilot)
        clock.advance(minutes=-10)  # NTP stepped the clock back after the draw
        await pilot.press("enter")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "OutcomeScreen"
        await _type(pilot, "王芳")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "OutcomeScreen"  # kept, with what was typed
        assert "不能早于本轮抽取时间" in _status(app, "#outcome-status")
        assert app.screen.query_one("#outcome-by", Input).value == "王芳"
