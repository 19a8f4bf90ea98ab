"""CPU of the countdown board (应报时限看板) showing 500 open deadlines for 20 s.

The board screen is being built; until dutydesk/screens has it, this reports why it was not
measured rather than a number."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SCREENS = Path(__file__).resolve().parents[2] / "dutydesk" / "screens"
DEADLINES = 500
SECONDS = 20


def board_screen() -> Path | None:
    for candidate in sorted(SCREENS.glob("*.py")):
        if "deadline" in candidate.stem or "board" in candidate.stem:
            return candidate
    return None


def measure(db: Path, frozen_at: str, seconds: float = SECONDS) -> dict[str, Any]:
    screen = board_screen()
    if screen is None:
        return {"measured": False, "reason": "not measured: board not built"}
    return {
        "measured": False,
        "reason": f"not measured: {screen.name} exists but the benchmark does not drive it yet",
    }
