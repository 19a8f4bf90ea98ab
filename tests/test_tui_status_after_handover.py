"""The status lines after a handover: the incoming officer saw the outgoing one's last message
on the calls screen and the board (a new officer's shift, session 17). What was said before the
new shift opened is cleared; what the handover itself says stays."""

from __future__ import annotations

from textual.widgets import Static

from dutydesk.app import make_app
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char)


def _said(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_the_last_shifts_messages_are_gone_after_the_handover(ready, clock):  # noqa: F811
    tick_all(ready)
    app = make_app(ready.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "周涛")  # the outgoing officer's last call
        await pilot.press("tab")
        await _type(pilot, "城关镇")
        await pilot.press("tab")
        await _type(pilot, "0371-66000000")
        await pilot.press("tab")
        await _type(pilot, "西关积水已退")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert "2026-000002" in _said(app, "#status")
        await pilot.press("f3", "ctrl+a")  # the board: nothing to acknowledge on it
        await _ready(app, pilot)
        board_said = _said(app, "#board-status")
        assert board_said
        clock.advance(minutes=10)

        await pilot.press("f5")
        await _ready(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SignOffScreen"
        for typed in ("271828", "李明", "314159", "王建国", "161803"):
            await _type(pilot, typed)
            await pilot.press("enter")
            await pilot.pause()
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "HandoverScreen"
        assert "李明" in _said(app, "#handover-status")  # the handover's own word stays

        await pilot.press("f2")
        await _ready(app, pilot)
        assert _said(app, "#status") == ""
        await pilot.press("f3")
        await _ready(app, pilot)
        assert _said(app, "#board-status") == ""


async def test_a_handover_from_another_terminal_clears_the_screen_shown(ready, clock):  # noqa: F811
    """Signed with the command line while the board is up: its message goes too."""
    tick_all(ready)
    app = make_app(ready.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        await pilot.press("f3", "ctrl+a")  # nothing to acknowledge: said on the status line
        await _ready(app, pilot)
        assert _said(app, "#board-status")
        clock.advance(minutes=10)
        _sign(ready)
        for _ in range(150):  # the app sees another terminal's commit within a second
            if not _said(app, "#board-status"):
                break
            await pilot.pause(0.02)
        assert _said(app, "#board-status") == ""
