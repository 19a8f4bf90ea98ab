"""The handover screen driven with keys, as the two officers would do it at one terminal."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, Static

from dutydesk.app import make_app
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.pins import set_pin
from tests.support_people import authority_for

SIZE = (120, 36)


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot, text: str) -> None:
    await pilot.press(*[char if char != " " else "space" for char in text])


def _status(app) -> str:
    return str(app.screen.query_one("#handover-status", Static).render())


def _prepare(desk, clock, officer) -> None:
    add_person(
        desk, "李明", "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    set_pin(desk, "张伟", "271828", "271828", authority=authority_for(desk))
    set_pin(desk, "李明", "314159", "314159", authority=authority_for(desk))
    set_pin(desk, "王建国", "161803", "161803", authority=authority_for(desk))
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="0371-66000000",
                              summary="人民路积水，需跟进排水情况", follow_up=True), officer)  # fmt: skip
    clock.advance(hours=7, minutes=45)  # 17:45, the day shift ends at 18:00


async def test_a_whole_handover_with_keys_ends_in_an_archive_that_verifies(desk, clock, officer):
    from dutydesk.services.roster.shifts import on_duty

    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        table = app.screen.query_one("#handover-table", DataTable)
        keys = [str(row.value) for row in table.rows]
        assert keys[:2] == ["calls", "pending:1"] and "summary" in keys
        await pilot.press("ctrl+s")  # nothing ticked yet: refused, and said why
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        assert "未完成" in _status(app)
        assert "…等" in _status(app) and "值班排序表" not in _status(app)  # the first few only
        await pilot.press("d")  # calls reviewed; the cursor stays on each item marked
        await pilot.press("down", "a")  # the incoming officer acknowledges the carried item
        await pilot.press("s")  # the summary of important situations: asks for the text
        await _type(pilot, "无重大情况")
        await pilot.press("enter")  # saved; the cursor stays on the summary
        await pilot.press("down", "d")  # the documents
        for _ in range(5):  # duty phone, fax, computer, printer, video conference
            await pilot.press("down", "d")
        await pilot.press("down", "f")  # the radio link is faulty
        await _type(pilot, "信号弱")
        await pilot.press("enter")
        for _ in range(3):  # duty log, phone list, roster
            await pilot.press("down", "d")
        await pilot.press("down", "d")  # arrival: Enter for now
        await pilot.press("enter")
        await pilot.pause()
        assert "各项已完成" in str(app.screen.query_one("#handover-head", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "SignOffScreen"
        assert app.screen.query_one("#sign-name", Input).value == "张伟"
        assert app.focused is app.screen.query_one("#sign-pin", Input)  # the name is prefilled
        await _type(pilot, "000111")  # wrong PIN
        await pilot.press("enter")
        await pilot.pause()
        assert "密码错误" in str(app.screen.query_one("#sign-status", Static).render())
        await _type(pilot, "271828")
        await pilot.press("enter")
        await _type(pilot, "张伟")  # the same person cannot take over
        await pilot.press("enter")
        await pilot.pause()
        assert "同一人" in str(app.screen.query_one("#sign-status", Static).render())
        app.screen.query_one("#sign-name", Input).value = ""
        await _type(pilot, "李明")
        await pilot.press("enter")
        await _type(pilot, "314159")
        await pilot.press("enter")
        await _type(pilot, "王建国")  # the shift leader acknowledges
        await pilot.press("enter")
        await _type(pilot, "161803")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        await app.workers.wait_for_complete()  # the archive is written in a worker thread
        await pilot.pause()
        assert "交接完成" in _status(app) and "已导出归档" in _status(app)
    duty = on_duty(desk)
    assert duty is not None and duty.officer == "李明"
    report = verify_archives(desk.path.parent / "exports")
    assert report.ok, [p.message() for p in report.problems]
    assert len(report.archives) == 1


def test_handover_screen_snapshot(desk, clock, officer, snap_compare):
    from dutydesk.services.handover.handover import mark

    _prepare(desk, clock, officer)
    mark(desk, "calls", "done")
    mark(desk, "pending:1", "acknowledged")
    mark(desk, "device:fax", "fault", "卡纸，已报修")
    mark(desk, "documents", "not_done", "文件柜钥匙在综合科，明早移交")
    app = make_app(desk.path, clock=clock)

    async def ready(pilot) -> None:
        await _ready(app, pilot)
        await pilot.press("f5")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


async def test_a_failed_export_is_said_plainly_and_a_key_retries_it(desk, clock, officer, tmp_path):
    from dutydesk.services.archive.export import export_handover
    from dutydesk.services.handover.handover import sign_off
    from dutydesk.services.roster.pins import verify_pin
    from tests.test_handover_domain import tick_all

    _prepare(desk, clock, officer)
    tick_all(desk)
    signed = sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "314159"))
    usb = tmp_path / "usb"
    usb.write_text("not mounted")  # a file where the archive folder should be
    assert not export_handover(desk, signed.handover.id, usb / "archives").ok
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("e")  # the dialog offers the folder; checked: not there
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = str(app.screen.query_one("#retry-status", Static).render())
        assert "不存在" in said and str(usb) in said
        usb.unlink()
        (usb / "archives").mkdir(parents=True)  # the drive is there now
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "已导出归档" in _status(app)
        await pilot.press("e")  # nothing left to write
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "没有需要重新导出" in _status(app)
    assert verify_archives(usb / "archives").ok


async def test_the_header_shows_the_next_handover_and_warns_as_it_nears(desk, clock):
    import pendulum

    from dutydesk.widgets.header import DutyHeader

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)

        async def shown_at(time: str) -> Static:
            clock.set(pendulum.parse(f"2026-11-23T{time}+08:00"))
            app.screen.query_one(DutyHeader).refresh_periodic()  # the header's 5-second refresh
            await pilot.pause()
            return app.screen.query_one("#header-handover", Static)

        label = await shown_at("17:29")  # 31 minutes before the day shift's 18:00 handover
        assert str(label.render()) == "交接 18:00"
        assert not label.has_class("warning") and not label.has_class("alert")
        label = await shown_at("17:30")  # the profile's 30 minutes (Tianjin art. 14(1), 14(2))
        assert str(label.render()) == "即将交接 18:00 · 30分钟" and label.has_class("warning")
        label = await shown_at("17:55")
        assert "即将交接" in str(label.render()) and "5分钟" in str(label.render())
        label = await shown_at("18:05")  # past due and not handed over
        assert str(label.render()) == "交接超时 18:00 · 已过5分钟"
        assert label.has_class("alert") and not label.has_class("warning")


async def test_the_export_after_sign_off_runs_in_a_worker_thread(desk, clock, officer, monkeypatch):
    import threading

    from dutydesk.screens.handover_sign import SignOutcome
    from dutydesk.services import archive as export  # the package the screen calls through
    from dutydesk.services.handover.handover import sign_off
    from dutydesk.services.roster.pins import verify_pin
    from tests.test_handover_domain import tick_all

    _prepare(desk, clock, officer)
    tick_all(desk)
    signed = sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "314159"))
    started, release = threading.Event(), threading.Event()
    seen: dict[str, object] = {}
    real = export.export_handover

    def slow_export(own_desk, handover_id, target=None, progress=None):
        seen["thread"] = threading.current_thread()
        seen["engine"] = own_desk.engine
        started.set()
        assert release.wait(10), "the test never let the export finish"
        return real(own_desk, handover_id, target, progress)

    monkeypatch.setattr(export, "export_handover", slow_export)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        screen._after_sign(SignOutcome("张伟", "李明", signed.handover.id))  # as the dialog does
        await pilot.pause()
        assert "交接完成" in _status(app) and "正在导出归档" in _status(app)
        table = screen.query_one("#handover-table", DataTable)
        row = table.cursor_row
        await pilot.press("down")  # the screen answers keys while the archive is written
        await pilot.pause()
        assert table.cursor_row == row + 1
        assert started.wait(5)
        assert seen["thread"] is not threading.main_thread()
        assert seen["engine"] is not app.desk.engine, "the worker has its own connections"
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "交接完成" in _status(app) and "已导出归档" in _status(app)
    report = verify_archives(desk.path.parent / "exports")
    assert report.ok and len(report.archives) == 1


async def test_after_an_early_handover_the_header_shows_the_shift_on_duty(desk, clock, officer):
    """QA: signed off at 17:45, the header still named the day shift (08:30–18:00) with the
    incoming officer; it is the night shift, begun at the sign-off, that is on duty."""
    from dutydesk.services.handover.handover import sign_off
    from dutydesk.services.roster.pins import verify_pin
    from tests.test_handover_domain import tick_all

    _prepare(desk, clock, officer)
    tick_all(desk)
    sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "314159"))
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        shift = str(app.screen.query_one("#header-shift", Static).render())
        duty = str(app.screen.query_one("#header-duty", Static).render())
        assert shift.startswith("夜班 17:45–08:30") and "李明" in duty  # from the sign-off


async def test_an_overdue_handover_is_counted_in_hours_and_minutes_past_an_hour(desk, clock):
    import pendulum

    from dutydesk.i18n import set_language
    from dutydesk.widgets.header import DutyHeader

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)

        async def shown_at(when: str) -> Static:
            clock.set(pendulum.parse(f"2026-11-{when}+08:00"))
            app.screen.query_one(DutyHeader).refresh_periodic()
            await pilot.pause()
            return app.screen.query_one("#header-handover", Static)

        label = await shown_at("23T18:00")  # the handover's very minute: nothing "past" yet
        assert str(label.render()) == "交接时间已到 18:00" and label.has_class("alert")
        label = await shown_at("23T18:59")
        assert str(label.render()) == "交接超时 18:00 · 已过59分钟"
        label = await shown_at("23T19:00")
        assert str(label.render()) == "交接超时 18:00 · 已过1小时00分"
        label = await shown_at("24T08:00")  # the next morning, still not handed over
        assert str(label.render()) == "交接超时 11-23 18:00 · 已过14小时00分"
        assert label.has_class("alert")
        set_language("en")
        label = await shown_at("24T08:05")
        assert str(label.render()) == "Handover overdue 11-23 18:00 · 14 h 05 min past"


async def _open_sign_off(app, pilot, desk) -> None:
    from tests.test_handover_domain import tick_all

    tick_all(desk)
    await _ready(app, pilot)
    await pilot.press("f5")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert type(app.screen).__name__ == "SignOffScreen"


def _pin_attempts(desk) -> int:
    from sqlmodel import select

    from dutydesk.db import read_session
    from dutydesk.models import PinAttempt

    with read_session(desk.engine) as session:  # at sign-off (not the administrator's)
        return len(session.exec(select(PinAttempt).where(PinAttempt.purpose == "handover")).all())


def _sign_text(app, widget: str) -> str:
    return str(app.screen.query_one(f"#sign-{widget}", Static).render())


async def test_the_prefilled_name_is_kept_and_the_pin_field_has_the_focus(desk, clock, officer):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        assert app.focused is app.screen.query_one("#sign-pin", Input)
        await pilot.press("enter")  # an empty PIN is not a try (it would count to the lockout)
        await pilot.pause()
        assert "请输入签字密码" in _sign_text(app, "status")
        assert _pin_attempts(desk) == 0
        await _type(pilot, "271828")  # straight away: the PIN, not over the name
        await pilot.press("enter")
        await pilot.pause()
        assert "交班人张伟已签字" in _sign_text(app, "done") and _pin_attempts(desk) == 1
        assert app.focused is app.screen.query_one("#sign-name", Input)  # the incoming: empty
        assert app.screen.query_one("#sign-name", Input).value == ""


async def test_tab_past_the_name_still_checks_it_before_the_pin(desk, clock, officer):
    """Tab instead of Enter in the name field: the same person is refused at that step (when
    the name is left, and again when the PIN is given), and nothing advances."""
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        await _type(pilot, "271828")
        await pilot.press("enter")
        await pilot.pause()
        await _type(pilot, "张伟")  # the incoming officer's name: the outgoing one again
        await pilot.press("tab")
        await pilot.pause()
        assert "同一人" in _sign_text(app, "status")
        await _type(pilot, "271828")
        await pilot.press("enter")
        await pilot.pause()
        assert "同一人" in _sign_text(app, "status")
        assert "接班人" not in _sign_text(app, "done")  # not signed
        assert app.screen.step == 1 and "incoming" not in app.screen.signed
        assert app.focused is app.screen.query_one("#sign-name", Input)  # to correct the name
        await _type(pilot, "李明")  # the name was selected: typing replaces it
        await pilot.press("tab")
        await pilot.pause()
        assert _sign_text(app, "status") == ""
        await _type(pilot, "314159")
        await pilot.press("enter")
        await pilot.pause()
        assert "接班人李明已签字" in _sign_text(app, "done")
        assert app.screen.step == 2


async def test_tab_past_an_ineligible_name_is_refused_at_the_pin(desk, clock, officer):
    from dutydesk.services.roster.people import add_person

    _prepare(desk, clock, officer)
    add_person(
        desk, "孙新", "officer", in_post_since=date(2026, 11, 1), authority=authority_for(desk)
    )  # new in post
    set_pin(desk, "孙新", "141421", "141421", authority=authority_for(desk))
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        await _type(pilot, "271828")
        await pilot.press("enter")
        await pilot.pause()
        await _type(pilot, "孙新")
        await pilot.press("tab")
        await _type(pilot, "141421")
        await pilot.press("enter")
        await pilot.pause()
        assert "不能接班" in _sign_text(app, "status")
        assert "incoming" not in app.screen.signed and app.screen.step == 1


async def test_a_pin_typed_into_the_name_field_goes_to_the_hidden_pin_field(desk, clock, officer):
    """QA session 10: a Tab gone astray (or a refusal putting the cursor back on the name) left
    a PIN typed fast in clear in the name field. Digits reaching the name field move to the
    PIN field at once; the name is kept and the PIN signs as if typed there."""
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        await _type(pilot, "271828")
        await pilot.press("enter")
        await pilot.pause()
        name = app.screen.query_one("#sign-name", Input)
        pin = app.screen.query_one("#sign-pin", Input)
        await _type(pilot, "李明314159")  # no Tab between the name and the PIN
        await pilot.pause()
        assert name.value == "李明"  # nothing of the PIN left on screen
        assert app.focused is pin and pin.value == "314159"
        await pilot.press("enter")
        await pilot.pause()
        assert "接班人李明已签字" in _sign_text(app, "done")


async def test_an_empty_name_is_asked_for_not_looked_up(desk, clock, officer):
    """QA session 10: Tab past an empty name said 人员名册中没有“”."""
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        await _type(pilot, "271828")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab")  # the incoming officer's name left empty
        await _type(pilot, "314159")
        await pilot.press("enter")
        await pilot.pause()
        assert _sign_text(app, "status") == "请填写姓名。"
        assert "incoming" not in app.screen.signed and app.screen.step == 1


async def test_a_pin_typed_into_the_standby_field_goes_to_the_hidden_pin_field(desk, clock,
                                                                                 officer):  # fmt: skip
    """QA session 12: Tab from the PIN field (as on any form) reached 接班值守人员, and the PIN
    typed there stayed on screen in clear."""
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        standby = app.screen.query_one("#sign-standby", Input)
        standby.focus()
        await pilot.pause()
        await _type(pilot, "271828")
        await pilot.pause()
        pin = app.screen.query_one("#sign-pin", Input)
        assert standby.value == ""  # nothing of the PIN left on screen
        assert app.focused is pin and pin.value == "271828"
