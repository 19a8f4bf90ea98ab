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


async def _settle(app, pilot) -> None:
    """Until the screen's reads and writes (worker threads) are done and shown."""
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_draw_record_and_close_a_round(ddesk, clock):
    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("f4")
        await _settle(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "SpotCheckScreen"
        assert "0/2" in str(screen.query_one("#spotcheck-quota", Static).render())
        await pilot.press("ctrl+n")
        await _settle(app, pilot)
        table = screen.query_one("#spotcheck-units", DataTable)
        drawn = current_round(ddesk)
        assert drawn is not None and table.row_count == len(drawn.units) >= 6  # 60 % of 10
        first = drawn.units[0].name
        await pilot.press("enter")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "OutcomeScreen"
        await _type(pilot, "王芳")
        faults = app.screen.query_one("#outcome-faults", SelectionList)
        faults.select("comms_down")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SpotCheckScreen"
        latest = current_round(ddesk).units[0].latest
        assert latest is not None and latest.answered_by == "王芳"
        assert latest.faults == ("comms_down",) and drawn.units[0].name == first
        # closing with units unchecked needs a reason
        await pilot.press("ctrl+k")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "CloseRoundScreen"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "CloseRoundScreen", "no reason: refused"
        assert app.screen.focused is app.screen.query_one("#close-reason", Input)  # typed there
        await _type(pilot, "线路故障")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SpotCheckScreen"
    assert current_round(ddesk) is None
    status = quota_status(ddesk)
    assert status.rounds_done == 0, "a round with units not reached does not meet the quota"


def _mid_round(ddesk):
    from dutydesk.services.roster.people import find_person
    from dutydesk.services.spotcheck.spotcheck import correct_outcome, record_outcome, start_round

    officer = find_person(ddesk, "张伟")
    drawn = start_round(ddesk, officer, seed=20261123)
    first, second, third = (unit.name for unit in drawn.units[:3])
    record_outcome(ddesk, drawn.id, first, officer, method="phone", answered=True,
                   answered_by="王芳", on_roster=True)  # fmt: skip
    record_outcome(ddesk, drawn.id, second, officer, method="video", answered=False)
    record_outcome(ddesk, drawn.id, third, officer, method="phone", answered=True,
                   name_not_asked=True)  # fmt: skip
    correct_outcome(ddesk, drawn.id, third, officer, reason="漏记问题", method="phone",
                    answered=True, name_not_asked=True, faults=["late_report"])  # fmt: skip


def _on_the_screen(app, *keys: str):
    async def ready(pilot) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        from textual.widgets import Input

        for field in app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor is caught on or off at random
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return ready


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x36", "80x24"])
def test_spotcheck_screen_snapshot_mid_round(ddesk, clock, snap_compare, size):
    _mid_round(ddesk)
    app = make_app(ddesk.path, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=_on_the_screen(app))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_correction_dialog_snapshot_at_80x24(ddesk, clock, snap_compare, lang):
    _mid_round(ddesk)
    app = make_app(ddesk.path, clock=clock, lang=lang)
    ready = _on_the_screen(app, "down", "down", "ctrl+e")
    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


async def test_esc_over_a_typed_outcome_asks_first(ddesk, clock):
    """One Esc closed the outcome dialog and dropped the answerer and note typed (breaker,
    session 15): the first says what would be lost, the second closes; untouched, one closes."""
    from dutydesk.i18n import t

    app = make_app(ddesk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("f4")
        await _settle(app, pilot)
        await pilot.press("ctrl+n")
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "OutcomeScreen"
        await pilot.press("escape")  # nothing typed: closes at once
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SpotCheckScreen"
        await pilot.press("enter")
        await _settle(app, pilot)
        await _type(pilot, "王芳")
        await pilot.press("escape")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "OutcomeScreen"
        status = str(app.screen.query_one("#outcome-status", Static).render())
        assert t("entry_form.cancel_confirm") in status
        await pilot.press("escape")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "SpotCheckScreen"
