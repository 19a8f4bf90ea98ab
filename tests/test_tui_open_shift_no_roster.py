"""The open-shift dialog with no roster (QA session 10): it proposed the register's first officer
and leader, people on no shift at all. Now it proposes the people of the shift on duty, or, with
no shift on duty, nobody, and says so; Ctrl+S without an officer says one is needed and takes
the cursor to the officer's choice. (A later change preselected the first of each role again,
the choices no longer blank, so a single Ctrl+S seated people nobody chose; review, session 12.)
The Selects take their value on mount: the tests wait for it (support_pilot.until_mounted)."""

from __future__ import annotations

from datetime import date

from textual.widgets import Select, Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.roster import current_shift, on_duty
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.shifts import open_shift
from tests.support_people import authority_for
from tests.support_pilot import until_mounted


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await until_mounted(pilot, app.screen)


def _register(desk) -> None:
    """Officers 李娜 and 张伟, leaders 刘强 and 王建国, in that order (the first of each role
    is the one the dialog used to propose)."""
    for name, role in (("李娜", "officer"), ("张伟", "officer"), ("刘强", "leader"),
                       ("王建国", "leader")):  # fmt: skip
        add_person(desk, name, role, in_post_since=date(2024, 1, 1), authority=authority_for(desk))


def _values(screen) -> dict[str, object]:
    return {role: screen.query_one(f"#shift-{role}", Select).value
            for role in ("officer", "leader", "standby")}  # fmt: skip


async def test_with_a_shift_on_duty_its_people_are_proposed(bare_desk, clock):
    _register(bare_desk)
    open_shift(bare_desk, "张伟", leader="王建国")
    app = make_app(bare_desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        app.ask_open_shift()
        await _ready(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "OpenShiftScreen"
        assert _values(screen) == {"officer": "张伟", "leader": "王建国", "standby": Select.NULL}
        line = str(screen.query_one("#open-shift-roster", Static).render())
        assert "张伟" in line and "李娜" not in line and "刘强" not in line


async def test_with_no_shift_on_duty_nobody_is_proposed_and_an_officer_is_asked_for(
    bare_desk, clock
):
    _register(bare_desk)
    app = make_app(bare_desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "OpenShiftScreen"
        assert _values(screen) == dict.fromkeys(("officer", "leader", "standby"), Select.NULL)
        line = str(screen.query_one("#open-shift-roster", Static).render())
        assert line == t("open_shift.no_roster_nobody")
        screen.query_one("#shift-sub-reason").focus()  # the cursor elsewhere: it is taken back
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        said = str(screen.query_one("#open-shift-status", Static).render())
        assert said == t("open_shift.need_officer")
        assert screen.focused is screen.query_one("#shift-officer", Select)
        assert current_shift(bare_desk) is None
        screen.query_one("#shift-officer", Select).value = "李娜"
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ != "OpenShiftScreen"
    duty = on_duty(bare_desk)
    assert duty is not None
    assert (duty.officer, duty.leader, duty.standby) == ("李娜", None, None)  # nobody else seated


async def test_tab_goes_round_the_dialogs_fields_only(bare_desk, clock):
    """The scrolling box was a Tab stop that showed nothing and took the keys typed on it
    (breaker, session 14)."""
    _register(bare_desk)
    open_shift(bare_desk, "张伟", leader="王建国")
    app = make_app(bare_desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        app.ask_open_shift()
        await _ready(app, pilot)
        stops = []
        for _ in range(12):
            await pilot.press("tab")
            await pilot.pause()
            stops.append(app.screen.focused.id if app.screen.focused else None)
        assert "open-shift-box" not in stops and None not in stops
        assert "shift-officer" in stops and "shift-sub-reason" in stops
