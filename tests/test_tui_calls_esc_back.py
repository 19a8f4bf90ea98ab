"""Esc out of the calls screen's search (or its list) puts the cursor back in the form field the
officer left, at the end of its text with nothing selected: the next key adds to what was typed
there (QA: it went to the caller, all selected, and `李` replaced `张伟`, in the draft too)."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from dutydesk.app import make_app
from dutydesk.widgets.call_list import CallTable
from tests.support_pilot import send_at_once

SIZE = (120, 36)


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char)


def _value(app, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


async def test_esc_from_the_search_goes_back_to_the_field_left_and_adds_to_it(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "张伟")
        await pilot.press("tab")
        await _type(pilot, "城关镇")
        await pilot.press("ctrl+f")
        await _type(pilot, "积水")
        await _ready(app, pilot)
        assert app.screen.focused is app.screen.query_one("#search")
        await pilot.press("escape")
        await _ready(app, pilot)
        unit = app.screen.query_one("#f-unit", Input)
        assert app.screen.focused is unit
        assert unit.selection.is_empty and unit.cursor_position == len("城关镇")
        await pilot.press("李")
        await _ready(app, pilot)
        assert _value(app, "#f-caller") == "张伟"
        assert _value(app, "#f-unit") == "城关镇李"
        assert _value(app, "#search") == ""


async def test_esc_from_the_list_goes_back_to_the_summary_at_its_end(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        summary = app.screen.query_one("#f-summary", TextArea)
        summary.focus()
        await pilot.pause()
        await _type(pilot, "路面积水")
        await pilot.press("home")
        app.screen.query_one(CallTable).focus()
        await pilot.pause()
        await pilot.press("escape")
        await _ready(app, pilot)
        assert app.screen.focused is summary
        assert summary.selection.is_empty and summary.cursor_location == (0, 4)
        await pilot.press("深")
        assert summary.text == "路面积水深"


async def test_a_field_tabbed_back_into_keeps_its_text_as_a_key_is_typed(desk, clock):
    """Shift+Tab back to the caller, then a key: added at the end, never typed over the name."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "张伟")
        await pilot.press("tab", "shift+tab", "明")
        await _ready(app, pilot)
        assert _value(app, "#f-caller") == "张伟明"


async def test_esc_before_any_field_was_left_goes_to_the_caller(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+f")
        await _type(pilot, "积水")
        await pilot.press("escape")
        await _ready(app, pilot)
        assert app.screen.focused is app.screen.query_one("#f-caller")


async def test_keys_typed_right_after_ctrl_f_go_to_the_search_and_after_esc_to_the_form(
    desk, clock
):
    """Typed at once (tmux, a fast typist): Ctrl+F took the focus only after the characters
    that followed it had gone to the unit."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        keys = ["张", "伟", "tab", "城", "关", "ctrl+f", "积", "水", "escape", "镇"]
        send_at_once(app, keys)
        await _ready(app, pilot)
        assert _value(app, "#f-caller") == "张伟"
        assert _value(app, "#f-unit") == "城关镇"
        assert _value(app, "#search") == ""


async def test_esc_in_an_open_dropdown_closes_it_and_stays_there(desk, clock):
    from textual.widgets import Select

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        category = app.screen.query_one("#f-category", Select)
        category.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert category.expanded
        await pilot.press("escape")
        await _ready(app, pilot)
        assert not category.expanded and app.screen.focused is category
