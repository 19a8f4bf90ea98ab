"""Ctrl+G on the board re-grades any incident, as `dutydesk incidents regrade` does: the one
behind the selected row (its deadline or one of its orders), else the one whose number is asked
for; an incident whose deadlines are all closed has no row of its own and was out of reach."""

from __future__ import annotations

from datetime import date

import pendulum
from textual.widgets import Static

from dutydesk.app import make_app
from dutydesk.clock import FrozenClock
from dutydesk.i18n import t
from dutydesk.services.core.desk import init_database
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_regrade import regrades_for
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.roster.people import add_person, find_person
from dutydesk.services.roster.shifts import open_shift
from dutydesk.widgets.countdown_table import CountdownTable
from tests.support_people import authority_for

SIZE = (120, 36)


def _incident(desk, officer, level: str):
    draft = IncidentDraft(type="accident", level=level, occurred_at=desk.now(), place="人民路",
                          summary="燃气管道破裂")  # fmt: skip
    return record_incident(desk, draft, officer)


def _close_all(desk, officer) -> None:
    for view in deadlines.open_deadlines(desk):
        deadlines.close_deadline(desk, view.id, officer, reason="已电话报告市应急局")
    assert deadlines.open_deadlines(desk) == []


async def _board(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()
    assert type(app.screen).__name__ == "DeadlinesScreen"
    return app.screen


async def _regrade_up(app, pilot, reason: str) -> None:
    """In the re-grade dialog: one level up, a reason, Ctrl+S."""
    assert type(app.screen).__name__ == "RegradeDialog"
    await pilot.press("enter", "up", "enter")
    await pilot.pause()
    await pilot.press("tab", *reason, "ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()


def _status(screen) -> str:
    return str(screen.query_one("#board-status", Static).render())


async def test_an_incident_with_every_deadline_closed_is_regraded_by_its_number(
    desk, clock, officer
):
    row = _incident(desk, officer, "III")
    _close_all(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        assert board.query_one("#board", CountdownTable).row_count == 0
        await pilot.press("ctrl+g")  # no row to act on: the incident's number is asked for
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        assert type(app.screen).__name__ == "IncidentAsk"
        assert "重新定级" in str(app.screen.query_one("#ask-box").border_title)
        await pilot.press(*str(row.id))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert f"#{row.id}" in str(app.screen.query_one("#regrade-box").border_title)
        await _regrade_up(app, pilot, "死亡人数上升")
        assert app.screen is board
        assert "Ⅱ级" in _status(board)
    assert [r.new_level for r in regrades_for(desk, row.id)] == ["II"]


async def test_an_unknown_number_is_said_and_escape_changes_nothing(desk, clock, officer):
    row = _incident(desk, officer, "III")
    _close_all(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        await pilot.press("ctrl+g", "escape")
        await pilot.pause()
        assert app.screen is board
        await pilot.press("ctrl+g")
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        await pilot.press(*str(row.id + 40))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is board
        assert str(row.id + 40) in _status(board)
    assert regrades_for(desk, row.id) == []


async def test_an_order_row_regrades_its_incident_whose_deadline_is_closed(tmp_path):
    from dutydesk.services.documents import OrderDraft, draft_order

    clock = FrozenClock(pendulum.parse("2026-11-23T10:00:00+08:00"))
    desk = init_database(tmp_path / "d.sqlite3", "某区政府总值班室", "district", clock)
    for name, role in (("张伟", "officer"), ("王建国", "leader"), ("赵磊", "standby")):
        add_person(desk, name, role, in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
    open_shift(desk, "张伟", leader="王建国", standby="赵磊")
    row = _incident(desk, find_person(desk, "张伟"), "IV")
    _close_all(desk, find_person(desk, "张伟"))
    order = OrderDraft(row.id, "事故灾难", "一般", "立即组织交警、医疗力量赶赴现场处置")
    draft_order(desk, find_person(desk, "赵磊"), order)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        table = board.query_one("#board", CountdownTable)
        assert table.row_count == 1 and table.cursor_key.startswith("order:")
        table.focus()
        await pilot.press("ctrl+g")  # the order's incident, with no question asked
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        await _regrade_up(app, pilot, "伤亡扩大")
        assert app.screen is board
    assert [r.new_level for r in regrades_for(desk, row.id)] == ["III"]
    desk.close()


async def test_a_verification_row_regrades_the_incident_it_is_linked_to(desk, clock, officer):
    """New officer, session 16: Ctrl+G on the 核报 row of incident 1 asked for the number."""
    from dutydesk.services.incidents import add_verification

    row = _incident(desk, officer, "III")
    _close_all(desk, officer)
    add_verification(desk, officer, received_at=None, subject="核实人民路燃气泄漏伤亡情况",
                     incident_id=row.id, reply_within=30)  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        table = board.query_one("#board", CountdownTable)
        assert table.row_count == 1
        table.focus()
        await pilot.press("ctrl+g")  # the 核报's incident, with no question asked
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        await _regrade_up(app, pilot, "伤亡扩大")
        assert app.screen is board
    assert [r.new_level for r in regrades_for(desk, row.id)] == ["II"]


async def test_a_number_larger_than_any_id_is_said_unknown_not_a_crash(desk, clock, officer):
    """Breaker, session 16: 99999999999999999999 raised OverflowError (SQLite's INTEGER) and
    closed the app."""
    row = _incident(desk, officer, "III")
    _close_all(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        for number in ("9223372036854775808", "99999999999999999999999999"):
            await pilot.press("ctrl+g")
            await app.workers.wait_for_complete()  # the board reads in a worker
            await pilot.pause()
            await pilot.press(*number, "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen is board and app.is_running
            assert t("db.no_such_record") in _status(board)
    assert regrades_for(desk, row.id) == []
