"""After a handover the cursor stays on the screen in view (new officer, session 18: the calls
screen, hidden under the handover screen, took it back to its form when its list of the new
shift came up empty, and the `v` typed next went into a new call's 来电人)."""

from __future__ import annotations

from dutydesk.app import make_app
from dutydesk.screens.handover_sign import SignOutcome
from dutydesk.services.handover.handover import sign_off
from dutydesk.services.roster.pins import verify_pin
from tests.test_handover_domain import tick_all
from tests.test_tui_handover import SIZE, _prepare, _ready


async def test_the_keys_stay_on_the_handover_screen_after_sign_off(desk, clock, officer):
    _prepare(desk, clock, officer)
    tick_all(desk)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        calls = app.screen
        calls.query_one("#calls-table").focus()  # the officer was reading the list
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "HandoverScreen"
        signed = sign_off(
            desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "314159")
        )
        screen._after_sign(SignOutcome("张伟", "李明", signed.handover.id))  # as the dialog does
        for _ in range(30):  # the new shift's (empty) list is read again meanwhile
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
        assert app.screen is screen
        assert app.focused is not None and app.focused.screen is screen, app.focused
        await pilot.press("f2")
        await _ready(app, pilot)
        assert app.screen is calls and calls.query_one("#f-caller").value == ""
