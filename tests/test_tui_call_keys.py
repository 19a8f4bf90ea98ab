"""Keys typed faster than the screen redraws land in the field that had focus when each was
typed: a Tab is never applied after the characters that follow it."""

from __future__ import annotations

from textual.widgets import Input

from dutydesk.app import make_app
from tests.support_pilot import send_at_once

SIZE = (120, 36)


async def test_keys_sent_with_no_pause_land_in_their_fields(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        keys = ["王", "五", "tab", "城", "关", "tab", "1", "2", "3", "tab", "c", "c", "c"]
        send_at_once(app, keys)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#f-caller", Input).value == "王五"
        assert screen.query_one("#f-unit", Input).value == "城关"
        assert screen.query_one("#f-phone", Input).value == "123"
        assert screen.focused is not None and screen.focused.id == "f-summary"
        assert screen.query_one("#f-summary").text == "ccc"
