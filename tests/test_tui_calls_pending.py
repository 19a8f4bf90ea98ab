"""Calls queued by Ctrl+S are never only in memory (review, session 11): the queue is on disk
beside the register while the calls are written; a save that fails while the next call is being
typed is handed back (kept, brought back by Ctrl+R), never dropped; a call left with its time
blank is stamped at its Ctrl+S, not when a queued save reaches the disk."""

from __future__ import annotations

import threading

import pendulum
from textual.widgets import Input, TextArea

from dutydesk.app import make_app
from dutydesk.errors import DutyError
from dutydesk.screens.call_pending import PENDING_DRAFT
from dutydesk.services.calls.calls import list_calls
from dutydesk.services.core import load_draft
from tests.test_tui_calls import SIZE, _ready, _status, _type


async def _call(pilot, caller: str, summary: str) -> None:
    await _type(pilot, caller)
    for text in ("城关镇", "0371-66000000", summary):
        await pilot.press("tab")
        await _type(pilot, text)


def _gated(monkeypatch, fail: set[str] | None = None) -> threading.Event:
    """save_call waits for the gate; callers named in `fail` are refused like a full disk."""
    from dutydesk.services import calls as calls_service

    gate, real_save = threading.Event(), calls_service.save_call

    def gated_save(desk, draft, recorder):  # noqa: ANN001, ANN202
        gate.wait(10)
        if fail and draft.caller in fail:
            raise DutyError("db.disk_full", path=str(desk.path))
        return real_save(desk, draft, recorder)

    monkeypatch.setattr(calls_service, "save_call", gated_save)
    return gate


def _pending_callers(desk) -> list[str]:
    """The callers in every app's pending file beside the register."""
    names = sorted(p.name for p in desk.path.parent.iterdir())
    head, tail = f"{desk.path.name}.", ".draft.json"
    forms = [n[len(head) : -len(tail)] for n in names
             if n.startswith(head + PENDING_DRAFT) and n.endswith(tail)]  # fmt: skip
    kept = [load_draft(desk.path, form) or {"calls": []} for form in forms]
    return [values["caller"] for found in kept for values in found["calls"]]


async def _settle(app, pilot, desk, count: int) -> None:
    for _ in range(80):
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        if len(list_calls(desk)) >= count:
            return


async def test_queued_calls_are_on_disk_until_written(desk, clock, monkeypatch):
    gate = _gated(monkeypatch)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _call(pilot, "李一", "第一条")
        await pilot.press("ctrl+s")
        await _call(pilot, "李二", "第二条")
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert _pending_callers(desk) == ["李一", "李二"]  # a kill now loses neither
        gate.set()
        await _settle(app, pilot, desk, 2)
        assert _pending_callers(desk) == []
    assert sorted(v.caller for v in list_calls(desk)) == ["李一", "李二"]


async def test_calls_pending_at_a_kill_come_back_with_ctrl_r(desk, clock, monkeypatch):
    _gated(monkeypatch)  # never opened: the program "dies" with both calls pending
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _call(pilot, "李一", "第一条")
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        pending = app.screen.pending
        pending.in_flight = None  # the worker's result never arrives
        pending.queued.clear()
        pending._own.release()  # as the kernel does when the process is killed
    monkeypatch.undo()
    again = make_app(desk.path, clock=clock)
    async with again.run_test(size=SIZE) as pilot:
        await _ready(again, pilot)
        assert "Ctrl+R" in _status(again)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert again.screen.query_one("#f-caller", Input).value == "李一"
        assert again.screen.query_one("#f-summary", TextArea).text == "第一条"
        await pilot.press("ctrl+s")
        await _settle(again, pilot, desk, 1)
    assert [v.caller for v in list_calls(desk)] == ["李一"]
    assert _pending_callers(desk) == []


async def test_a_failed_save_while_the_next_call_is_typed_is_handed_back(desk, clock,
                                                                          monkeypatch):  # fmt: skip
    gate = _gated(monkeypatch, fail={"李一", "李二"})
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        for caller in ("李一", "李二"):
            await _call(pilot, caller, f"{caller}的内容")
            await pilot.press("ctrl+s")
        await _type(pilot, "王三")  # the next call is being typed when both fail
        gate.set()
        await _settle(app, pilot, desk, 99)
        screen = app.screen
        assert screen.query_one("#f-caller", Input).value == "王三"  # not overwritten
        assert "Ctrl+R" in _status(app) and "2" in _status(app)
        assert _pending_callers(desk) == ["李一", "李二"]  # kept on disk
        await pilot.press("ctrl+r")  # refused: the form is busy
        await pilot.pause()
        assert screen.query_one("#f-caller", Input).value == "王三"
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.query_one("#f-caller", Input).value == "李一"
        assert _pending_callers(desk) == ["李二"]
        assert load_draft(desk.path, "call")["caller"] == "李一"  # the form's draft has it
    assert list_calls(desk) == []


async def test_a_blank_time_is_the_time_of_ctrl_s(desk, clock, monkeypatch):
    gate = _gated(monkeypatch)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        pressed = clock.now()
        await _call(pilot, "李一", "第一条")
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        clock.advance(minutes=7)  # the disk was slow
        gate.set()
        await _settle(app, pilot, desk, 1)
    (view,) = list_calls(desk)
    assert abs((view.received_at - pressed).total_seconds()) < 60
    assert view.received_at < pendulum.instance(clock.now()).subtract(minutes=5)


async def test_two_apps_on_one_register_keep_each_its_own_pending_calls(desk, clock,
                                                                         monkeypatch):  # fmt: skip
    """Breaker, session 12: two apps shared one pending file, and a write by one dropped the
    other's call; a running app's calls are never taken by another one starting."""
    _gated(monkeypatch)
    first, second = make_app(desk.path, clock=clock), make_app(desk.path, clock=clock)
    async with first.run_test(size=SIZE) as pilot:
        await _ready(first, pilot)
        await _call(pilot, "李一", "第一条")
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        async with second.run_test(size=SIZE) as other:
            await _ready(second, other)
            assert second.screen.pending.handed_back == []  # the first app still runs
            await _call(other, "王二", "第二条")
            await other.press("ctrl+s")
            await other.pause(0.1)
            assert sorted(_pending_callers(desk)) == ["李一", "王二"]
            second.screen.pending._own.release()
        first.screen.pending._own.release()


async def test_a_fifo_at_a_draft_name_does_not_stop_the_start(desk, clock):
    import os

    os.mkfifo(desk.path.with_name(f"{desk.path.name}.{PENDING_DRAFT}.draft.json"))
    os.mkfifo(desk.path.with_name(f"{desk.path.name}.call.draft.json"))
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert app.screen.query_one("#f-caller", Input).value == ""


def _burst(app, keys: list[str]) -> None:
    """Keys sent as a terminal delivers a burst: all at once, nothing waited for between."""
    from textual import events

    for key in keys:
        char = key if len(key) == 1 else ("\t" if key == "tab" else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def _call_keys(caller: str, unit: str, summary: str) -> list[str]:
    return [*caller, "tab", *unit, "tab", *"0371-66000000", "tab", *summary, "ctrl+s"]


async def test_a_burst_of_calls_typed_on_after_ctrl_s_is_saved_call_by_call(desk, clock):
    """QA, session 12: two whole calls and the start of a third typed in one burst: the second
    Ctrl+S did nothing and the calls' text went into each other's fields."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        _burst(app, [*_call_keys("李一", "柳林镇", "第一条"), *_call_keys("王二", "城关镇", "第二条"),
                     *"赵三"])  # fmt: skip
        await _settle(app, pilot, desk, 2)
        await pilot.pause(0.2)
        assert app.screen.query_one("#f-caller", Input).value == "赵三"
        assert app.screen.query_one("#f-summary", TextArea).text == ""
    saved = sorted((v.caller, v.unit, v.summary) for v in list_calls(desk))
    assert saved == [("李一", "柳林镇", "第一条"), ("王二", "城关镇", "第二条")]


async def test_a_kept_call_already_in_the_register_is_not_brought_back(desk, clock, officer):
    """QA, session 12: killed between its commit and its note of it, a saved call was kept as
    pending; brought back with Ctrl+R and saved again, it became a duplicate."""
    from dutydesk.services.calls.calls import CallDraft, save_call
    from dutydesk.services.core import save_draft

    at = clock.now().in_timezone(desk.timezone)
    saved = save_call(desk, CallDraft(caller="李一", unit="城关镇", phone="0371-66000000",
                                      summary="第一条", received_at=at), officer)  # fmt: skip
    stamped = at.format("YYYY-MM-DD HH:mm:ss")
    kept = [{"caller": "李一", "unit": "城关镇", "phone": "0371-66000000", "summary": "第一条",
             "received_at": stamped},
            {"caller": "王二", "unit": "城关镇", "phone": "0371-66000000", "summary": "第二条",
             "received_at": stamped}]  # fmt: skip
    save_draft(desk.path, f"{PENDING_DRAFT}-0123456789ab", {"calls": kept})
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert saved.number in _status(app)
        assert [v["caller"] for v in app.screen.pending.handed_back] == ["王二"]
        assert _pending_callers(desk) == ["王二"]
        app.screen.pending._own.release()


async def test_keys_after_a_refused_ctrl_s_in_a_burst_stay_out_of_the_refused_call(desk, clock):
    """Breaker, session 12: the next call typed on after a refused Ctrl+S (its unit left out)
    went into the refused call's fields and overwrote its phone."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        refused = [*"丁四", "tab", "tab", *"13800000004", "tab", *"内容丁", "ctrl+s"]
        _burst(app, [*refused, *_call_keys("戊五", "单位戊", "内容戊")])
        await _settle(app, pilot, desk, 1)
        await pilot.pause(0.2)
        screen = app.screen
        assert screen.query_one("#f-caller", Input).value == "丁四"
        assert screen.query_one("#f-unit", Input).value == ""
        assert screen.query_one("#f-phone", Input).value == "13800000004"
        assert screen.query_one("#f-summary", TextArea).text == "内容丁"
        assert "戊五" in _status(app) and "单位" in _status(app)  # shown, and the refusal
    assert list_calls(desk) == []


def test_of_two_like_calls_in_one_second_only_the_one_written_is_taken_as_saved(desk, clock,
                                                                                 officer):  # fmt: skip
    """Breaker, session 12: kept calls were matched to the register by their second alone."""
    from dutydesk.services.calls import already_saved
    from dutydesk.services.calls.calls import CallDraft, save_call
    from dutydesk.services.calls.saved_check import INSTANT

    at = clock.now().in_timezone(desk.timezone)
    fields = {"caller": "李一", "unit": "城关镇", "phone": "0371-66000000", "summary": "第一条"}
    save_call(desk, CallDraft(**fields, received_at=at), officer)
    shown = at.format("YYYY-MM-DD HH:mm:ss")
    written = {**fields, "received_at": shown, INSTANT: at.isoformat()}
    other = {**fields, "received_at": shown, INSTANT: at.add(microseconds=500).isoformat()}
    assert already_saved(desk, [other, written]) == {1: list_calls(desk)[0].number}
    assert already_saved(desk, [{**fields, "received_at": shown}]) == {
        0: list_calls(desk)[0].number
    }


async def test_a_draft_and_pending_calls_restored_together_are_both_said(desk, clock, monkeypatch):
    """The pending calls' line replaced the draft's (breaker, session 14): one line says both,
    and that the form is to be saved or cleared before Ctrl+R."""
    from dutydesk.services.core import save_draft

    _gated(monkeypatch)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _call(pilot, "李一", "第一条")
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        pending = app.screen.pending
        pending.in_flight = None
        pending.queued.clear()
        pending._own.release()
    monkeypatch.undo()
    save_draft(desk.path, "call", {"caller": "王二", "summary": "第二条，未保存"})
    again = make_app(desk.path, clock=clock)
    async with again.run_test(size=SIZE) as pilot:
        await _ready(again, pilot)
        assert again.screen.query_one("#f-caller", Input).value == "王二"
        said = _status(again)
        assert "未保存的内容" in said and "Ctrl+R" in said and "1 条" in said
