"""The open-shift dialog (QA #5): it shows nobody before the roster's proposal is read (it showed
the list's first officers for a second or two), its roster line is in sight at 120x36 with four
seats (Henan: two officers), and it takes a rest-rule override as the roster's 替岗 dialog does
(refused without it, with the same message; kept on the change with it)."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, Static

from dutydesk.app import make_app
from dutydesk.db import read_session
from dutydesk.i18n import t
from dutydesk.models import RosterChange
from dutydesk.services.core.desk import init_database
from dutydesk.services.roster import current_shift, month_roster, on_duty
from dutydesk.services.roster.pins import set_pin
from dutydesk.services.roster.rotation import generate_month
from dutydesk.services.roster.shift_roster import proposal
from tests.conftest import OFFICE
from tests.roster_support import PLANNER, staff
from tests.support_people import authority_for
from tests.support_pilot import until_mounted

LEADER_PIN = "582046"


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _in_sight(screen, selector: str) -> bool:
    """Whether the widget is wholly inside the dialog's scrolled view."""
    box = screen.query_one("#open-shift-box")
    region = screen.query_one(selector).region
    return bool(region) and box.scrollable_content_region.contains_region(region)


async def test_nobody_is_shown_before_the_rostered_crew_is_read(bare_desk, clock, monkeypatch):
    import dutydesk.services.roster.shift_roster as shift_roster

    desk = bare_desk
    names = staff(desk, leaders=3, officers=4)
    generate_month(desk, 2026, 11, seed=7, by=PLANNER)
    plan = proposal(desk)
    first = {names["officer"][0], names["leader"][0]}  # what the dialog showed before reading
    assert first - {plan.names["officer"], plan.names["leader"]}  # one of them not rostered
    held, reading = threading.Event(), threading.Event()
    real = shift_roster.proposal

    def slow_proposal(desk):  # the roster read, held until the test has looked
        reading.set()
        held.wait(10)
        return real(desk)

    monkeypatch.setattr(shift_roster, "proposal", slow_proposal)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if reading.is_set() and type(app.screen).__name__ == "OpenShiftScreen":
                break
        screen = app.screen
        assert type(screen).__name__ == "OpenShiftScreen"
        await until_mounted(pilot, screen)
        shown = {select.value for select in screen.query(Select)} - {Select.NULL}
        assert shown <= {plan.names[role] for role in ("officer", "leader", "standby")}
        assert t("open_shift.reading") in str(screen.query_one("#open-shift-roster").render())
        await pilot.press("ctrl+s")  # before the read: nothing opens
        await pilot.pause()
        held.set()
        await _ready(app, pilot)
        officer = screen.query_one("#shift-officer", Select)
        assert officer.value == plan.names["officer"]
        assert screen.query_one("#shift-leader", Select).value == plan.names["leader"]
        assert screen.focused is officer  # the first choice, as before, not the reason field
        assert current_shift(desk) is None


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_roster_line_is_in_sight_with_two_officers(tmp_path, clock, size):
    desk = init_database(tmp_path / "henan.sqlite3", OFFICE, "henan", clock)
    try:
        staff(desk, leaders=3, officers=6)
        generate_month(desk, 2026, 11, seed=7, by=PLANNER)
        plan = proposal(desk)
        assert plan.names["second_officer"]
        app = make_app(desk.path, clock=clock)
        async with app.run_test(size=size) as pilot:
            await _ready(app, pilot)
            screen = app.screen
            assert (
                screen.query_one("#shift-second_officer", Select).value
                == (plan.names["second_officer"])
            )
            line = str(screen.query_one("#open-shift-roster", Static).render())
            assert plan.names["second_officer"] in line
            assert _in_sight(screen, "#open-shift-roster")
    finally:
        desk.close()


@pytest.fixture
def filed(bare_desk, tmp_path):
    """November 2026 generated and filed; the first leader has a PIN; nobody on duty."""
    from dutydesk.services.roster.roster_filing import file_roster

    names = staff(bare_desk, leaders=3, officers=4)
    generate_month(bare_desk, 2026, 11, seed=7, by=PLANNER)
    set_pin(bare_desk, names["leader"][0], LEADER_PIN, LEADER_PIN,
            authority=authority_for(bare_desk))  # fmt: skip
    plan = proposal(bare_desk)
    assert plan.rostered is not None
    file_roster(bare_desk, plan.rostered.roster_id, sent_to="市政府总值班室", channel="fax",
                by=PLANNER, out_dir=tmp_path)  # fmt: skip
    return bare_desk, names, plan


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_a_substitute_breaking_a_rest_rule_needs_the_override_in_the_dialog(
    filed, clock, size
):
    desk, names, plan = filed
    cells = [c for d in month_roster(desk, 2026, 11).days for c in d.cells]
    at = next(i for i, c in enumerate(cells) if c.starts_at == plan.rostered.cell.starts_at)
    tired = cells[at - 1].officers[0]  # the night before this day shift
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=size) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        screen.query_one("#shift-officer", Select).value = tired
        for name, value in (("reason", "家中有事"), ("approver", names["leader"][0]),
                            ("pin", LEADER_PIN)):  # fmt: skip
            screen.query_one(f"#shift-sub-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        said = str(screen.query_one("#open-shift-status", Static).render())
        assert t("roster_rest.breaks", day="", slot="", conflict="")[-12:] in said
        assert _in_sight(screen, "#open-shift-status")  # the refusal is seen where it is said
        assert current_shift(desk) is None
        screen.query_one("#shift-sub-override", Input).value = "无人可替"
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ != "OpenShiftScreen"
    assert on_duty(desk).officer == tired
    with read_session(desk.engine) as session:
        assert session.exec(select(RosterChange)).one().rest_override == "无人可替"
