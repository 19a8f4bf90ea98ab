"""Tab moves the cursor as the app takes the key from the terminal, on every screen and in every
dialog (DeskApp's priority Tab): characters typed right after a Tab land in the next field, never
in the one it left (QA: the incident form's `AA` Tab `BB` gave `AABB`; a new PIN typed twice was
"not the same").

Each test types the keys twice: with Pilot.press (which waits for the app to be idle after each
key) and all at once, as a fast typist's terminal delivers them (only the latter lost the Tab)."""

from __future__ import annotations

from textual.widgets import Input

from dutydesk.app import make_app
from tests.support_pilot import send_at_once

SIZE = (120, 36)
KEYS = ["A", "A", "tab", "B", "B", "tab", "C", "C"]
PIN_KEYS = ["9", "7", "5", "3", "1", "8", "tab", "9", "7", "5", "3", "1", "8"]


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(app, pilot, keys: list[str], at_once: bool) -> None:
    if at_once:
        send_at_once(app, keys)
    else:
        await pilot.press(*keys)
    await _ready(app, pilot)


def _focused_input(app) -> Input:
    focused = app.screen.focused
    assert isinstance(focused, Input), focused
    return focused


def _next_input(app, field: Input) -> Input:
    chain = app.screen.focus_chain
    following = chain[chain.index(field) + 1]
    assert isinstance(following, Input), following
    return following


async def test_keys_typed_at_once_land_in_their_fields_in_the_incident_form(desk, clock):
    for at_once in (False, True):
        app = make_app(desk.path, clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            await _ready(app, pilot)
            await pilot.press("f3")
            await _ready(app, pilot)
            await pilot.press("ctrl+n")
            await _ready(app, pilot)
            assert type(app.screen).__name__ == "IncidentForm"
            first = _focused_input(app)  # the time it occurred, then the time received
            second = _next_input(app, first)
            third = _next_input(app, second)
            second.value = ""  # prefilled with now: typed over here
            await _type(app, pilot, KEYS, at_once)
            assert [first.value, second.value, third.value] == ["AA", "BB", "CC"], at_once
            assert app.screen.focused is third


async def test_keys_typed_at_once_land_in_their_fields_in_the_new_pin_dialog(desk, clock):
    from dutydesk.screens.people_dialogs import NewPinDialog

    for at_once in (False, True):
        app = make_app(desk.path, clock=clock)
        async with app.run_test(size=SIZE) as pilot:
            await _ready(app, pilot)
            app.push_screen(NewPinDialog("张伟", "802417"))
            await _ready(app, pilot)
            assert _focused_input(app).id == "new-pin"
            await _type(app, pilot, PIN_KEYS, at_once)
            pins = [app.screen.query_one(f"#{id_}", Input).value
                    for id_ in ("new-pin", "new-pin-again")]  # fmt: skip
            assert pins == ["975318", "975318"], at_once
