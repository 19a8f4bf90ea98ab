"""The call register screen driven with keys, as an officer would."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Input, Select, Static, TextArea

from dutydesk.app import make_app
from dutydesk.services.calls.calls import CallDraft, list_calls, save_call
from tests.support_people import authority_for
from tests.support_pilot import until_mounted

SIZE = (120, 36)


async def _ready(app, pilot) -> None:
    """Let the screen's workers (save, list, lookups) finish and their messages be handled."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


def _table_numbers(app) -> list[str]:
    table = app.screen.query_one("#calls-table", DataTable)
    return [str(row.value) for row in table.rows]


def _status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_log_a_call_with_the_keyboard_then_find_it(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert app.screen.focused is app.screen.query_one("#f-caller", Input)
        await _type(pilot, "李红")
        await pilot.press("tab")
        await _type(pilot, "城关镇")
        await pilot.press("tab")
        await _type(pilot, "0371-66000000")
        await pilot.press("tab")
        await _type(pilot, "人民路积水约30厘米")
        await pilot.press("tab", "tab")  # past the category (its default)
        await _type(pilot, "已通知交警")
        await pilot.press("tab")
        await _type(pilot, "人民路与建设路交叉口")  # 地点, after the handling
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert "2026-000001" in _status(app)
        assert _table_numbers(app) == ["2026-000001"]
        # the form is empty again, ready for the next call
        assert app.screen.query_one("#f-caller", Input).value == ""
        saved = list_calls(desk)[0]
        assert (saved.caller, saved.unit, saved.phone) == ("李红", "城关镇", "0371-66000000")
        assert saved.summary == "人民路积水约30厘米" and saved.handling == "已通知交警"
        assert saved.place == "人民路与建设路交叉口"
        assert saved.recorded_by == "张伟"

        await pilot.press("ctrl+f")
        await _type(pilot, "积水")  # a two-character term
        await _ready(app, pilot)
        assert _table_numbers(app) == ["2026-000001"]
        await _type(pilot, "严重")  # "积水严重" is not in the call
        await _ready(app, pilot)
        assert _table_numbers(app) == []


async def test_missing_fields_are_named_and_nothing_typed_is_lost(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "李红")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        status = _status(app)
        assert "单位" in status and "电话" in status and "内容" in status
        assert app.screen.query_one("#f-caller", Input).value == "李红"
        assert app.screen.query_one("#f-unit", Input).has_class("-invalid")
        assert list_calls(desk) == []


async def test_bad_time_is_refused_and_kept(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.screen.query_one("#f-time", Input).focus()
        await _type(pilot, "25:99")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert "25:99" in _status(app)
        assert app.screen.query_one("#f-time", Input).value == "25:99"
        assert list_calls(desk) == []


async def test_a_short_time_is_today_in_the_office_zone(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.screen.query_one("#f-time", Input).focus()
        await _type(pilot, "09:15")
        for field, text in (
            ("#f-caller", "周涛"),
            ("#f-unit", "柳林镇"),
            ("#f-phone", "13800000000"),
        ):
            app.screen.query_one(field, Input).focus()
            await _type(pilot, text)
        app.screen.query_one("#f-summary", TextArea).focus()
        await _type(pilot, "停电")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
    saved = list_calls(desk)[0]
    assert (
        saved.received_at.in_timezone("Asia/Shanghai")
        .to_iso8601_string()
        .startswith("2026-11-23T09:15:00+08:00")
    )


async def test_full_disk_hands_the_call_back_and_saves_once_there_is_room(desk, clock, monkeypatch):
    from dutydesk.errors import DutyError
    from dutydesk.services import calls  # the package the screen calls through

    real_save = calls.save_call

    def disk_full(*args, **kwargs):
        raise DutyError("db.full", path=str(desk.path))

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        monkeypatch.setattr(calls, "save_call", disk_full)
        for field, text in (
            ("#f-caller", "周涛"),
            ("#f-unit", "柳林镇"),
            ("#f-phone", "13800000000"),
        ):
            app.screen.query_one(field, Input).focus()
            await _type(pilot, text)
        app.screen.query_one("#f-summary", TextArea).focus()
        await _type(pilot, "燃气泄漏")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert "磁盘已满" in _status(app) and "Ctrl+R" in _status(app)
        await pilot.press("ctrl+r")  # handed back, never put into the form by itself
        await _ready(app, pilot)
        assert app.screen.query_one("#f-summary", TextArea).text == "燃气泄漏"
        monkeypatch.setattr(calls, "save_call", real_save)
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert "2026-000001" in _status(app)
    assert [view.summary for view in list_calls(desk)] == ["燃气泄漏"]


async def test_amend_from_the_list_keeps_the_original(desk, clock, officer):
    record = save_call(
        desk,
        CallDraft(caller="李红", unit="城关镇", phone="0371-66000000", summary="西关积水"),
        officer,
    )
    clock.advance(minutes=5)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.screen.query_one("#calls-table", DataTable).focus()
        await pilot.press("ctrl+e")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "AmendScreen"
        # the form comes prefilled; change the unit and give a reason
        unit = app.screen.query_one("#f-unit", Input)
        assert unit.value == "城关镇"
        unit.focus()
        await pilot.press("ctrl+u")  # clear the field (Textual's delete-to-start)
        unit.value = ""
        await _type(pilot, "柳林镇")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "AmendScreen", "a correction needs a reason"
        app.screen.query_one("#amend-reason", Input).focus()
        await _type(pilot, "单位记错")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        assert "2026-000002" in _status(app)
    view = list_calls(desk)[0]
    assert view.number == record.number
    assert view.unit == "柳林镇" and view.amended_by == "2026-000002"
    from dutydesk.services.calls.calls import get_call

    _current, history = get_call(desk, record.number)
    assert history[0].unit == "城关镇" and history[1].amend_reason == "单位记错"


async def test_detail_view_shows_the_history(desk, clock, officer):
    from dutydesk.services.calls.calls import amend_call

    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="110", summary="原文"), officer)
    amend_call(desk, "2026-000001", "补充", {"summary": "更正后的内容"}, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.screen.query_one("#calls-table", DataTable).focus()
        await pilot.press("enter")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallDetailScreen"
        text = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "更正后的内容" in text and "原文" in text and "补充" in text
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallsScreen"


async def _draft_written(path, pilot, caller: str) -> None:
    from dutydesk.services.core.drafts import load_draft

    for _ in range(100):  # up to 10 s on a busy machine; the debounce itself is 0.3 s
        if (load_draft(path, "call") or {}).get("caller") == caller:
            return
        await pilot.pause(0.1)
    raise AssertionError("the draft was never written")


async def test_typed_draft_survives_a_restart(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "王五")
        await _draft_written(desk.path, pilot, "王五")  # shortly after typing stops, not at once
    again = make_app(desk.path, clock=clock)
    async with again.run_test(size=SIZE) as pilot:
        await _ready(again, pilot)
        assert again.screen.query_one("#f-caller", Input).value == "王五"
        assert "恢复" in _status(again)


async def test_no_shift_open_asks_who_is_on_duty(bare_desk, clock):
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.shifts import on_duty

    add_person(
        bare_desk,
        "张伟",
        "officer",
        in_post_since=date(2024, 1, 1),
        authority=authority_for(bare_desk),
    )
    add_person(
        bare_desk,
        "临时工",
        "officer",
        staff=False,
        in_post_since=date(2024, 1, 1),
        authority=authority_for(bare_desk),
    )
    app = make_app(bare_desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "OpenShiftScreen"
        await until_mounted(pilot, app.screen)
        officer_select = app.screen.query_one("#shift-officer")
        assert officer_select.value == Select.NULL  # nobody on duty, no roster: none proposed
        offered = [value for _label, value in officer_select._options]
        assert "临时工" not in offered, "non-staff may not do duty (Tianjin art. 6)"
        officer_select.value = "张伟"
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        assert "张伟" in str(app.screen.query_one("#header-duty", Static).render())
    duty = on_duty(bare_desk)
    assert duty is not None and duty.officer == "张伟"


async def test_english_interface(desk, clock):
    app = make_app(desk.path, clock=clock, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert "Not saved" in _status(app)
        assert app.screen.query_one("#f-caller", Input).border_title == "Caller"


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x36", "80x24"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_calls_screen_snapshot(lang, size, desk, clock, officer, snap_compare):
    for minutes, (caller, unit, summary) in enumerate(
        [
            ("李红（值班员）", "城关镇", "人民路与建设路交叉口积水约30厘米，已设置警示标志"),
            ("周涛（副镇长）", "柳林镇", "幸福小区一处民房起火，消防已到场扑灭，无人员伤亡"),
            ("市政府总值班室", "市政府总值班室", "要求核实网传东关街道塌方信息，20分钟内电话反馈"),
        ]
    ):
        clock.advance(minutes=minutes * 7)
        save_call(
            desk,
            CallDraft(
                caller=caller,
                unit=unit,
                phone=f"0371-6600000{minutes}",
                summary=summary,
                verified=minutes != 1,
                follow_up=minutes == 2,
                category="verification" if minutes == 2 else "incident",
            ),  # fmt: skip
            officer,
        )
    app = make_app(desk.path, clock=clock, lang=lang)

    async def ready(pilot) -> None:
        await _ready(app, pilot)
        for field in app.screen.query(Input):  # a blinking cursor makes the picture depend on when
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


async def test_ctrl_n_over_typed_text_asks_before_throwing_it_away(desk, clock):
    from dutydesk.services.core.drafts import load_draft

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _type(pilot, "王五")
        await _draft_written(desk.path, pilot, "王五")
        await pilot.press("ctrl+n")
        await pilot.pause()
        caller = app.screen.query_one("#f-caller", Input)
        assert caller.value == "王五" and "再按 Ctrl+N" in _status(app)
        assert load_draft(desk.path, "call") is not None  # the draft is kept too
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert caller.value == "" and load_draft(desk.path, "call") is None
        await pilot.press("ctrl+n")  # an empty form clears at once, with nothing to ask
        await pilot.pause()
        assert "再按" not in _status(app)


async def test_the_fields_keep_a_steady_cursor(desk, clock):
    """A blinking cursor repaints the screen twice a second while the desk waits for a call
    (issue 19: the idle calls screen's CPU): every field the officer reaches keeps it steady."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        reached = [app.screen.focused]
        for _ in range(6):
            await pilot.press("tab")
            reached.append(app.screen.focused)
        fields = [w for w in reached if isinstance(w, Input | TextArea)]
        assert len(fields) >= 4 and any(isinstance(w, TextArea) for w in fields)
        assert all(not w.cursor_blink for w in fields)


async def test_two_calls_saved_in_a_burst_are_both_saved_each_whole(desk, clock, monkeypatch):
    """Breaker, session 11: a second Ctrl+S while the first call was still being written was
    dropped, and the next call's keys went on into the second call's fields. Saves now queue
    in Ctrl+S order; each call is saved as it stood at its Ctrl+S."""
    import time

    from dutydesk.services import calls as calls_service

    real_save = calls_service.save_call

    def slow_save(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a slow disk
        time.sleep(0.4)
        return real_save(*args, **kwargs)

    monkeypatch.setattr(calls_service, "save_call", slow_save)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        for n in ("一", "二"):
            await _type(pilot, f"李{n}")
            await pilot.press("tab")
            await _type(pilot, f"城关镇{n}")
            await pilot.press("tab")
            await _type(pilot, "0371-66000000")
            await pilot.press("tab")
            await _type(pilot, f"第{n}条内容")
            await pilot.press("ctrl+s")
        await _type(pilot, "王三")  # the third call begins at once
        for _ in range(60):
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if len(list_calls(desk)) == 2:
                break
        assert app.screen.query_one("#f-caller", Input).value == "王三"
    saved = sorted(list_calls(desk), key=lambda view: view.number)
    assert [(v.caller, v.unit, v.summary) for v in saved] == [
        ("李一", "城关镇一", "第一条内容"), ("李二", "城关镇二", "第二条内容")]  # fmt: skip


async def test_esc_in_the_correction_dialog_asks_before_dropping_what_was_typed(
    desk, clock, officer
):
    """Esc dropped a typed reason and changed fields at once (breaker, session 14); it asks
    first, as the registration forms do. Nothing typed: Esc closes at once."""
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="110", summary="原文"), officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.screen.query_one("#calls-table", DataTable).focus()
        await pilot.press("ctrl+e")
        await _ready(app, pilot)
        await pilot.press("escape")  # nothing typed
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        app.screen.query_one("#calls-table", DataTable).focus()
        await pilot.press("ctrl+e")
        await _ready(app, pilot)
        app.screen.query_one("#amend-reason", Input).focus()
        await _type(pilot, "单位记错")
        await pilot.press("escape")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "AmendScreen"
        assert "再按一次 Esc" in str(app.screen.query_one("#amend-status", Static).render())
        await pilot.press("escape")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
    assert len(list_calls(desk)) == 1 and list_calls(desk)[0].amended_by is None
