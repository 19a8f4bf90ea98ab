"""Keys typed straight after a key that opens a field go into that field, whatever the pace: a
new officer's shift (session 17) typed `n` and a note in one burst on the handover checklist, and
the note's letters were taken as the checklist's keys (a later note landed against another item);
and after a handover, F2 put the cursor back on the empty call list, where the first caller's
name was lost."""

from __future__ import annotations

from textual.widgets import Input

from dutydesk.app import make_app
from tests.support_pilot import send_at_once
from tests.test_tui_handover import SIZE, _prepare, _ready


async def test_a_note_typed_straight_after_n_goes_into_the_note(desk, clock, officer):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "HandoverScreen"
        item = screen.current_item()
        assert item is not None
        send_at_once(app, ["n", "d", "s", "a"])  # "d" and "s" are the checklist's keys too
        for _ in range(50):
            await pilot.pause(0.02)
        note = screen.query_one("#handover-note", Input)
        assert note.value == "dsa", note.value
        assert screen.checklist.item(item.key).state == item.state  # nothing marked meanwhile


async def test_on_an_empty_shift_the_calls_screen_s_keys_go_to_the_form(desk, clock, officer):
    # a shift with no call yet, as after a handover: the list is empty
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        table = screen.query_one("#calls-table")
        assert table.row_count == 0
        await pilot.press("ctrl+f", "tab")  # from the search to the list
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        await pilot.press("f2")
        await _ready(app, pilot)
        assert app.screen is screen
        send_at_once(app, ["王", "明"])
        for _ in range(50):
            await pilot.pause(0.02)
        assert screen.query_one("#f-caller", Input).value == "王明"
