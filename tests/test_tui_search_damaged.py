"""An index of the calls' search damaged by hand (breaker, session 21): the app stopped with a
traceback at the next search, at a phone typed into the form, and at every start after (the
draft's phone was looked up again). The app now says what is wrong and what to run, and the
record is saved all the same."""

from __future__ import annotations

from textual.widgets import Input

from dutydesk.app import make_app
from dutydesk.services.calls.calls import list_calls
from tests.support_reliability import tamper
from tests.test_tui_calls import SIZE, _ready, _status, _type


async def test_a_damaged_index_is_said_and_the_app_goes_on(desk, clock):
    desk.close()
    tamper(desk.path, "DROP TABLE call_fts_docsize")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "李明")
        for text in ("城关镇", "0371-99887766", "人民路积水"):
            await pilot.press("tab")
            await _type(pilot, text)
        await _ready(app, pilot)
        await pilot.pause(0.3)
        assert "reindex" in _status(app)
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        await pilot.press("ctrl+f")
        await _type(pilot, "积水")
        await _ready(app, pilot)
        assert app.is_running and "reindex" in _status(app)
        assert app.screen.query_one("#search", Input).value == "积水"
    assert [view.caller for view in list_calls(desk)] == ["李明"]
