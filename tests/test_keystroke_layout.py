"""A character typed into a field repaints the field, and does not lay the whole screen out
again (Input's virtual size follows its text; Widget's asks for a layout at each change: the
calls screen took 12-20 ms from key to paint instead of 3)."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Input

from dutydesk.app import make_app
from dutydesk.widgets.inline_keys import DeskInput


async def test_typing_in_the_call_form_lays_nothing_out(desk, clock, monkeypatch):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause(0.3)  # the start-up's last layouts (the keys row) done
        field = app.focused
        assert isinstance(field, DeskInput)
        layouts: list[Screen] = []
        refresh_layout = Screen._refresh_layout

        def counted(screen: Screen, size=None, scroll: bool = False) -> None:
            layouts.append(screen)
            refresh_layout(screen, size, scroll)

        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        await pilot.press(*"wangjianguo")
        await pilot.pause()
        assert field.value == "wangjianguo"
        assert layouts == []


async def test_a_long_text_still_scrolls_to_the_cursor(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        field = app.focused
        assert isinstance(field, Input)
        text = "0123456789" * 8  # wider than the field
        await pilot.press(*text)
        await pilot.pause()
        assert field.value == text
        assert field.scroll_x > 0 and field.max_scroll_x > 0
        shown = "".join(segment.text for segment in field.render_line(0))
        assert "789" in shown and "0123456789" * 3 not in shown
