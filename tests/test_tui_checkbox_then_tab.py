"""Space then Tab typed together on a check box tick that box, not the next one: Space was run as
it came back to the app, after the priority Tab had moved the focus (3 of 12 tries ticked 需跟进
for 已核实身份: breaker, session 15)."""

from __future__ import annotations

from textual.widgets import Checkbox

from dutydesk.app import make_app
from tests.support_pilot import send_at_once


async def test_space_then_tab_ticks_the_box_it_was_typed_on(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        verified = app.screen.query_one("#f-verified", Checkbox)
        follow_up = app.screen.query_one("#f-follow-up", Checkbox)
        for _ in range(5):  # the race is a matter of timing: a few tries
            verified.value = follow_up.value = False
            verified.focus()
            await pilot.pause()
            send_at_once(app, ["space", "tab"])
            for _ in range(50):
                await pilot.pause(0.01)
                if app.focused is not verified and verified.value:
                    break
            await pilot.pause()
            assert (verified.value, follow_up.value) == (True, False)
            assert app.focused is not verified
