"""The open-shift dialog follows the slot: left open from the day shift into the night, its
proposal becomes the night's rostered crew (a choice made by hand stays), and Ctrl+S opens the
night shift with them."""

from __future__ import annotations

import pendulum
from textual.widgets import Select

from dutydesk.app import make_app
from dutydesk.services.roster import on_duty
from dutydesk.services.roster.rotation import generate_month
from dutydesk.services.roster.shift_roster import proposal
from tests.roster_support import PLANNER, staff
from tests.support_pilot import until_mounted

NIGHT = "2026-11-23T18:30:00+08:00"  # T0 is 10:00, the day shift; the night begins at 18:00


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_the_proposal_follows_the_slot_while_the_dialog_is_open(bare_desk, clock):
    desk = bare_desk
    names = staff(desk, leaders=3, officers=4)
    generate_month(desk, 2026, 11, seed=7, by=PLANNER)
    day = proposal(desk).names
    clock.set(pendulum.parse(NIGHT))
    night = proposal(desk).names
    clock.set(pendulum.parse("2026-11-23T10:00:00+08:00"))
    assert day["officer"] != night["officer"]
    by_hand = next(name for name in names["leader"] if name not in (day["leader"], night["leader"]))

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "OpenShiftScreen"
        await until_mounted(pilot, screen)
        officer = screen.query_one("#shift-officer", Select)
        leader = screen.query_one("#shift-leader", Select)
        assert (officer.value, leader.value) == (day["officer"], day["leader"])
        leader.value = by_hand  # the officer's own choice

        clock.set(pendulum.parse(NIGHT))
        screen.follow_slot()  # what the timer of the dialog does
        await _ready(app, pilot)
        assert officer.value == night["officer"]  # the proposal followed the slot
        assert leader.value == by_hand  # the hand's choice stayed
        assert night["officer"] in str(screen.query_one("#open-shift-roster").render())

        leader.value = night["leader"]
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ != "OpenShiftScreen"
    duty = on_duty(desk)
    assert duty is not None and (duty.officer, duty.leader) == (night["officer"], night["leader"])
