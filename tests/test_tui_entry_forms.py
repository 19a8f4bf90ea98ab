"""Incidents, verification requests (核报) and leaders' instructions (批示) entered in the app, as
an officer would: from a call of that category with one key, or from the deadline board."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static, TextArea

from dutydesk.app import make_app
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.incidents import (
    deadlines,
    list_incidents,
    list_instructions,
    list_verifications,
)
from dutydesk.widgets.countdown_table import CountdownTable

SIZE = (120, 36)
SMALL = (80, 24)


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def _pick(pilot, downs: int) -> None:
    """Open the focused picker and choose the option `downs` below the one shown."""
    await pilot.press("enter")
    for _ in range(downs):
        await pilot.press("down")
    await pilot.press("enter")


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _value(app, field: str) -> str:
    widget = app.screen.query_one(f"#e-{field}")
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return str(widget.value)
    assert isinstance(widget, Input)
    return widget.value


def _board_whats(app) -> list[str]:
    table = app.screen.query_one("#board", CountdownTable)
    return [table.cell_text(row, "what") for row in range(table.row_count)]


async def _board_after_commit(app, pilot, timeout_s: float = 3.0) -> list[str]:
    """The board's items once the app has seen the commit: it looks for commits on a timer
    (DeskApp.start_live), so a loaded machine may show the board a moment before."""
    import time

    ends = time.monotonic() + timeout_s
    while not _board_whats(app) and time.monotonic() < ends:
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
    return _board_whats(app)


def _call(desk, officer, category: str, summary: str, **fields):
    values = {"caller": "刘洋", "unit": "市政府总值班室", "phone": "022-23456789"} | fields
    draft = CallDraft(category=category, summary=summary, **values)
    return save_call(desk, draft, officer)


async def _save(app, pilot) -> None:
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_an_incident_call_opens_the_incident_form_prefilled_and_its_deadlines_reach_the_board(
    desk, clock, officer
):
    call = _call(desk, officer, "incident", "人民路燃气管道破裂，现场已疏散", place="人民路12号")
    clock.advance(minutes=3)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")  # on the selected call of the list
        await pilot.pause()
        assert type(app.screen).__name__ == "IncidentForm"
        assert call.number in _text(app, "#entry-source")
        assert "022-23456789" in _text(app, "#entry-source")
        assert _value(app, "incident_summary") == "人民路燃气管道破裂，现场已疏散"
        assert _value(app, "incident_place") == "人民路12号"
        assert _value(app, "incident_source_caller") == "刘洋"
        assert _value(app, "incident_source_unit") == "市政府总值班室"
        assert _value(app, "incident_received_at") == "2026-11-23 10:00"
        note = _text(app, "#entry-note")
        assert "缺少要素" in note and "死亡人数" in note and "审核人" in note
        assert "事发地点" not in note  # prefilled from the call
        assert app.screen.focused is app.screen.query_one("#e-incident_occurred_at", Input)
        await _type(pilot, "09:50")
        await pilot.press("shift+tab", "shift+tab")  # level, type
        assert app.screen.focused is app.screen.query_one("#e-incident_type", Select)
        await _pick(pilot, 2)  # 事故灾难
        await pilot.press("tab")
        await _pick(pilot, 3)  # Ⅲ级（较大）
        for _ in range(5):  # occurred, received, place, summary: to 死亡人数
            await pilot.press("tab")
        assert app.screen.focused is app.screen.query_one("#e-casualties_dead", Input)
        await _type(pilot, "0")
        note = _text(app, "#entry-note")
        assert "死亡人数" not in note and "受伤人数" in note  # named as they are typed
        await _save(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        assert "已登记事件#1" in _text(app, "#status")
        await pilot.press("f3")
        await app.workers.wait_for_complete()  # the live read the save's commit started
        await pilot.pause()
        whats = await _board_after_commit(app, pilot)
        assert len(whats) == 2 and all("事件#1" in what for what in whats)
    [incident] = list_incidents(desk)
    assert (incident.type, incident.level, incident.dead, incident.injured) == (
        "accident", "III", 0, None,
    )  # fmt: skip
    assert incident.call_id == call.id
    assert incident.occurred_at.in_timezone(desk.timezone).format("HH:mm") == "09:50"


async def test_a_verification_call_asking_for_a_reply_within_minutes_sets_a_deadline_on_the_board(
    desk, clock, officer
):
    _call(desk, officer, "verification", "核实人民路燃气泄漏伤亡情况，请10分钟内电话反馈")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert type(app.screen).__name__ == "VerificationForm"
        assert _value(app, "verification_reply_within") == "10"  # read from the call's words
        assert _value(app, "verification_reply_channel") == "phone"
        assert _value(app, "verification_requested_by") == "市政府总值班室"
        assert _value(app, "verification_subject").startswith("核实人民路")
        assert _text(app, "#entry-note") == (
            "将设定时限：核报电话反馈 20 分钟（天津规定第二十三条）、"
            "核报电话反馈 10 分钟（上级要求）"
        )
        await _save(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        assert "已登记核报#1" in _text(app, "#status")
        await pilot.press("f3")
        await app.workers.wait_for_complete()  # the live read the commit started
        await pilot.pause()
        assert (
            await _board_after_commit(app, pilot)
            == ["核报电话反馈 · 核报#1 核实人民路燃气泄漏伤亡情况，请10分钟内电话反馈"] * 2
        )
        rules = app.screen.query_one("#board", CountdownTable)
        assert {rules.cell_text(row, "rule") for row in range(2)} == {
            "天津规定第二十三条", "上级要求",
        }  # fmt: skip
        assert "10分00秒" in rules.cell_text(0, "remaining")  # the 10 minutes asked come first
    [row] = list_verifications(desk)
    assert (row.reply_within, row.reply_channel) == (10, "phone")


async def test_an_instruction_is_saved_from_the_board_with_no_call(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f3")
        await app.workers.wait_for_complete()  # the live read the commit started
        await pilot.pause()
        assert _board_whats(app) == []
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert type(app.screen).__name__ == "InstructionForm"
        assert not app.screen.query("#entry-source")  # no call behind it
        await pilot.press("tab")  # the time blank: now
        await _type(pilot, "李市长")
        await pilot.press("tab")
        await _type(pilot, "全力救治伤员")
        await pilot.press("tab")
        await _type(pilot, "区卫健委")
        await pilot.press("tab")
        await _type(pilot, "7")  # an incident that does not exist
        await _save(app, pilot)
        assert "没有编号为 7 的突发事件" in _text(app, "#entry-status")
        assert app.screen.query_one("#e-incident_id").has_class("-invalid")
        assert list_instructions(desk) == []
        await pilot.press("backspace")
        await _save(app, pilot)
        assert type(app.screen).__name__ == "DeadlinesScreen"
        assert "已登记批示#1（李市长）" in _text(app, "#board-status")
        tomorrow = clock.now().in_timezone("Asia/Shanghai").add(days=1).format("MM-DD HH:mm")
        assert f"批示落实反馈 {tomorrow}" in _text(app, "#board-status")  # tomorrow's, dated (QA)
        assert await _board_after_commit(app, pilot) == [
            "批示落实反馈 · 批示#1（李市长）"
        ]  # art. 24
    [row] = list_instructions(desk)
    assert (row.leader, row.text, row.passed_to) == ("李市长", "全力救治伤员", "区卫健委")


async def test_bad_input_is_refused_with_the_services_message_and_nothing_is_written(
    desk, clock, officer
):
    _call(desk, officer, "incident", "化工厂起火")
    before = deadlines.open_deadlines(desk)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await _save(app, pilot)  # no type, no level, no time of the event
        status = _text(app, "#entry-status")
        assert "事件类型须选择一项" in status and "事件级别须选择一项" in status
        assert "事发时间必须填写" in status
        assert type(app.screen).__name__ == "IncidentForm"  # still open, as typed
        assert app.screen.query_one("#e-incident_type").has_class("-invalid")
        await pilot.press("shift+tab")  # from the type picker, marked and focused, to the last
        await pilot.press("tab", "tab", "tab")  # type, level, occurred
        await _type(pilot, "9点半")
        await _save(app, pilot)
        assert "9点半" in _text(app, "#entry-status")
        assert app.screen.focused is app.screen.query_one("#e-incident_occurred_at", Input)
        await pilot.press("escape")  # something typed: asked first
        await pilot.pause()
        assert "再按一次 Esc" in _text(app, "#entry-status")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallsScreen"
    assert list_incidents(desk) == []
    assert deadlines.open_deadlines(desk) == before


async def test_a_call_of_another_category_has_no_form(desk, clock, officer):
    _call(desk, officer, "inquiry", "询问防汛物资储备")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallsScreen"
        assert "只有突发事件、核报、领导批示有登记表" in _text(app, "#status")


async def test_the_call_detail_opens_the_form_and_the_english_form_scrolls_at_80x24(
    desk, clock, officer
):
    _call(desk, officer, "incident", "Gas leak on Renmin Road", place="Renmin Road 12")
    app = make_app(desk.path, clock=clock, lang="en")
    async with app.run_test(size=SMALL) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+f", "enter", "enter")  # search, to the list, open the call
        await pilot.pause()
        assert type(app.screen).__name__ == "CallDetailScreen"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert type(app.screen).__name__ == "IncidentForm"
        assert "Missing elements" in _text(app, "#entry-note")
        fields = app.screen.query_one("#entry-fields")
        assert fields.max_scroll_y > 0  # more fields than fit: they scroll
        for _ in range(15):  # from the time of the event down to the reviewer, the last field
            await pilot.press("tab")
        await pilot.pause()
        reviewer = app.screen.query_one("#e-incident_reviewer", Input)
        assert app.screen.focused is reviewer
        assert fields.scroll_y > 0 and reviewer.region.bottom <= fields.region.bottom
        assert "Reviewer" in str(reviewer.border_title)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallDetailScreen"


@pytest.mark.parametrize(("size", "lang"), [(SIZE, "zh"), (SMALL, "zh"), (SMALL, "en")])
def test_incident_form_snapshot(desk, clock, officer, snap_compare, size, lang):
    _call(desk, officer, "incident", "人民路燃气管道破裂，现场已疏散", place="人民路12号")
    app = make_app(desk.path, clock=clock, lang=lang)

    async def ready(pilot) -> None:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")
        await _ready(app, pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor would make the picture differ
        await pilot.pause()  # the footer and the note settle after the form's first frame

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", [SIZE, SMALL])
def test_verification_form_snapshot(desk, clock, officer, snap_compare, size):
    _call(desk, officer, "verification", "核实人民路燃气泄漏伤亡情况，请30分钟内电话反馈")
    app = make_app(desk.path, clock=clock)

    async def ready(pilot) -> None:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")
        await _ready(app, pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor would make the picture differ
        await pilot.pause()  # the footer and the note settle after the form's first frame

    assert snap_compare(app, terminal_size=size, run_before=ready)


async def test_ctrl_q_over_typed_text_in_a_form_asks_first(desk, clock, officer):
    """The registration forms keep no draft: Ctrl+Q over typed text quit and lost it
    (breaker, session 14). It asks, as Esc does; a key between starts over; twice quits."""
    _call(desk, officer, "incident", "化工厂起火")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#e-incident_occurred_at", Input).focus()
        await _type(pilot, "9:30")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and type(app.screen).__name__ == "IncidentForm"
        assert "Ctrl+Q" in _text(app, "#entry-status")
        await _type(pilot, "x")
        await pilot.press("ctrl+q")  # asked again after a key
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_o_on_a_call_already_recorded_as_an_incident_says_so_at_once(
    desk, clock, officer
):
    """New officer, session 16: Ctrl+O opened a blank incident form for a call that already
    was incident #1, refused only at Ctrl+S after the whole form was filled in."""
    from dutydesk.services.incidents import IncidentDraft, record_incident

    call = _call(desk, officer, "incident", "人民路燃气管道破裂，现场已疏散")
    draft = IncidentDraft(type="accident", level="IV", occurred_at=clock.now(),
                          summary="人民路燃气管道破裂", call_number=call.number)  # fmt: skip
    incident = record_incident(desk, draft, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")  # on the selected call of the list
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        status = _text(app, "#status")
        assert f"已登记为突发事件#{incident.id}" in status and call.number in status
