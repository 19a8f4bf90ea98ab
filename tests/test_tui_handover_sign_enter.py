"""Enter in the sign-off dialog's last field, the incoming standby (接班值守人员), signs as Enter
in the PIN field does: the same checks, the same messages, nothing signed on a refusal (new
officer: the incoming officer typed name, Tab, PIN, Tab, standby, Enter, and the cursor went
back to the name with nothing signed; at the leader's step a leader's name typed without a PIN
was dropped and the handover signed without him). Enter in the name still moves to the PIN."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input

from dutydesk.app import make_app
from dutydesk.db import read_session
from dutydesk.models import Handover, HandoverSignature
from tests.test_tui_handover import (
    SIZE,
    _open_sign_off,
    _pin_attempts,
    _prepare,
    _sign_text,
    _type,
)


def _signatures(desk) -> list[str]:
    with read_session(desk.engine) as session:
        return sorted(s.role for s in session.exec(select(HandoverSignature)).all())


def _handovers(desk) -> int:
    with read_session(desk.engine) as session:
        return len(session.exec(select(Handover)).all())


async def _sign_outgoing(app, pilot, desk) -> None:
    await _open_sign_off(app, pilot, desk)
    await _type(pilot, "271828")
    await pilot.press("enter")
    await pilot.pause()


async def _fill(pilot, name: str, pin: str, standby: str) -> None:
    """Name, Tab, PIN, Tab, standby: the fields in their order on screen, then Enter."""
    await _type(pilot, name)
    await pilot.press("tab")
    await _type(pilot, pin)
    await pilot.press("tab")
    await _type(pilot, standby)
    await pilot.press("enter")
    await pilot.pause()


async def test_enter_in_the_standby_field_signs_each_step_and_then_the_handover(
    desk, clock, officer
):
    from dutydesk.services.roster.shifts import on_duty

    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _sign_outgoing(app, pilot, desk)
        await _fill(pilot, "李明", "314159", "赵磊")
        assert "接班人李明已签字" in _sign_text(app, "done")
        assert app.screen.step == 2  # the leader's turn
        assert app.focused is app.screen.query_one("#sign-name", Input)
        await _type(pilot, "王建国")
        await pilot.press("tab")
        await _type(pilot, "161803")
        await pilot.press("tab", "enter")  # the standby kept as typed: Enter there signs
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        await app.workers.wait_for_complete()
    assert _signatures(desk) == ["incoming", "leader", "outgoing"]
    duty = on_duty(desk)
    assert duty is not None and duty.officer == "李明" and duty.standby == "赵磊"


async def test_enter_in_the_standby_field_refuses_as_the_pin_field_does(desk, clock, officer):
    """A leader named without a PIN, a wrong PIN, an unknown standby: each said, nothing
    signed; the leader is never dropped for Enter having been pressed in the standby."""
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _sign_outgoing(app, pilot, desk)
        await _fill(pilot, "李明", "314159", "")
        assert app.screen.step == 2
        tries = _pin_attempts(desk)

        await _fill(pilot, "王建国", "", "赵磊")  # no PIN: asked for, not a try
        assert type(app.screen).__name__ == "SignOffScreen"
        assert "请输入签字密码" in _sign_text(app, "status")
        assert app.focused is app.screen.query_one("#sign-pin", Input)
        assert _handovers(desk) == 0 and _pin_attempts(desk) == tries

        await _type(pilot, "000111")  # a wrong PIN, then Enter from the standby
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert "密码错误" in _sign_text(app, "status")
        assert "leader" not in app.screen.signed and _handovers(desk) == 0

        standby = app.screen.query_one("#sign-standby", Input)
        standby.value = "无此人"
        standby.focus()
        await pilot.press("enter")  # an unknown standby: said, no PIN tried, nothing signed
        await pilot.pause()
        assert "无此人" in _sign_text(app, "status")
        assert _pin_attempts(desk) == tries + 1 and _handovers(desk) == 0
        assert type(app.screen).__name__ == "SignOffScreen"


async def test_enter_in_the_name_field_still_moves_to_the_pin(desk, clock, officer):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _sign_outgoing(app, pilot, desk)
        await _type(pilot, "李明")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#sign-pin", Input)
        assert "incoming" not in app.screen.signed
