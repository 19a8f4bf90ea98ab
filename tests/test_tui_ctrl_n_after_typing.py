"""Ctrl+N asks before clearing what was typed, even when the characters typed right before it
are still on their way to the field (it saw an empty form and did not ask: the characters then
stayed, and nothing was said; session 15)."""

from __future__ import annotations

from dutydesk.app import make_app
from dutydesk.i18n import t
from tests.support_pilot import send_at_once


async def test_ctrl_n_right_after_typing_asks_before_clearing(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        caller = app.screen.query_one("#f-caller")
        send_at_once(app, ["李", "明", "ctrl+n"])
        for _ in range(50):
            await pilot.pause(0.02)
            if caller.value == "李明":
                break
        await pilot.pause()
        assert caller.value == "李明"  # not cleared without asking
        status = str(app.screen.query_one("#status").render())
        assert t("calls_screen.new_confirm") in status
        await pilot.press("ctrl+n")  # the second clears
        await pilot.pause()
        assert caller.value == ""
