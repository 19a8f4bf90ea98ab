"""The handover screen says how far a long archive export has gone (issue 19: "the app shows
progress for an export it runs"): a full snapshot of years of register takes seconds a GB, and
"exporting…" alone looked stuck."""

from __future__ import annotations

import re

from dutydesk.app import make_app
from dutydesk.screens.base import DeskScreen
from dutydesk.services.archive import export_snapshot
from tests.test_tui_export_retry import _signed_with_a_failed_export
from tests.test_tui_handover import SIZE, _ready, _status


async def test_the_export_shows_its_percent_then_where_it_wrote(
    desk, clock, officer, tmp_path, monkeypatch
):
    usb = _signed_with_a_failed_export(desk, clock, officer, tmp_path)
    usb.unlink()
    (usb / "archives").mkdir(parents=True)  # the drive is there now
    monkeypatch.setattr(export_snapshot, "BACKUP_STEP", 4)  # many steps for a small register
    said: list[str] = []
    set_status = DeskScreen.set_status

    def recorded(self: DeskScreen, message: str, *, ok: bool) -> None:
        said.append(message)
        set_status(self, message, ok=ok)

    monkeypatch.setattr(DeskScreen, "set_status", recorded)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("e")
        await _ready(app, pilot)
        await pilot.press("enter")  # into the folder the failed attempt aimed at
        for _ in range(50):
            await _ready(app, pilot)
            if "已导出归档" in _status(app):
                break
        assert "已导出归档" in _status(app), _status(app)
    percents = [
        int(found[1]) for text in said if (found := re.search(r"正在导出归档… (\d+)%", text))
    ]
    assert len(percents) >= 3, said
    assert percents == sorted(percents) and percents[-1] == 100
