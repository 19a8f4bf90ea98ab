"""Shifts open from the roster (issue 17 item 5): the rostered people are proposed; anyone else
is refused, saying who is rostered and that a substitution record is needed, unless the
substitution is recorded on the spot with its reason and an approver's PIN; a window no roster
covers opens as before. In the service, `dutydesk shift open` and the open-shift dialog."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Input, Select, Static

from dutydesk.app import make_app
from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import RosterChange
from dutydesk.services.roster import current_shift, on_duty
from dutydesk.services.roster.pins import set_pin
from dutydesk.services.roster.rotation import generate_month
from dutydesk.services.roster.shift_roster import (
    Approval,
    open_from_roster,
    proposal,
)
from tests.roster_support import PLANNER, staff
from tests.support_people import authority_for
from tests.support_pilot import until_mounted

LEADER_PIN = "582046"


@pytest.fixture
def rostered(bare_desk):
    """November 2026 generated for three leaders and four officers; nobody on duty yet (T0:
    Monday 23 November, 10:00, the day shift)."""
    names = staff(bare_desk, leaders=3, officers=4)
    generate_month(bare_desk, 2026, 11, seed=7, by=PLANNER)
    approver = names["leader"][0]
    set_pin(bare_desk, approver, LEADER_PIN, LEADER_PIN, authority=authority_for(bare_desk))
    return bare_desk, names


def _other_officer(names, plan, desk=None) -> str:
    """An officer not rostered now; given the desk, nor the shift before or after either (so
    no rest rule refuses them as a substitute)."""
    from dutydesk.services.roster import month_roster

    near: set[str | None] = {plan.names["officer"]}
    if desk is not None and plan.rostered is not None:
        now = plan.rostered.cell
        grid = month_roster(desk, now.day.year, now.day.month)
        cells = [c for d in grid.days for c in d.cells]
        at = next(i for i, c in enumerate(cells) if c.starts_at == now.starts_at)
        near |= {n for c in cells[max(at - 1, 0) : at + 2] for n in c.officers}
    return next(n for n in names["officer"] if n not in near)


def test_the_rostered_crew_is_proposed_and_opens_the_shift(rostered):
    desk, _names = rostered
    plan = proposal(desk)
    assert plan.rostered is not None and plan.names["officer"] and plan.names["leader"]
    open_from_roster(desk, {"officer": plan.names["officer"], "leader": plan.names["leader"]})
    duty = on_duty(desk)
    assert duty is not None and (duty.officer, duty.leader) == (
        plan.names["officer"],
        plan.names["leader"],
    )


def test_anyone_else_is_refused_naming_who_is_rostered(rostered):
    desk, names = rostered
    plan = proposal(desk)
    other = _other_officer(names, plan)
    with pytest.raises(DutyError) as refused:
        open_from_roster(desk, {"officer": other, "leader": plan.names["leader"]})
    assert refused.value.key == "shift_roster.not_rostered"
    said = refused.value.message()
    assert other in said and plan.names["officer"] in said and "替岗" in said
    assert current_shift(desk) is None


def test_after_filing_the_shift_opens_with_a_substitution_recorded_on_the_spot(
    rostered, clock, tmp_path
):
    """A filed roster changes only by a substitution record: at opening (the shift has begun:
    the rostered officer did not come, QA), it is recorded with its reason and the approver's
    PIN, and the upper office is to be told from now; a wrong PIN writes nothing."""
    from dutydesk.services.roster.roster_filing import file_roster

    desk, names = rostered
    plan = proposal(desk)
    assert plan.rostered is not None
    file_roster(desk, plan.rostered.roster_id, sent_to="市政府总值班室", channel="fax",
                by=PLANNER, out_dir=tmp_path)  # fmt: skip
    other = _other_officer(names, plan, desk)
    approver = names["leader"][0]
    chosen = {"officer": other, "leader": plan.names["leader"]}
    with pytest.raises(DutyError):
        open_from_roster(desk, chosen, Approval("家中有事", approver, "000000"))
    assert current_shift(desk) is None
    open_from_roster(desk, chosen, Approval("家中有事", approver, LEADER_PIN))
    assert on_duty(desk).officer == other
    with read_session(desk.engine) as session:
        change = session.exec(select(RosterChange)).one()
    assert (change.kind, change.reason) == ("substitution", "家中有事")
    if change.tell_upper_by is not None:
        assert change.tell_upper_by == clock.now()  # begun already: told from now, not before


def test_a_substitute_at_opening_who_breaks_a_rest_rule_needs_the_override(rostered, tmp_path):
    """The officer of the night before cannot take the morning's seat at opening without the
    approver's reason for breaking the rest rule; with it the shift opens and it is kept."""
    from dutydesk.services.roster import month_roster
    from dutydesk.services.roster.roster_filing import file_roster

    desk, names = rostered
    plan = proposal(desk)
    assert plan.rostered is not None
    file_roster(desk, plan.rostered.roster_id, sent_to="市政府总值班室", channel="fax",
                by=PLANNER, out_dir=tmp_path)  # fmt: skip
    cells = [c for d in month_roster(desk, 2026, 11).days for c in d.cells]
    at = next(i for i, c in enumerate(cells) if c.starts_at == plan.rostered.cell.starts_at)
    tired = cells[at - 1].officers[0]  # the night before this day shift
    chosen = {"officer": tired, "leader": plan.names["leader"]}
    approver = names["leader"][0]
    with pytest.raises(DutyError) as refused:
        open_from_roster(desk, chosen, Approval("家中有事", approver, LEADER_PIN))
    assert refused.value.key == "roster_rest.breaks" and current_shift(desk) is None
    open_from_roster(desk, chosen, Approval("家中有事", approver, LEADER_PIN, "无人可替"))
    assert on_duty(desk).officer == tired
    with read_session(desk.engine) as session:
        assert session.exec(select(RosterChange)).one().rest_override == "无人可替"


def test_before_filing_the_approved_change_is_an_assignment(rostered):
    desk, names = rostered
    plan = proposal(desk)
    other = _other_officer(names, plan)
    chosen = {"officer": other, "leader": plan.names["leader"]}
    with pytest.raises(DutyError) as refused:  # the reason is required
        open_from_roster(desk, chosen, Approval(" ", names["leader"][0], LEADER_PIN))
    assert "shift_substitution_reason" in refused.value.fields  # type: ignore[attr-defined]
    with pytest.raises(DutyError) as refused:  # an officer approves nothing
        open_from_roster(desk, chosen, Approval("家中有事", other, LEADER_PIN))
    assert refused.value.key == "roster.approver_not_leader"
    open_from_roster(desk, chosen, Approval("家中有事", names["leader"][0], LEADER_PIN))
    assert on_duty(desk).officer == other
    assert proposal(desk).names["officer"] == other


def test_a_window_no_roster_covers_opens_with_whoever_is_named(desk):
    assert proposal(desk).rostered is None  # the `desk` fixture's shift was opened so


def test_shift_open_without_names_takes_the_rostered_crew(rostered, cli, monkeypatch):
    desk, names = rostered
    plan = proposal(desk)
    cli.db_path = desk.path
    refused = cli("shift", "open", "--officer", _other_officer(names, plan))
    assert refused.exit_code != 0 and "替岗" in refused.output
    opened = cli("shift", "open")
    assert opened.exit_code == 0, opened.output
    assert plan.names["officer"] in opened.output and "按排班开班" in opened.output
    assert on_duty(desk).officer == plan.names["officer"]


def test_shift_open_refuses_before_it_proposes_anything(rostered, cli):
    """QA: the proposal was printed, then the refusal. A refusal is all that is said."""
    desk, names = rostered
    cli.db_path = desk.path
    not_rostered = cli("shift", "open", "--officer", _other_officer(names, proposal(desk)))
    assert not_rostered.exit_code != 0 and "替岗" in not_rostered.output
    assert "按排班开班" not in not_rostered.output
    assert cli("shift", "open").exit_code == 0
    again = cli("shift", "open")  # a shift is open now
    assert again.exit_code != 0
    assert "按排班开班" not in again.output and again.output.strip().count("\n") == 0


async def test_the_dialog_proposes_the_rostered_crew_and_refuses_others(rostered, clock):
    desk, names = rostered
    plan = proposal(desk)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "OpenShiftScreen"
        await until_mounted(pilot, screen)
        assert screen.query_one("#shift-officer", Select).value == plan.names["officer"]
        assert screen.query_one("#shift-leader", Select).value == plan.names["leader"]
        roster_line = str(screen.query_one("#open-shift-roster", Static).render())
        assert plan.names["officer"] in roster_line
        screen.query_one("#shift-officer", Select).value = _other_officer(names, plan)
        await pilot.press("ctrl+s")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert "替岗" in str(screen.query_one("#open-shift-status", Static).render())
        assert current_shift(desk) is None
        screen.query_one("#shift-sub-reason", Input).value = "家中有事"
        screen.query_one("#shift-sub-approver", Input).value = names["leader"][0]
        screen.query_one("#shift-sub-pin", Input).value = LEADER_PIN
        await pilot.press("ctrl+s")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert type(app.screen).__name__ != "OpenShiftScreen"
    assert on_duty(desk).officer == _other_officer(names, plan)
    assert t("shift_roster.substitution")  # the dialog's section is in the catalogue
