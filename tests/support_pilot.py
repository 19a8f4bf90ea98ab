"""Waiting in Pilot tests for what a loaded machine may not have done yet."""

from __future__ import annotations

from typing import Any


async def until_mounted(pilot: Any, screen: Any) -> None:
    """Wait until every widget of the screen is mounted: a Select takes its value on mount,
    and on a loaded machine a test can read it before then."""
    for _ in range(250):
        if screen.is_mounted and all(widget.is_mounted for widget in screen.query("*")):
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{type(screen).__name__} not mounted after 5 s")


def send_at_once(app: Any, keys: list[str]) -> None:
    """Queue every key on the app in one go, as a fast typist's terminal delivers them: no
    pause, no redraw between them (Pilot.press waits for idle after each key)."""
    from textual import events

    for key in keys:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
