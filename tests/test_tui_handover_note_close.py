"""Esc on the handover screen puts away the notes shown there (the signing key's note stays two
minutes over the keys row; the officer had to go to F2 to close it: new officer, session 15)."""

from __future__ import annotations

from dutydesk.app import make_app
from tests.test_tui_handover import SIZE, _prepare, _ready


async def test_esc_on_the_handover_screen_closes_the_notes(desk, clock, officer):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "HandoverScreen"
        app.notify("签字密钥已生成", severity="warning", timeout=120, markup=False)
        await pilot.pause()
        assert len(app._notifications) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert len(app._notifications) == 0
        assert type(app.screen).__name__ == "HandoverScreen"
