"""A bidi override (U+202E) or a zero-width space (U+200B) pasted into a field is left out as it
comes, and the screen says so in the words a save would refuse it with; the rest of the paste
goes in as typed. Drawn raw, U+202E turned the rest of the field around and U+200B hid in it,
and the save then refused a character the officer could not see."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Static, TextArea

from dutydesk.app import make_app
from dutydesk.services.core.validation import without_refused

SIZE = (120, 36)


async def _ready(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


async def _paste(pilot, widget, text: str) -> None:
    await pilot.pause()
    assert widget.has_focus
    widget.app.post_message(events.Paste(text))  # as the terminal sends it
    await pilot.pause()


def _status(screen) -> str:
    return str(screen.query_one(screen.STATUS_LINE, Static).render())


async def test_a_bidi_override_pasted_into_a_field_is_left_out_and_said(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ready(app, pilot)
        caller = screen.query_one("#f-caller", Input)
        caller.focus()
        await pilot.press("李")
        await _paste(pilot, caller, "明\u202e（城关镇）")
        assert caller.value == "李明（城关镇）"  # the rest as pasted, in its order
        said = _status(screen)
        assert "来电人" in said and "U+202E" in said and "改变文字方向" in said
        await pilot.press("end", "x")  # the field goes on as usual
        assert caller.value == "李明（城关镇）x"
        await _paste(pilot, caller, "\u200b")  # nothing but the character: nothing changes
        assert caller.value == "李明（城关镇）x"
        assert "U+200B" in _status(screen)


async def test_a_zero_width_space_pasted_into_the_summary_is_left_out_line_breaks_kept(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ready(app, pilot)
        summary = screen.query_one("#f-summary", TextArea)
        summary.focus()
        await _paste(pilot, summary, "西关路口\u200b积水\t约20厘米\n已通知交警")
        assert summary.text == "西关路口积水\t约20厘米\n已通知交警"
        said = _status(screen)
        assert "内容" in said and "U+200B" in said and "不可见" in said
        screen.query_one(screen.STATUS_LINE, Static).update("")
        await _paste(pilot, summary, "\u202e甲\u200b乙\u200c丙\u2066")  # every one named
        said = _status(screen)
        assert "U+202E U+2066" in said and "U+200B" in said and "；" in said, said
        screen.query_one(screen.STATUS_LINE, Static).update("")
        await _paste(pilot, summary, "\n城关镇\t报")  # line breaks and tabs: nothing said
        assert summary.text.endswith("已通知交警甲乙\u200c丙\n城关镇\t报")  # a ZWNJ may stay
        assert _status(screen) == ""


def test_only_the_inserted_text_is_looked_at_and_printable_text_passes_as_is():
    text = "积水20厘米"
    assert without_refused(text, multiline=False) == (text, [])
    assert without_refused("a\u202eb\u200bc\u202ed\u200be\u2066", multiline=False) == (
        "abcde",
        [("text_problem.bidi", "U+202E U+2066"), ("text_problem.invisible", "U+200B")],
    )
    assert without_refused("a\nb\tc\r\n", multiline=True) == ("a\nb\tc\r\n", [])
    assert without_refused("a\tb", multiline=False) == ("ab", [("text_problem.control", "U+0009")])


async def test_lines_pasted_into_a_one_line_field_are_joined_none_dropped(desk, clock):
    """Breaker, session 16: Input kept a paste's first line only (张三 and a line break, 李四:
    李四 was dropped unsaid; a paste starting with a line break put nothing in)."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ready(app, pilot)
        caller = screen.query_one("#f-caller", Input)
        caller.focus()
        await _paste(pilot, caller, "张三\r\n李四")
        assert caller.value == "张三 李四"
        caller.value = ""
        await _paste(pilot, caller, "\n王五\n")
        assert caller.value == "王五"


async def test_a_refused_character_typed_is_said_as_a_pasted_one_is(desk, clock):
    """New officer, session 18: typed one by one (a terminal sends each as a key), U+202E and
    U+200B were left out without a word; a ctrl key is a command, never said as a character."""
    from tests.support_pilot import send_at_once

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _ready(app, pilot)
        place = screen.query_one("#f-caller", Input)
        place.focus()
        await pilot.pause()
        send_at_once(app, ["幸", "福", "\u202e", "小", "区", "\u200b"])
        for _ in range(10):
            await pilot.pause(0.02)
        assert place.value == "幸福小区"
        said = _status(screen)
        assert "U+200B" in said and "不可见" in said and "未录入" in said, said
        screen.query_one(screen.STATUS_LINE, Static).update("")
        await pilot.press("ctrl+b")  # no binding of the field's: nothing said
        assert _status(screen) == ""
