"""上一班交接 in the app, driven with keys: the outgoing officer writes the 重要情况 and both
sign; the incoming officer then sees at once what was handed over (who, when, the summary as
typed, the carried pending items still open) on the handover screen, in full with v, and on the
calls screen while the shift's list is still empty."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from dutydesk.app import make_app
from dutydesk.services.handover.handover import mark
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401

SUMMARY = "西关路口积水约20厘米 已通知交警[bold]现场疏导[/bold] 夜间复查一次"


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


def _shown(app, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


def _tick_all_but_the_summary(desk) -> None:
    tick_all(desk)
    mark(desk, "summary", "clear")  # the outgoing officer types it on the screen


async def test_the_incoming_officer_sees_what_was_handed_over(ready, clock):  # noqa: F811
    _tick_all_but_the_summary(ready)
    app = make_app(ready.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        assert _shown(app, "#handover-previous") == ""  # the day shift began with `shift open`
        await pilot.press("v")
        await pilot.pause()
        assert "没有上一班交接" in _shown(app, "#handover-status")
        await pilot.press("s")  # the outgoing officer's 重要情况
        await _type(pilot, SUMMARY)
        await pilot.press("enter")
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

        note = _shown(app, "#handover-previous")  # the new shift's checklist, and over it:
        assert "上一班交接 11-23 17:45 张伟 → 李明" in note
        assert "转来待办 1 项未办结" in note and "v 查看全文" in note
        assert "重要情况：" + SUMMARY in note  # as typed: the brackets are not markup
        await pilot.press("v")
        await pilot.pause()
        assert type(app.screen).__name__ == "TextDialog"
        full = app.screen.query_one("#text-dialog-body").text
        assert "交班：张伟" in full and "接班：李明" in full and "带班领导确认：王建国" in full
        assert SUMMARY in full and "积水待复查" in full
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("f2")  # the calls screen of the new shift: its list is empty
        await _ready(app, pilot)
        for _ in range(250):  # its list is read again in a pause of the typing (0.5 s)
            if note := _shown(app, "#handed-over"):
                break
            await pilot.pause(0.02)
            await app.workers.wait_for_complete()
        assert "上一班交接 11-23 17:45 张伟 → 李明" in note and "F5 交接班" in note
        assert SUMMARY in note
        app.screen.query_one("#f-caller", Input).focus()
        await _type(pilot, "周涛")
        await pilot.press("tab")
        await _type(pilot, "城关镇")
        await pilot.press("tab")
        await _type(pilot, "0371-66000000")
        await pilot.press("tab")
        await _type(pilot, "西关积水已退")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert "2026-000002" in _shown(app, "#status"), _shown(app, "#status")
        assert _shown(app, "#handed-over") == ""  # the shift's own calls take the list


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_note_fits_80_columns(ready, clock, lang):  # noqa: F811
    """At 80x24 the line saying who handed over keeps where to read the rest."""
    from dutydesk.i18n import set_language

    set_language(lang)
    tick_all(ready)
    mark(ready, "summary", "done", "城关镇停电，供电公司抢修中，预计凌晨恢复；" * 6)
    _sign(ready)
    app = make_app(ready.path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        lines = _shown(app, "#handed-over").splitlines()
        assert len(lines) == 4 and lines[0].endswith(("F5 交接班", "F5 Handover"))
        assert lines[-1].endswith("…")  # the rest on the handover screen
        await pilot.press("f5")
        await _ready(app, pilot)
        lines = _shown(app, "#handover-previous").splitlines()
        assert len(lines) == 3 and lines[0].endswith(("v 查看全文", "v: in full"))


async def test_the_summary_and_names_are_shown_as_typed(ready, clock):  # noqa: F811
    """Markup in the 重要情况 is painted as typed on both screens and in the dialog, never read."""
    from tests import hostile as h

    typed = (h.STYLED, h.CLICK, h.LINK, h.VARIABLE, h.UNBALANCED, h.INDEXED)
    tick_all(ready)
    mark(ready, "summary", "done", " ".join(typed))
    _sign(ready)
    app = make_app(ready.path, clock=clock)
    async with app.run_test(size=(160, 40)) as pilot:
        await _ready(app, pilot)
        painted = h.screen_text(app)
        assert all(text in painted for text in typed), painted
        await pilot.press("f5")
        await _ready(app, pilot)
        painted = h.screen_text(app)
        assert all(text in painted for text in typed), painted
        await pilot.press("v")
        await pilot.pause()
        assert " ".join(typed) in app.screen.query_one("#text-dialog-body").text
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0)
