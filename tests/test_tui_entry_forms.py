"""Incidents, verification requests (核报) and leaders' instructions (批示) entered in the app, as
an officer would: from a call of that category with one key, or from the deadline board."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from dutydesk.app import make_app
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.incidents import (
    list_incidents,
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
        await pilot.pause()
        whats = _board_whats(app)
        assert len(whats) == 2 and all("事件#1" in what for what in whats)
    [incident] = list_incidents(desk)
    assert (incident.type, incident.level, incident.dead, incident.injured) == (
        "accident", "III", 0, None,
    )  # fmt: skip
    assert incident.call_id == call.id
    assert incident.occurred_at.in_timezone(desk.timezone).format("HH:mm") == "09:50"
