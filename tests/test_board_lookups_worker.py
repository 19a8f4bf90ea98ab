"""The board's row -> incident look-ups (the 核报's, 批示's or order's incident for Ctrl+G and
Ctrl+E, and the incident Ctrl+G re-grades) read the register in a worker, never on the UI
thread; the keys typed right after Ctrl+G or Ctrl+E still reach what it opens, as they did."""

from __future__ import annotations

import threading
import time

from textual.widgets import Input, Select

from dutydesk.app import make_app
from dutydesk.services import incidents as incidents_service
from dutydesk.services.incidents import add_verification
from dutydesk.services.incidents.incident_regrade import regrades_for
from dutydesk.widgets.countdown_table import CountdownTable
from tests.support_pilot import send_at_once, until_mounted
from tests.test_board_regrade_any import SIZE, _board, _close_all, _incident, _status


def _spied(monkeypatch, *names: str, slow_s: float = 0.0) -> list[tuple[str, bool]]:
    """Each call of the services `names` as (name, made on the UI thread); each takes `slow_s`
    longer (a busy disk), so keys typed on come while it runs."""
    calls: list[tuple[str, bool]] = []
    for name in names:
        real = getattr(incidents_service, name)

        def spy(*args, _name=name, _real=real, **kwargs):  # noqa: ANN002, ANN003, ANN202
            calls.append((_name, threading.current_thread() is threading.main_thread()))
            time.sleep(slow_s)
            return _real(*args, **kwargs)

        monkeypatch.setattr(incidents_service, name, spy)
    return calls


def _verification_row(desk, officer) -> int:
    """Incident 1 with its deadlines closed and a 核报 linked to it: the board's one row."""
    row = _incident(desk, officer, "III")
    _close_all(desk, officer)
    add_verification(desk, officer, received_at=None, subject="核实人民路燃气泄漏伤亡情况",
                     incident_id=row.id, reply_within=30)  # fmt: skip
    return row.id


async def _level_up_and_save(app, pilot) -> None:
    """In the re-grade dialog, its reason typed: one level up, Ctrl+S."""
    assert type(app.screen).__name__ == "RegradeDialog"
    app.screen.query_one("#regrade-level", Select).focus()
    await pilot.press("enter", "up", "enter")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _until(app, pilot, done, timeout_s: float = 5.0) -> None:
    """Wait until `done()`: the keys typed on wait for the board's look-up, then for the view's
    own read (a worker started once the first has ended), then go out one by one."""
    for _ in range(int(timeout_s / 0.05)):
        if done():
            return
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)


def _reason(app) -> str:
    return app.screen.query_one("#regrade-reason", Input).value


async def test_ctrl_g_looks_the_incident_up_in_a_worker_and_the_keys_typed_on_reach_it(
    desk, clock, officer, monkeypatch
):
    incident_id = _verification_row(desk, officer)
    calls = _spied(monkeypatch, "get_verification", "get_incident", slow_s=0.3)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        board.query_one("#board", CountdownTable).focus()
        await pilot.press("ctrl+g", "tab", *"伤亡扩大")  # typed on while the row is looked up
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _reason(app) == "伤亡扩大"  # held, then given to the dialog, none lost
        await _level_up_and_save(app, pilot)
        assert app.screen is board, type(app.screen).__name__
        assert "Ⅱ级" in _status(board)
    assert [r.new_level for r in regrades_for(desk, incident_id)] == ["II"]
    assert ("get_verification", False) in calls and ("get_incident", False) in calls
    assert not [name for name, on_ui in calls if on_ui], calls


async def test_a_number_asked_for_is_looked_up_in_a_worker_too(desk, clock, officer, monkeypatch):
    row = _incident(desk, officer, "III")
    _close_all(desk, officer)
    calls = _spied(monkeypatch, "get_incident", slow_s=0.3)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        await pilot.press("ctrl+g", *str(row.id), "enter", "tab", *"死亡人数上升")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _reason(app) == "死亡人数上升"
        await _level_up_and_save(app, pilot)
        assert app.screen is board and "Ⅱ级" in _status(board)
    assert calls and not [name for name, on_ui in calls if on_ui], calls


async def test_ctrl_e_on_a_verification_row_opens_its_incident_read_in_a_worker(
    desk, clock, officer, monkeypatch
):
    from dutydesk.screens.incident_view import IncidentViewScreen

    incident_id = _verification_row(desk, officer)
    calls = _spied(monkeypatch, "get_verification", slow_s=0.3)
    closed: list[int] = []
    back = IncidentViewScreen.action_back

    def counted_back(screen) -> None:  # noqa: ANN001
        closed.append(screen.incident_id)
        back(screen)

    monkeypatch.setattr(IncidentViewScreen, "action_back", counted_back)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        board.query_one("#board", CountdownTable).focus()
        await pilot.press("ctrl+e", "escape")  # Esc typed on: closes the view it opened
        await _until(app, pilot, lambda: closed and app.screen is board)
        assert closed == [incident_id] and app.screen is board
        await pilot.press("ctrl+e")
        await _until(app, pilot, lambda: type(app.screen).__name__ == "IncidentViewScreen")
        assert type(app.screen).__name__ == "IncidentViewScreen"
        assert app.screen.incident_id == incident_id
    assert calls == [("get_verification", False)] * 2


async def test_ctrl_t_reads_the_first_report_draft_in_a_worker(desk, clock, officer, monkeypatch):
    _incident(desk, officer, "III")
    calls = _spied(monkeypatch, "get_incident", "draft_first_report", slow_s=0.3)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        board.query_one("#board", CountdownTable).focus()
        await pilot.press("ctrl+t", "escape")  # Esc typed on closes the draft it opened
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is board
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "TextDialog"
        assert "人民路" in app.screen.query_one("#text-dialog-body").text
    assert len(calls) == 4 and not [name for name, on_ui in calls if on_ui], calls


async def test_a_key_typed_right_after_ctrl_e_reaches_the_incident_view_once_it_has_read(
    desk, clock, officer, monkeypatch
):
    """Ctrl+E then `d` (拟办) in one burst: the view reads its incident in a worker, and `d`
    came while it had nothing to draft from (dropped: breaker, session 17). What is typed on
    after `d` goes into the form `d` opens."""
    from dutydesk.services import documents

    _incident(desk, officer, "III")
    real = documents.incident_with_level

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        time.sleep(0.3)  # a busy disk: the keys come while the view reads
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "incident_with_level", slow)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        board = await _board(app, pilot)
        board.query_one("#board", CountdownTable).focus()
        send_at_once(app, ["ctrl+e", "d", *"立即处置"])  # the instruction typed on too
        await _until(app, pilot, lambda: type(app.screen).__name__ == "OrderDraftForm")
        assert type(app.screen).__name__ == "OrderDraftForm", type(app.screen).__name__
        await until_mounted(pilot, app.screen)
        field = app.screen.query_one("#e-order_instruction")
        await _until(app, pilot, lambda: field.text == "立即处置")
        assert field.text == "立即处置"
