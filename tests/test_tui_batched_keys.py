"""Keys that arrive together, as a slow link delivers them (QA #2): Backspace and the other
editing keys of a text field keep their place among the characters typed around them.

Textual inserts a character in the field's own key handler but runs a bound key (Backspace,
arrows, Ctrl+W...) only after the key has bubbled up to the app (Textual issue #6605): a
character arriving right behind a Backspace was inserted first, and the Backspace then erased
it. The fields here run their own editing keys in their key handler (widgets/inline_keys.py)."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, TextArea

from dutydesk.app import make_app

SIZE = (120, 36)
# "abcd", two Backspaces, "XY", Left, "z", Backspace, "!": abXz -> abX!Y ... worked out below
BATCH = ["a", "b", "c", "d", "backspace", "backspace", "X", "Y", "left", "z", "backspace", "q"]
EXPECTED = "abXqY"


def _post_all(app, keys: list[str]) -> None:
    """Post every key at once, as the terminal driver does for one read of the terminal."""
    for key in keys:
        character = key if len(key) == 1 else ("\x7f" if key == "backspace" else None)
        app.post_message(events.Key(key, character))


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


@pytest.mark.parametrize("selector", ["#f-caller", "#f-phone", "#f-summary"])
async def test_a_batch_of_keys_with_backspace_is_applied_in_order(desk, clock, selector):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        field = app.screen.query_one(selector)
        field.focus()
        await pilot.pause()
        _post_all(app, BATCH)
        await _ready(app, pilot)
        shown = field.text if isinstance(field, TextArea) else field.value
        assert shown == EXPECTED


async def test_a_batch_in_the_search_dialog_is_applied_in_order(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f9")
        await _ready(app, pilot)
        _post_all(app, BATCH)
        await _ready(app, pilot)
        assert app.screen.query_one("#lookup-input", Input).value == EXPECTED


async def test_ctrl_s_in_a_burst_saves_the_characters_typed_before_it(desk, clock):
    """Breaker: Ctrl+S (a priority key) was acted on as it reached the app, ahead of the
    characters queued at the field just before it: the call was saved as 「积水」 and
    「20厘米」 landed in the next, empty form."""
    from dutydesk.services.calls.calls import list_calls

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        for selector, text in (("#f-caller", "钱"), ("#f-unit", "城关镇"), ("#f-phone", "110")):
            field = app.screen.query_one(selector, Input)
            field.focus()
            field.value = text
        summary = app.screen.query_one("#f-summary", TextArea)
        summary.focus()
        summary.text = "积水"
        summary.move_cursor(summary.document.end)
        await pilot.pause()
        _post_all(app, [*"20厘米", "ctrl+s"])
        await _ready(app, pilot)
        [saved] = list_calls(desk)
        assert saved.summary == "积水20厘米"
        assert app.screen.query_one("#f-summary", TextArea).text == ""
