"""The roster's screen built ahead (about 120 ms of the UI thread) waits for a pause in the
officer's typing: a key typed then waited behind it (QA, session 15)."""

from __future__ import annotations

import time

from dutydesk.app import make_app


def _built(app) -> bool:
    try:
        app.get_screen_stack("roster")
    except KeyError:
        return False
    return True


async def test_the_roster_is_built_ahead_only_in_a_pause_of_the_typing(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        timer = app._build_ahead
        if timer is not None:
            timer.stop()
        assert not _built(app)
        await pilot.press("a")  # the officer typing
        app._build_screens_ahead()
        assert not _built(app), "built between two keys"
        app.last_key_at = time.monotonic() - 10  # a pause since
        for _ in range(40):
            await pilot.pause(0.05)
            if _built(app):
                break
        assert _built(app)
