"""A seat the roster leaves empty (review, session 12): the open-shift dialog proposed the first
person of the role for it, and since an empty rostered seat was not a substitution, a single
Ctrl+S seated that person with no record. Now the dialog proposes nobody there; someone put in
it by hand is a substitution like any other (refused without one, recorded with one: an
assignment before filing, a substitution record after); the second officer is never proposed
as the officer again; an officer who is not rostered takes the seat of the rostered officer who
does not sit, not the one of a rostered officer who does."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, Static

from dutydesk.app import make_app
from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import RosterChange
from dutydesk.services.roster import assign, current_shift, on_duty
from dutydesk.services.roster.people import add_person, person_named
from dutydesk.services.roster.pins import set_pin
from dutydesk.services.roster.rotation import generate_month
from dutydesk.services.roster.shift_roster import (
    Approval,
    Proposal,
    not_rostered,
    open_from_roster,
    proposal,
)
from tests.roster_support import PLANNER, SINCE, staff
from tests.support_people import authority_for
from tests.support_pilot import until_mounted

LEADER_PIN = "582046"
STANDBY = "韩值守"  # registered after the roster was made: on no seat of it


@pytest.fixture
def empty_standby(bare_desk):
    """November 2026 generated with no standby (an optional seat, left empty), then a standby
    registered; the first leader has a PIN; nobody on duty (T0: the day shift of 23 November)."""
    names = staff(bare_desk, leaders=3, officers=4)
    generate_month(bare_desk, 2026, 11, seed=7, by=PLANNER)
    add_person(bare_desk, STANDBY, "standby", in_post_since=SINCE,
               authority=authority_for(bare_desk))  # fmt: skip
    set_pin(bare_desk, names["leader"][0], LEADER_PIN, LEADER_PIN,
            authority=authority_for(bare_desk))  # fmt: skip
    plan = proposal(bare_desk)
    assert plan.rostered is not None and plan.names["standby"] is None
    return bare_desk, names, plan


def _crew(plan: Proposal, **more: str) -> dict[str, str | None]:
    return {"officer": plan.names["officer"], "leader": plan.names["leader"], **more}


def test_someone_put_in_an_empty_rostered_seat_is_refused_without_a_substitution(empty_standby):
    desk, _names, plan = empty_standby
    assert "standby" in plan.seats  # the profile has the seat; the roster left it empty
    with pytest.raises(DutyError) as refused:
        open_from_roster(desk, _crew(plan, standby=STANDBY))
    assert refused.value.key == "shift_roster.not_rostered_empty"
    said = refused.value.message()
    assert STANDBY in said and t("role.standby") in said and "None" not in said
    assert current_shift(desk) is None


def test_before_filing_the_empty_seat_filled_at_opening_is_an_assignment(empty_standby):
    desk, names, plan = empty_standby
    open_from_roster(desk, _crew(plan, standby=STANDBY),
                     Approval("临时加派", names["leader"][0], LEADER_PIN))  # fmt: skip
    assert on_duty(desk).standby == STANDBY
    assert proposal(desk).names["standby"] == STANDBY  # the roster says who sat it


def test_after_filing_the_empty_seat_filled_at_opening_is_a_substitution(empty_standby, tmp_path):
    from dutydesk.services.roster.roster_filing import file_roster

    desk, names, plan = empty_standby
    file_roster(desk, plan.rostered.roster_id, sent_to="市政府总值班室", channel="fax",
                by=PLANNER, out_dir=tmp_path)  # fmt: skip
    with pytest.raises(DutyError) as refused:
        open_from_roster(desk, _crew(plan, standby=STANDBY))
    assert refused.value.key == "shift_roster.not_rostered_empty"
    open_from_roster(desk, _crew(plan, standby=STANDBY),
                     Approval("临时加派", names["leader"][0], LEADER_PIN))  # fmt: skip
    assert on_duty(desk).standby == STANDBY
    with read_session(desk.engine) as session:
        change = session.exec(select(RosterChange)).one()
        standby_id = person_named(session, STANDBY).id
    assert (change.kind, change.role, change.from_person_id) == ("substitution", "standby", None)
    assert change.to_person_id == standby_id


def test_a_role_the_roster_has_no_seat_for_is_no_substitution():
    plan = Proposal(object(), {"officer": "甲", "second_officer": None, "leader": "乙",  # type: ignore[arg-type]
                               "standby": None}, frozenset({"officer", "leader"}))  # fmt: skip
    assert not_rostered(plan, {"officer": "甲", "leader": "乙", "standby": "丙"}) == []


def test_an_officer_not_rostered_takes_the_seat_of_the_rostered_officer_who_does_not_sit():
    names = {"officer": "甲", "second_officer": "乙", "leader": "丙", "standby": None}
    plan = Proposal(object(), names, frozenset({"officer", "second_officer", "leader"}))  # type: ignore[arg-type]
    chosen = {"officer": "乙", "second_officer": "丁", "leader": "丙"}
    assert not_rostered(plan, chosen) == [("officer", "丁", "甲")]  # not 乙's seat: 乙 sits
    empty = Proposal(object(), names | {"second_officer": None}, plan.seats)  # type: ignore[arg-type]
    assert not_rostered(empty, {"officer": "丁", "second_officer": "甲", "leader": "丙"}) == [
        ("second_officer", "丁", None)
    ]


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await until_mounted(pilot, app.screen)


def _status(screen) -> str:
    return str(screen.query_one("#open-shift-status", Static).render())


async def test_the_dialog_proposes_nobody_for_the_empty_seat_and_opens_as_rostered(
    empty_standby, clock
):
    desk, _names, plan = empty_standby
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "OpenShiftScreen"
        assert screen.query_one("#shift-standby", Select).value == Select.NULL
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ != "OpenShiftScreen"
    duty = on_duty(desk)
    assert (duty.officer, duty.leader, duty.standby) == (plan.names["officer"],
                                                         plan.names["leader"], None)  # fmt: skip


async def test_the_dialog_asks_a_substitution_for_the_empty_seat_filled_by_hand(
    empty_standby, clock
):
    desk, names, _plan = empty_standby
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        screen.query_one("#shift-standby", Select).value = STANDBY
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert _status(screen).startswith(
            t("shift_roster.not_rostered_empty", name="", role=t("role.standby"), cite="")[:4]
        )
        assert STANDBY in _status(screen) and screen.focused.id == "shift-sub-reason"
        assert current_shift(desk) is None
        for name, value in (("reason", "临时加派"), ("approver", names["leader"][0]),
                            ("pin", LEADER_PIN)):  # fmt: skip
            screen.query_one(f"#shift-sub-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ != "OpenShiftScreen"
    assert on_duty(desk).standby == STANDBY
    assert proposal(desk).names["standby"] == STANDBY


async def test_the_second_officer_is_never_proposed_as_the_officer_again(tmp_path, clock):
    """Henan, two officers a shift: the roster's second seat emptied and its first given to the
    register's second officer (whom the dialog proposed for the second seat as well)."""
    from dutydesk.screens.open_shift import offered_people
    from dutydesk.services.core.desk import init_database
    from tests.conftest import OFFICE

    desk = init_database(tmp_path / "henan.sqlite3", OFFICE, "henan", clock)
    try:
        staff(desk, leaders=3, officers=6)
        generate_month(desk, 2026, 11, seed=7, by=PLANNER)
        cell = proposal(desk).rostered.cell
        second = offered_people(desk).names("officer")[1]
        for seat, name in ((0, None), (1, None), (0, second)):
            assign(desk, proposal(desk).rostered.roster_id, cell.day, cell.slot_code, "officer",
                   name, by=PLANNER, seat=seat)  # fmt: skip
        assert proposal(desk).names["officer"] == second
        app = make_app(desk.path, clock=clock)
        async with app.run_test(size=(120, 36)) as pilot:
            await _ready(app, pilot)
            screen = app.screen
            assert screen.query_one("#shift-officer", Select).value == second
            assert screen.query_one("#shift-second_officer", Select).value == Select.NULL
    finally:
        desk.close()
