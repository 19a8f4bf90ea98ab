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
