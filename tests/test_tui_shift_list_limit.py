"""The calls screen's list of the shift (no search typed) lists up to SHIFT_LIMIT calls, and when
the shift has more, its title says these are the newest, as the search's does (QA: it stopped at
50 calls, the search's limit, titled "本班电话记录 50 条" for a shift of 121)."""

from __future__ import annotations

import pytest

from dutydesk.app import make_app
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.calls.first_look import read_first_look
from dutydesk.widgets.call_list import CallTable

SIZE = (120, 36)
CALLS = 60


@pytest.fixture
def sixty_calls(desk, officer):
    for n in range(1, CALLS + 1):
        draft = CallDraft(caller="李红", unit="城关镇", phone="13800000000", summary=f"第{n}条")
        save_call(desk, draft, officer)
    return desk


async def _shift_list(app, pilot) -> CallTable:
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert type(app.screen).__name__ == "CallsScreen"
    return app.screen.query_one("#calls-table", CallTable)


async def test_the_shift_list_shows_all_sixty_calls_of_the_shift(sixty_calls, clock):
    app = make_app(sixty_calls.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _shift_list(app, pilot)
        assert table.row_count == CALLS
        assert str(table.border_title) == f"本班电话记录 {CALLS} 条"


async def test_a_shift_with_more_than_the_limit_lists_its_newest_and_says_so(
    sixty_calls, clock, monkeypatch
):
    monkeypatch.setattr("dutydesk.screens.calls.SHIFT_LIMIT", 20)
    monkeypatch.setattr("dutydesk.services.calls.first_look.SHIFT_LIMIT", 20)
    app = make_app(sixty_calls.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _shift_list(app, pilot)
        assert table.row_count == 20
        assert str(table.border_title) == "本班电话记录：最新 20 条（还有更早的）"
        assert table.shown_numbers()[0] == f"2026-{CALLS:06d}"  # the newest first
        assert table.shown_numbers()[-1] == f"2026-{CALLS - 19:06d}"


def test_the_first_look_reads_the_newest_and_whether_there_are_more(
    sixty_calls, clock, monkeypatch
):
    look = read_first_look(sixty_calls.path, clock.now())
    assert look is not None and (len(look.calls), look.more) == (CALLS, False)
    monkeypatch.setattr("dutydesk.services.calls.first_look.SHIFT_LIMIT", CALLS - 1)
    look = read_first_look(sixty_calls.path, clock.now())
    assert look is not None and (len(look.calls), look.more) == (CALLS - 1, True)
    assert look.calls[0].number == f"2026-{CALLS:06d}"
