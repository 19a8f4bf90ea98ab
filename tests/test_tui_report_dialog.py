"""Ctrl+D on the board opens the report dialog: it names the deadline, its article and how late
the report is, records the report (or reply, or feedback) that closes the deadline, and the
incident register's 报告情况 shows it. Driven with keys."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from dutydesk.app import make_app
from dutydesk.paths import configured_export_dir, use_export_dir
from dutydesk.services.incidents import (
    add_verification,
    deadlines,
    register_table,
    report_chain,
)
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.incidents.verifications import replies_for
from dutydesk.services.roster.shifts import current_shift

SIZE = (120, 36)


def _incident(desk, officer, minutes_ago: int):
    when = desk.now().subtract(minutes=minutes_ago)  # happened and received then
    draft = IncidentDraft(type="accident", level="III", place="人民路", summary="燃气管道破裂",
                          occurred_at=when, received_at=when)  # fmt: skip
    return record_incident(desk, draft, officer)


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _dialog_on_first_row(app, pilot, key: str = "ctrl+d") -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()


async def _save(app, pilot) -> None:
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_late_first_report_by_phone_lands_in_the_register(desk, clock, officer):
    row = _incident(desk, officer, 41)  # Tianjin art. 20: phone within 30 minutes
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _dialog_on_first_row(app, pilot)
        assert type(app.screen).__name__ == "ReportDialog"
        assert "电话报告" in _text(app, "#report-what")
        assert "天津规定第二十条" in _text(app, "#report-due")  # the article (Tianjin art. 20)
        assert "迟报 11 分钟" in _text(app, "#report-late")
        app.screen.query_one("#report-to").focus()
        await _save(app, pilot)  # no recipient: refused, nothing written
        assert type(app.screen).__name__ == "ReportDialog"
        assert "报送对象" in _text(app, "#report-status")
        assert report_chain(desk, row.id) == []
        await pilot.press(*"市应急管理局")
        await _save(app, pilot)
        assert type(app.screen).__name__ == "DeadlinesScreen"
        assert "迟报 11 分钟" in _text(app, "#board-status")
    steps = report_chain(desk, row.id)
    assert [(s.kind, s.to_whom, s.phoned_at) for s in steps] == [
        ("first", "市应急管理局", desk.now())
    ]
    phone = [v for v in deadlines.deadlines_for(desk, "incident", row.id) if v.channel == "phone"]
    assert (phone[0].status, phone[0].late_minutes) == ("late", 11)
    header, rows = register_table(desk, current_shift(desk))
    reports = rows[0][header.index("报告情况")]
    assert "首报" in reports and "电话" in reports and "市应急管理局" in reports
    assert "迟报11分钟" in reports


async def test_a_typed_time_is_read_by_the_short_time_rule_and_judged(desk, clock, officer):
    _incident(desk, officer, 41)  # happened 09:19: phone due 09:49
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _dialog_on_first_row(app, pilot)
        app.screen.query_one("#report-phoned-at").focus()
        await pilot.press(*"09:45")
        await pilot.pause()
        assert "在时限内" in _text(app, "#report-late")
        await pilot.press("backspace", "backspace", *"55")
        await pilot.pause()
        assert "迟报 6 分钟" in _text(app, "#report-late")
        await pilot.press("ctrl+u", *"10:30")  # not yet 10:30, and the duty began at 08:30
        await pilot.pause()
        assert "晚于现在" in _text(app, "#report-late")
        await pilot.press("ctrl+u", *"09:55")
        await pilot.press("backspace", "backspace", "backspace", *"x")
        await pilot.pause()
        app.screen.query_one("#report-to").focus()
        await pilot.press(*"市应急管理局")
        await _save(app, pilot)  # an unreadable time: said, nothing written
        assert type(app.screen).__name__ == "ReportDialog"
        assert "“09x”" in _text(app, "#report-status")
    assert [v.status for v in deadlines.open_deadlines(desk)] == ["overdue", "ok"]


async def test_a_verification_deadline_takes_the_reply(desk, clock, officer):
    row = add_verification(desk, officer, received_at=None, subject="核实伤亡人数")
    clock.advance(minutes=5)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _dialog_on_first_row(app, pilot)
        assert "核报" in _text(app, "#report-what")
        app.screen.query_one("#report-content").focus()
        await pilot.press(*"已核实2人受伤")
        await _save(app, pilot)
        assert "已按时完成" in _text(app, "#board-status")
    assert [r.content for r in replies_for(desk, row.id)] == ["已核实2人受伤"]


async def test_an_acknowledgement_without_a_reason_is_refused(desk, clock, officer):
    _incident(desk, officer, 41)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _dialog_on_first_row(app, pilot, "ctrl+a")
        assert type(app.screen).__name__ == "AckDialog"
        await _save(app, pilot)
        assert type(app.screen).__name__ == "AckDialog"
        assert "原因" in _text(app, "#ack-status")
    assert deadlines.open_deadlines(desk)[0].acked_at is None


@pytest.fixture
def export_dir(tmp_path):
    before = configured_export_dir()
    folder = tmp_path / "exports-here"
    folder.mkdir()
    use_export_dir(folder)
    yield folder
    use_export_dir(before)


async def test_the_first_report_is_saved_from_the_dialog_in_english(
    desk, clock, officer, export_dir
):
    _incident(desk, officer, 5)
    app = make_app(desk.path, clock=clock, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _dialog_on_first_row(app, pilot)
        assert "within the limit" in _text(app, "#report-late")
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "ReportDialog"
        assert "First report No. 1 [2026] saved" in _text(app, "#report-status")
    assert sorted(p.suffix for p in export_dir.iterdir()) == [".docx", ".txt"]


@pytest.mark.parametrize(("size", "lang"), [((120, 36), "zh"), ((80, 24), "en")])
def test_report_dialog_snapshot(desk, clock, officer, snap_compare, size, lang):
    # 15 minutes left, not yet near: an overdue row behind the dialog flashes, and how many
    # real-time ticks ran before the picture (load) decided its phase
    _incident(desk, officer, 15)
    app = make_app(desk.path, clock=clock, lang=lang)

    async def ready(pilot) -> None:
        await _dialog_on_first_row(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)


async def test_an_acknowledgement_of_a_deadline_not_yet_near_is_refused_before_the_reason(
    desk, clock, officer
):
    _incident(desk, officer, 1)  # 29 minutes left of the phone deadline: nothing to acknowledge
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _dialog_on_first_row(app, pilot, "ctrl+a")
        assert type(app.screen).__name__ == "DeadlinesScreen", "no reason asked for in vain (QA)"
        assert "无需确认提醒" in _text(app, "#board-status")
