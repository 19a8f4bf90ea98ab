"""QA, session 11: a refusal's message stayed on the status line after every field it named had
been put right. A marked field that changes loses its mark; when none is left, the message
goes. A call loaded back into the form with its marks keeps them until its fields change."""

from __future__ import annotations

from textual.widgets import Input

from dutydesk.app import make_app
from tests.test_tui_calls import SIZE, _ready, _status, _type


async def test_the_refusal_goes_once_its_fields_are_put_right(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "李明")
        await pilot.press("tab", "tab")  # the unit left blank
        await _type(pilot, "0371-66000000")
        await pilot.press("tab")
        await _type(pilot, "道路积水")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        unit = screen.query_one("#f-unit", Input)
        refused = _status(app)
        assert refused and unit.has_class("-invalid")
        assert screen.focused is unit  # the cursor goes to the field the refusal names
        await _type(pilot, "城")
        await pilot.pause()
        assert not unit.has_class("-invalid")
        assert _status(app) == ""


async def test_a_change_elsewhere_leaves_the_refusal(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "李明")
        await pilot.press("ctrl+s")  # unit, phone and summary missing
        await pilot.pause()
        refused = _status(app)
        screen = app.screen
        screen.query_one("#f-caller", Input).focus()
        await _type(pilot, "华")  # not a field the refusal named
        await pilot.pause()
        assert _status(app) == refused


async def test_marks_set_with_a_call_loaded_back_stay(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        values = {"caller": "李明", "unit": "", "phone": "0371-66000000", "summary": "积水"}
        assert screen._bring_back(values, ["unit"])
        screen.set_status("未保存", ok=False)
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#f-unit", Input).has_class("-invalid")
        assert _status(app) == "未保存"


async def test_escape_on_the_calls_screen_puts_notes_away(desk, clock):
    """QA, session 12: the signing key's note after a handover export stayed two minutes over
    the calls list, and no key closed it."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.notify("签名密钥已生成", timeout=120, markup=False)
        await pilot.pause(0.2)
        assert len(app._notifications) == 1
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert len(app._notifications) == 0


async def test_ctrl_q_just_after_typing_keeps_what_was_typed(desk, clock):
    """QA, session 12: the form's draft is written 0.3 s after the last key; Ctrl+Q sooner
    lost what had been typed since."""
    from dutydesk.services.core import load_draft

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "李明")
        await pilot.press("ctrl+q")
    kept = load_draft(desk.path, "call")
    assert kept is not None and kept["caller"] == "李明"


async def test_keys_read_with_ctrl_q_are_in_the_draft(desk, clock):
    """Breaker, session 20: text and Ctrl+Q in one read of the terminal (a paste, a slow link)
    quit before the field had taken the text: no draft."""
    from dutydesk.services.core import load_draft
    from tests.support_pilot import send_at_once

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        send_at_once(app, [*"甲乙丙丁trial", "ctrl+q"])
        await pilot.pause(0.5)
    kept = load_draft(desk.path, "call")
    assert kept is not None and kept["caller"] == "甲乙丙丁trial"
