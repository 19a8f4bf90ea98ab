"""Navigation keys needed to log a typical call (issue 15): a scripted Pilot run of the app on
the ten-year register logs an incoming 咨询 (inquiry, the commonest category) call with caller,
unit, phone, content and handling, and counts every key that is not text: Tab, a digit that
picks an option, Ctrl+S... The call is read back to check that each field landed where it
belongs, so a key saved by landing in the wrong field cannot pass."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

TARGET = 8
CALL = {
    "caller": "王海燕",
    "unit": "城关镇",
    "phone": "0371-66123456",
    "summary": "咨询明日防汛会议时间地点",
    "handling": "已答复",
}
# (keys, what they are): text is typed into the field that has the focus; a step of keys is
# navigation. The app opens with the caller field focused.
SCRIPT: list[tuple[str, list[str]]] = [
    ("text", [CALL["caller"]]),
    ("nav", ["tab"]),
    ("text", [CALL["unit"]]),
    ("nav", ["tab"]),
    ("text", [CALL["phone"]]),
    ("nav", ["tab"]),
    ("text", [CALL["summary"]]),
    ("nav", ["tab", "4"]),  # to the category; 4 is 咨询 (inquiry)
    ("nav", ["tab"]),
    ("text", [CALL["handling"]]),
    ("nav", ["ctrl+s"]),
]


async def _log_a_call(db: Path, frozen_at: str) -> dict[str, Any]:
    from dutydesk.app import make_app
    from dutydesk.clock import FrozenClock

    app = make_app(db, clock=FrozenClock(frozen_at))
    nav_keys: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for kind, items in SCRIPT:
            if kind == "nav":
                nav_keys.extend(items)
                await pilot.press(*items)
            else:
                await pilot.press(*items[0])
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
    return {"keys": nav_keys}


def _saved_as_typed(db: Path, frozen_at: str) -> bool:
    from dutydesk.clock import FrozenClock
    from dutydesk.services.calls import list_calls
    from dutydesk.services.core.desk import open_desk

    desk = open_desk(db, FrozenClock(frozen_at))
    try:
        latest = list_calls(desk, limit=1)[0]
    finally:
        desk.close()
    return all(getattr(latest, name) == value for name, value in CALL.items()) and (
        latest.category,
        latest.direction,
    ) == ("inquiry", "in")


def measure(db: Path, frozen_at: str) -> dict[str, Any]:
    ran = asyncio.run(_log_a_call(db, frozen_at))
    return {
        "navigation_keys": len(ran["keys"]),
        "keys": ran["keys"],
        "target": TARGET,
        "saved_as_typed": _saved_as_typed(db, frozen_at),
        "what": "an incoming inquiry: caller, unit, phone, content, category, handling; "
        "text keys not counted",
    }
