"""The spot-check screen driven with keys: draw a round, record outcomes, close the round."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, SelectionList, Static

from dutydesk.app import make_app
from dutydesk.services.spotcheck.spotcheck import current_round
from dutydesk.services.spotcheck.spotcheck_views import quota_status
from tests.spotcheck_support import district_desk, make_district_template

SIZE = (120, 36)


@pytest.fixture(scope="module")
def district_template(tmp_path_factory):
    return make_district_template(tmp_path_factory.mktemp("district-tui"))


@pytest.fixture
def ddesk(district_template, db_path, clock):
    yield from district_desk(district_template, db_path, clock)


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char)


async def test_draw_record_and_close_a_round(ddesk, clock):
    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "SpotCheckScreen"
        assert "0/2" in str(screen.query_one("#spotcheck-quota", Static).render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        table = screen.query_one("#spotcheck-units", DataTable)
        drawn = current_round(ddesk)
        assert drawn is not None and table.row_count == len(drawn.units) >= 6  # 60 % of 10
        first = drawn.units[0].name
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "OutcomeScreen"
        await _type(pilot, "王芳")
        faults = app.screen.query_one("#outcome-faults", SelectionList)
        faults.select("comms_down")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SpotCheckScreen"
        latest = current_round(ddesk).units[0].latest
        assert latest is not None and latest.answered_by == "王芳"
        assert latest.faults == ("comms_down",) and drawn.units[0].name == first
        # closing with units unchecked needs a reason
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert type(app.screen).__name__ == "CloseRoundScreen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "CloseRoundScreen", "no reason: refused"
        app.screen.query_one("#close-reason", Input).focus()
        await _type(pilot, "线路故障")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SpotCheckScreen"
    assert current_round(ddesk) is None
    status = quota_status(ddesk)
    assert status.rounds_done == 0, "a round with units not reached does not meet the quota"


def test_spotcheck_screen_snapshot_mid_round(ddesk, clock, snap_compare):
    from dutydesk.services.roster.people import find_person
    from dutydesk.services.spotcheck.spotcheck import record_outcome, start_round

    officer = find_person(ddesk, "张伟")
    drawn = start_round(ddesk, officer, seed=20261123)
    record_outcome(ddesk, drawn.id, drawn.units[0].name, officer, method="phone", answered=True,
                   answered_by="王芳", on_roster=True)  # fmt: skip
    record_outcome(ddesk, drawn.id, drawn.units[1].name, officer, method="video", answered=False)
    app = make_app(ddesk.path, clock=clock)

    async def ready(pilot) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)
