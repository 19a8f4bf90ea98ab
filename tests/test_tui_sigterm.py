"""`kill PID` (SIGTERM) ends the app as Ctrl+Q does, without its question: what the form holds is
written to its draft first, and Textual gives the terminal back (breaker, session 19: the
terminal was left in the app's screen with the mouse reported, and keys typed within 0.3 s of
the kill were lost). The signal's own default comes back when the app ends."""

from __future__ import annotations

import os
import signal

from textual.widgets import Input

from dutydesk.app import make_app
from dutydesk.screens.pending_files import FORM_DRAFT
from dutydesk.services.core import load_draft
from dutydesk.startup_app import ENDED_BY_SIGTERM
from tests.test_tui_calls import SIZE, _ready, _type


async def test_sigterm_keeps_the_draft_and_ends_the_app(desk, clock):
    before = signal.getsignal(signal.SIGTERM)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL  # else: no kill
        await _type(pilot, "李明")
        os.kill(os.getpid(), signal.SIGTERM)  # before the draft's 0.3 s
        await pilot.pause(0.2)
    assert app.return_code == ENDED_BY_SIGTERM
    assert load_draft(desk.path, FORM_DRAFT)["caller"] == "李明"
    assert signal.getsignal(signal.SIGTERM) == before
    again = make_app(desk.path, clock=clock)
    async with again.run_test(size=SIZE) as pilot:
        await _ready(again, pilot)
        assert again.screen.query_one("#f-caller", Input).value == "李明"


async def test_an_app_run_inside_another_leaves_sigterm_as_it_found_it(desk, clock):
    """CI, session 21: the inner app's end put back the outer one's handler with nothing
    behind it, and SIGTERM was ignored in the test process from then on."""
    before = signal.getsignal(signal.SIGTERM)
    outer, inner = make_app(desk.path, clock=clock), make_app(desk.path, clock=clock)
    async with outer.run_test(size=SIZE) as pilot:
        await _ready(outer, pilot)
        async with inner.run_test(size=SIZE) as other:
            await _ready(inner, other)
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL  # the outer one's still
    assert signal.getsignal(signal.SIGTERM) == before
