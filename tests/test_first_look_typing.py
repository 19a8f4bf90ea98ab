"""The calls screen's take-over from the first look (200-400 ms of the UI thread) waits for a
pause in the officer's typing, not between two keys; after a Ctrl+S there it does not wait
(the keys typed after it are held unseen until that save)."""

from __future__ import annotations

import time

import pytest

import dutydesk.services.core as core
from dutydesk.startup_app import DeskOpened, StartingApp
from dutydesk.widgets.throttle import TYPING_PAUSE_S
from tests.support_first_look import hold, started, three_calls, until


@pytest.fixture
def calls_desk(desk, officer):
    three_calls(desk, officer)
    return desk


def _posted(monkeypatch) -> list[float]:  # noqa: ANN001
    """When DeskOpened is posted (time.monotonic())."""
    posted: list[float] = []
    real_post = StartingApp.post_message

    def post(self, message):  # noqa: ANN001, ANN202
        if isinstance(message, DeskOpened):
            posted.append(time.monotonic())
        return real_post(self, message)

    monkeypatch.setattr(StartingApp, "post_message", post)
    return posted


async def test_the_take_over_waits_for_a_pause_in_the_typing(calls_desk, clock, monkeypatch):
    held, release = hold(monkeypatch, core, "open_desk")
    posted = _posted(monkeypatch)
    async with started(calls_desk, clock, held.is_set) as (app, pilot):
        await pilot.press(*"李四")
        typed = app.last_key_at
        release.set()  # the register opens while the officer is typing
        await until(pilot, lambda: app.desk is not None)
        await app.workers.wait_for_complete()  # the take-over done
        await pilot.pause()
        assert posted and posted[0] >= typed + TYPING_PAUSE_S
        assert app.screen.query_one("#f-caller").value == "李四"


async def test_after_a_ctrl_s_the_take_over_does_not_wait(calls_desk, clock, monkeypatch):
    held, release = hold(monkeypatch, core, "open_desk")
    posted = _posted(monkeypatch)
    async with started(calls_desk, clock, held.is_set) as (app, pilot):
        await pilot.press(*"周涛", "tab", *"城关镇", "tab", *"0371-66123456", "tab")
        await pilot.press(*"西关路口积水", "ctrl+s")
        typed = app.last_key_at
        release.set()
        await until(pilot, lambda: app.desk is not None)
        await app.workers.wait_for_complete()  # the take-over and the held save done
        await pilot.pause()
        assert posted and posted[0] < typed + TYPING_PAUSE_S
