"""The app's side of issue 14 item 5: the sign-off dialog says how early an early sign-off is,
and after it the header names the shift `shift status` names, up to its due handover."""

from __future__ import annotations

from textual.widgets import Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from tests.test_tui_handover import SIZE, _open_sign_off, _prepare, _ready


async def test_the_sign_off_dialog_says_how_early_it_is(desk, clock, officer):
    _prepare(desk, clock, officer)  # 17:45; the day shift is due to be handed over at 18:00
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        await app.workers.wait_for_complete()
        await pilot.pause()
        explain = str(app.screen.query_one("#sign-explain", Static).render())
        assert t("handover.early", due="2026-11-23 18:00", hours=0, minutes=15) in explain


async def test_the_header_and_shift_status_name_the_same_shift_after_an_early_handover(
    desk, clock, officer, cli
):
    from dutydesk.services.handover.handover import sign_off
    from dutydesk.services.roster.pins import verify_pin
    from tests.test_handover_domain import tick_all

    _prepare(desk, clock, officer)
    clock.set(clock.now().set(hour=17, minute=40))  # twenty minutes early
    tick_all(desk)
    sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "314159"))
    clock.set(clock.now().set(hour=17, minute=50))  # the clock is in the day slot
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        header = str(app.screen.query_one("#header-shift", Static).render())
    desk.close()
    cli.at("2026-11-23T17:50:00+08:00")
    status = cli("shift", "status").output.splitlines()[0]
    # the night shift on duty since the sign-off, not the day shift the clock was in then
    assert header.startswith(t("header.shift", shift="夜班", start="17:40", end="08:30"))
    assert status.startswith(t("shift.window", shift="夜班", start="11-23 17:40",
                                end="11-24 08:30", cite="")[:-2])  # fmt: skip


async def test_the_henan_sign_off_dialog_asks_both_officers_of_each_side(tmp_path):
    from datetime import date

    from textual.widgets import Input

    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.handover.handover import signatures
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.pins import set_pin
    from dutydesk.services.roster.shifts import crew_names, current_shift, open_shift
    from tests.conftest import OFFICE, T0
    from tests.support_people import authority_for
    from tests.test_tui_handover import _type

    clock = FrozenClock(T0)
    desk = init_database(tmp_path / "henan.sqlite3", OFFICE, "henan", clock)
    for name in ("张伟", "李娜", "刘洋", "陈静"):
        add_person(desk, name, "officer", in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
        set_pin(desk, name, "271828", "271828", authority=authority_for(desk))
    open_shift(desk, "张伟", second_officer="李娜")
    clock.advance(hours=7, minutes=45)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        steps = []
        for name in ("张伟", "李娜", "刘洋", "陈静"):
            steps.append(str(app.screen.query_one("#sign-step", Static).render()))
            app.screen.query_one("#sign-name", Input).value = name
            app.screen.query_one("#sign-pin", Input).focus()
            await _type(pilot, "271828")
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("enter")  # no leader: skipped
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert steps == [t("handover_screen.sign_step_" + step) for step in
                     ("outgoing", "out_second", "incoming", "in_second")]  # fmt: skip
    shift = current_shift(desk)
    assert shift is not None
    assert crew_names(desk, shift.id) == {"officer": "刘洋", "second_officer": "陈静"}
    from dutydesk.db import read_session
    from dutydesk.models import Handover

    with read_session(desk.engine) as session:
        handover = session.get(Handover, 1)
    assert handover is not None
    assert [s.role for s in signatures(desk, handover.id)] == ["outgoing", "out_second",
                                                               "incoming", "in_second"]  # fmt: skip
    desk.close()


async def test_every_screens_header_names_the_new_officer_after_a_handover(desk, clock, officer):
    """Signed on F5, the calls screen (F2) and the board (F3) name the incoming officer too:
    each header repaints when the app's shift changes, not only the header on screen then."""
    from dutydesk.services.handover.handover import sign_off
    from dutydesk.services.roster.pins import verify_pin
    from tests.test_handover_domain import tick_all

    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f3")
        await _ready(app, pilot)
        await pilot.press("f2")
        await _ready(app, pilot)
        before = str(app.screen.query_one("#header-duty", Static).render())
        await pilot.press("f5")
        await _ready(app, pilot)
        tick_all(desk)
        sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "314159"))
        app.refresh_shift()  # as the handover screen does after its sign-off
        shown = {}
        for key in ("f2", "f3"):
            await pilot.press(key)
            await pilot.pause(1.2)  # the header's one-second tick
            shown[key] = str(app.screen.query_one("#header-duty", Static).render())
    assert "张伟" in before
    assert all("李明" in text and "张伟" not in text for text in shown.values()), shown


async def test_the_dialog_refuses_the_shifts_leader_as_its_second_officer_before_the_pin(
    tmp_path,
):
    """QA: 王建国, the outgoing shift's leader, typed as 交班第二值班员 was asked for his PIN
    and refused only after all four; now refused when the name is entered."""
    from datetime import date

    from textual.widgets import Input

    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.pins import set_pin
    from dutydesk.services.roster.shifts import open_shift
    from tests.conftest import OFFICE, T0
    from tests.support_people import authority_for
    from tests.test_tui_handover import _type

    clock = FrozenClock(T0)
    desk = init_database(tmp_path / "henan.sqlite3", OFFICE, "henan", clock)
    for name, role in (("张伟", "officer"), ("李娜", "officer"), ("王建国", "leader")):
        add_person(desk, name, role, in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
        set_pin(desk, name, "271828", "271828", authority=authority_for(desk))
    open_shift(desk, "张伟", "王建国", second_officer="李娜")
    clock.advance(hours=7, minutes=45)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        app.screen.query_one("#sign-pin", Input).focus()
        await _type(pilot, "271828")
        await pilot.press("enter")  # 张伟 signs
        await pilot.pause()
        app.screen.query_one("#sign-name", Input).value = "王建国"
        app.screen.query_one("#sign-name", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        status = str(app.screen.query_one("#sign-status", Static).render())
        focused = app.focused.id if app.focused else None
    desk.close()
    assert status == t("handover.second_signer_not_on_shift", name="王建国")
    assert focused == "sign-name"  # the PIN is not asked for
