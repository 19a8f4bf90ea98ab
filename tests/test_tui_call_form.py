"""The call form as an officer uses it (issue 15, item 3): nothing carries over from one call to
the next, a short time means the latest such time of this duty and is shown back in full, a time
before the duty began is saved only once confirmed, a number shows the earlier calls from it, and
the list says how many calls it holds and finds a phone by its digits."""

from __future__ import annotations

import pendulum
import pytest
from textual.widgets import Input, Select, Static

from dutydesk.app import make_app
from dutydesk.services.calls.calls import CallDraft, list_calls, save_call
from dutydesk.widgets.call_list import MATCH_STYLE, CallTable

SIZE = (120, 36)
ZONE = "Asia/Shanghai"


async def _settle(app, pilot) -> None:
    """Let the workers finish and their messages be handled (a save starts a list refresh)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _type(pilot, text: str) -> None:
    await pilot.press(*(char if char != " " else "space" for char in text))


def _status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


def _value(app, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


async def _fill_required(pilot, caller="李红", unit="城关镇", phone="13800000000", summary="积水"):
    """From the caller field: caller, unit, phone, content, each followed by Tab."""
    for text in (caller, unit, phone, summary):
        await _type(pilot, text)
        await pilot.press("tab")


async def _choose(pilot, app, selector: str, downs: int) -> None:
    """Open a dropdown with Enter, move down `downs` options and take that one."""
    app.screen.query_one(selector, Select).focus()
    await pilot.press("enter", *(["down"] * downs), "enter")


async def test_direction_and_category_do_not_carry_over_to_the_next_call(desk, clock):
    """The case from the issue: a 核报 call made as 去电, then a weather notice."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _choose(pilot, app, "#f-direction", 1)  # 去电
        categories = desk.profile.calls.categories
        await _choose(pilot, app, "#f-category", categories.index("verification") + 1)
        assert app.screen.query_one("#f-direction", Select).value == "out"
        assert app.screen.query_one("#f-category", Select).value == "verification"
        app.screen.query_one("#f-verified").focus()
        await pilot.press("space")
        app.screen.query_one("#f-caller", Input).focus()
        await _fill_required(pilot, summary="市政府要求核实塌方信息")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "2026-000001" in _status(app)
        assert app.screen.query_one("#f-direction", Select).value == "in"
        assert app.screen.query_one("#f-category", Select).value == "other"
        assert app.screen.query_one("#f-verified").value is False
        await _fill_required(pilot, summary="气象台发布暴雨蓝色预警")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        # Ctrl+N resets them too
        await _choose(pilot, app, "#f-direction", 1)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#f-direction", Select).value == "in"
    first, second = sorted(list_calls(desk), key=lambda view: view.number)
    assert (first.direction, first.category, first.verified) == ("out", "verification", True)
    assert (second.direction, second.category, second.verified) == ("in", "other", False)


async def test_every_field_has_a_visible_label_and_boxes_say_their_state(desk, clock):
    from textual.widgets._select import SelectCurrent

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        for selector, label in (("#f-direction", "方向"), ("#f-category", "类别")):
            assert str(screen.query_one(selector).query_one(SelectCurrent).border_title) == label
        verified = screen.query_one("#f-verified")
        assert str(verified.render()).startswith("☐") and "已核实身份 否" in str(verified.render())
        verified.focus()
        await pilot.press("space")
        await pilot.pause()
        assert str(verified.render()).startswith("☑") and "已核实身份 是" in str(verified.render())
        phone = screen.query_one("#f-phone", Input)
        assert not any(char.isdigit() for char in phone.placeholder)


@pytest.mark.parametrize(
    ("now", "typed", "shown"),
    [
        ("2026-11-24T00:05:00+08:00", "23:55", "2026-11-23 23:55"),  # the night's, not tonight's
        ("2026-11-23T22:00:00+08:00", "2150", "2026-11-23 21:50"),
        ("2026-11-24T00:05:00+08:00", "2355", "2026-11-23 23:55"),
    ],
)
async def test_a_short_time_is_the_latest_of_this_duty_and_shown_in_full(
    desk, clock, now, typed, shown
):
    clock.set(pendulum.parse(now))
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#f-time", Input).focus()
        await _type(pilot, typed)
        await pilot.press("tab")  # leaving the field shows what it was read as
        await pilot.pause()
        assert _value(app, "#f-time") == shown
        app.screen.query_one("#f-caller", Input).focus()
        await _fill_required(pilot)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "2026-000001" in _status(app), _status(app)
    saved = list_calls(desk)[0]
    assert saved.received_at.in_timezone(ZONE).format("YYYY-MM-DD HH:mm") == shown


async def test_a_time_before_the_duty_began_is_saved_only_once_confirmed(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#f-time", Input).focus()
        await _type(pilot, "06:40")
        await pilot.press("tab")
        app.screen.query_one("#f-caller", Input).focus()
        await _fill_required(pilot)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "早于本班开始" in _status(app) and "2026-11-23 06:40" in _status(app)
        assert list_calls(desk) == [], "not saved without a word"
        assert _value(app, "#f-caller") == "李红", "nor refused: the form is kept"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "2026-000001" in _status(app)
    saved = list_calls(desk)[0]
    assert saved.received_at.in_timezone(ZONE).format("HH:mm") == "06:40"


async def test_typing_a_number_shows_the_earlier_calls_from_it(desk, clock, officer):
    save_call(desk, CallDraft(caller="周涛", unit="柳林镇", phone="0371-66123456", summary="停电"), officer)  # fmt: skip
    clock.advance(minutes=10)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#f-phone", Input).focus()
        await _type(pilot, "037166123456")  # typed without the dash
        await _settle(app, pilot)
        earlier = app.screen.query_one("#earlier", Static)
        shown = str(earlier.render())
        assert earlier.display and "周涛" in shown and "停电" in shown and "1" in shown
        await pilot.press("ctrl+u")  # cleared: the line goes
        await _settle(app, pilot)
        assert not earlier.display


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_at_80_columns_the_list_shows_the_serial_and_the_direction(
    desk, clock, officer, lang
):
    """At 80 columns the list had no 登记号 and 方向 (new officer, session 14): the serial and a
    one-character mark, the content keeping at least SUMMARY_MIN cells, nothing past the edge."""
    from dutydesk.i18n import t
    from dutydesk.widgets.call_list import SUMMARY_MIN

    save_call(desk, CallDraft(caller="市政府总值班室", unit="市政府总值班室", phone="0371-66000000",
                              summary="要求核实网传东关街道塌方信息", direction="out",
                              category="incident"), officer)  # fmt: skip
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(CallTable)
        columns = table.ordered_columns
        assert [column.key.value for column in columns][:3] == ["number", "time", "direction"]
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[0] == "000001" and row[2] == t("direction_mark.out")
        assert columns[-1].key.value == "summary" and columns[-1].width >= SUMMARY_MIN
        assert sum(column.get_render_width(table) for column in columns) <= table.size.width
        assert table.selected_number() == "2026-000001"  # the row is still the call's own


async def test_phone_digits_find_the_call_and_the_title_counts(desk, clock, officer):
    for phone, summary in (("0371-66123456", "城关镇积水"), ("13800138000", "柳林镇停电")):
        save_call(desk, CallDraft(caller="李红", unit="城关镇", phone=phone, summary=summary), officer)  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(CallTable)
        assert str(table.border_title) == "本班电话记录 2 条"
        await pilot.press("ctrl+f")
        await _type(pilot, "037166123456")
        await _settle(app, pilot)
        assert [view.summary for view in table.shown.views] == ["城关镇积水"]
        assert str(table.border_title).startswith("搜索结果 1 条")
        phone_cell = table.get_row_at(0)[list(table.columns).index("phone")]
        assert phone_cell.plain == "0371-66123456"
        assert [(span.start, span.end, span.style) for span in phone_cell.spans] == [
            (0, 13, MATCH_STYLE)
        ]


async def test_search_text_is_shown_literally_and_its_match_highlighted(desk, clock, officer):
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="110", summary="数组[red]x[/]越界 积水"), officer)  # fmt: skip
    app = make_app(desk.path, clock=clock, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(CallTable)
        assert str(table.border_title) == "This shift's calls: 1"
        await pilot.press("ctrl+f")
        await _type(pilot, "[red]x")
        await _settle(app, pilot)
        summary = table.get_row_at(0)[-1]
        assert summary.plain.startswith("数组[red]x[/]")
        assert [(span.start, span.end) for span in summary.spans] == [(2, 8)]
        assert "[red]x" in str(app.screen.query_one("#preview", Static).render())


async def test_a_typical_call_needs_few_keys_besides_its_text(desk, clock):
    """Caller, unit, phone, content, then the category by its digit and the handling: seven
    keys that are not text (the benchmark counts the same run on the ten-year register)."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _fill_required(pilot, summary="咨询防汛会议时间")  # four Tabs
        await pilot.press("4", "tab")  # 4 咨询 (inquiry)
        await _type(pilot, "已答复")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    saved = list_calls(desk)[0]
    assert (saved.category, saved.handling, saved.summary) == (
        "inquiry",
        "已答复",
        "咨询防汛会议时间",
    )


async def test_a_time_later_today_is_last_days_and_asked_about_not_refused(desk, clock):
    """17:40 typed in the morning is the most recent 17:40, yesterday's: before the duty began,
    so it is shown in full and asked about, never refused as 'later than now' (QA)."""
    now = clock.now().in_timezone(ZONE)
    yesterday = now.subtract(days=1).format("YYYY-MM-DD")
    later = now.add(hours=2).format("HH:mm")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#f-time", Input).focus()
        await _type(pilot, later)
        await pilot.press("tab")
        await pilot.pause()
        assert _value(app, "#f-time") == f"{yesterday} {later}"
        app.screen.query_one("#f-caller", Input).focus()
        await _fill_required(pilot)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "早于本班开始" in _status(app) and f"{yesterday} {later}" in _status(app)
        assert list_calls(desk) == []
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "2026-000001" in _status(app)
    saved = list_calls(desk)[0]
    assert saved.received_at.in_timezone(ZONE).format("YYYY-MM-DD HH:mm") == f"{yesterday} {later}"


async def test_an_outgoing_call_names_the_person_called(desk, clock):
    """去电: the name field is 受话人, and 来电人 again for the next (incoming) call."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        caller = app.screen.query_one("#f-caller", Input)
        assert str(caller.border_title) == "来电人"
        await _choose(pilot, app, "#f-direction", 1)  # 去电
        await pilot.pause()
        assert str(caller.border_title) == "受话人"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert str(caller.border_title) == "来电人"


@pytest.mark.parametrize(("lang", "size"), [("zh", (120, 36)), ("zh", (80, 24)), ("en", (120, 36))])  # fmt: skip
async def test_an_outgoing_calls_hints_follow_its_direction(desk, clock, officer, lang, size):
    """去电: the unit's hint is the unit called and the earlier calls are calls with the number,
    not 来电 (new officer, session 14); an incoming call's hints again after Ctrl+N."""
    from dutydesk.i18n import t

    save_call(desk, CallDraft(caller="周涛", unit="柳林镇", phone="0371-66123456", summary="停电"), officer)  # fmt: skip
    clock.advance(minutes=10)
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        unit = app.screen.query_one("#f-unit", Input)
        earlier = app.screen.query_one("#earlier", Static)
        hints = {"in": unit.placeholder}
        assert hints["in"] in (t("form.unit_placeholder"), t("call_form_narrow.unit_placeholder"))
        app.screen.query_one("#f-phone", Input).focus()
        await _type(pilot, "037166123456")
        await _settle(app, pilot)
        said_in = t("call_form.earlier_one", digits="037166123456", count="1")
        assert str(earlier.render()).startswith(said_in)
        await _choose(pilot, app, "#f-direction", 1)  # 去电
        await _settle(app, pilot)
        full, short = t("form.unit_placeholder_out"), t("call_form_narrow.unit_placeholder_out")
        assert unit.placeholder == (full if size[0] == 120 else unit.placeholder)
        assert unit.placeholder in (full, short) and "来电" not in unit.placeholder
        said_out = t("call_form.earlier_one_out", digits="037166123456", count="1")
        assert str(earlier.render()).startswith(said_out) and "来电" not in said_out
        assert "周涛" in str(earlier.render())
        await pilot.press("ctrl+n", "ctrl+n")  # the second clears what was typed
        await _settle(app, pilot)
        assert app.screen.query_one("#f-direction", Select).value == "in"
        assert unit.placeholder == hints["in"]


async def test_a_call_written_up_late_is_chosen_in_the_list_once_saved(desk, clock, officer):
    """Saved with an earlier time, it sorts below the newer calls: the cursor goes to it."""
    for at in ("09:40", "09:50"):
        clock.set(pendulum.parse(f"2026-11-23T{at}:00+08:00"))
        save_call(desk, CallDraft(caller="周涛", unit="柳林镇", phone="13800000001", summary="停电"), officer)  # fmt: skip
    clock.set(pendulum.parse("2026-11-23T10:00:00+08:00"))
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#f-time", Input).focus()
        await _type(pilot, "0935")
        app.screen.query_one("#f-caller", Input).focus()
        await _fill_required(pilot)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "2026-000003" in _status(app), _status(app)
        table = app.screen.query_one(CallTable)
        assert table.shown_numbers()[-1] == "2026-000003"  # the earliest time: the last row
        assert table.selected_number() == "2026-000003"


@pytest.mark.parametrize(("key", "mode"), [("f6", "people"), ("f7", "roster")])
async def test_f6_and_f7_leave_the_content_field_for_their_screens(desk, clock, key, mode):
    """TextArea binds F6/F7 to selecting a line and all: the officer stayed on the calls screen
    (new-officer shift, session 14); the screen's F-keys work from every field."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#f-summary").focus()
        await _type(pilot, "积水")
        await pilot.press(key)
        await _settle(app, pilot)
        assert app.current_mode == mode


async def test_a_restored_call_keeps_the_time_its_typing_began(desk, clock):
    """A call typed with the time left blank, the app killed, restarted later: the call is
    saved at the time it began to be typed, not at the restart (QA, session 14)."""
    from dutydesk.services.core import load_draft

    clock.set(pendulum.parse("2026-11-23T10:00:00+08:00"))
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _type(pilot, "李红")
        clock.set(pendulum.parse("2026-11-23T10:03:00+08:00"))
        await pilot.press("tab")
        await _type(pilot, "城关镇")
        for _ in range(100):  # kept DRAFT_DELAY_S after the last key
            kept = load_draft(desk.path, "call")
            if kept is not None and kept.get("unit") == "城关镇":
                break
            await pilot.pause(0.05)
    assert kept is not None and kept["received_at"] == "2026-11-23 10:00:00"
    clock.set(pendulum.parse("2026-11-23T10:40:00+08:00"))  # restarted 40 minutes on
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert _value(app, "#f-time").startswith("2026-11-23 10:00")
        app.screen.query_one("#f-phone", Input).focus()
        await _type(pilot, "13800000000")
        await pilot.press("tab")
        await _type(pilot, "积水")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
    saved = list_calls(desk)[0]
    assert saved.received_at.in_timezone(ZONE).format("HH:mm") == "10:00"


async def test_a_restored_draft_with_invisible_characters_is_refused_not_saved_as_shown(
    desk, clock
):
    """A draft holding a zero-width space is shown with it made visible (<U+200B>); saving it
    saved that placeholder as text (breaker, session 14). The text itself is checked, and
    refused as when it was typed; the draft keeps it."""
    from dutydesk.services.core import load_draft, save_draft

    save_draft(desk.path, "call", {"caller": "张\u200b三", "unit": "城关镇",
                                   "phone": "13800000000", "summary": "积水"})  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert _value(app, "#f-caller") != "张\u200b三"  # shown made visible
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "U+200B" in _status(app) and "2026-000001" not in _status(app)
    assert list_calls(desk) == []
    kept = load_draft(desk.path, "call")
    assert kept is not None and kept["caller"] == "张\u200b三"


async def test_a_search_with_more_matches_than_listed_says_so(desk, clock, officer):
    """51 calls match: the list holds the newest 50 and its title says there are more
    (breaker, session 14: "搜索结果 50 条" read as all of them)."""
    for n in range(51):
        save_call(desk, CallDraft(caller=f"来电{n}", unit="城关镇", phone="13800000000",
                                  summary="积水"), officer)  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#search", Input).focus()
        await _type(pilot, "积水")
        await _settle(app, pilot)
        table = app.screen.query_one(CallTable)
        assert len(table.shown_numbers()) == 50
        assert "最新 50 条（还有更早的）" in str(table.border_title)
        await pilot.press("backspace")  # 积: still more than 50
        await _type(pilot, "水 来电50")
        await _settle(app, pilot)
        assert "搜索结果 1 条" in str(table.border_title)
