"""QA (issue 17): a refused `shift open` wrote its substitution first. With a shift already on
duty, opening again with a substitute was refused ("已有班次在值") but the 替岗 record and its
report deadline (or, before filing, the roster's reassignment) stayed. Every refusal comes
before anything is written, in the service the CLI and the open-shift dialog share."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.models import RosterChange
from dutydesk.services.board import board_items
from dutydesk.services.roster.shift_roster import Approval, open_from_roster, proposal
from tests.roster_support import PLANNER
from tests.test_shift_from_roster import LEADER_PIN, _other_officer, rostered  # noqa: F401, F811


def _open_the_rostered_shift(desk) -> dict[str, str | None]:
    plan = proposal(desk)
    open_from_roster(desk, {"officer": plan.names["officer"], "leader": plan.names["leader"]})
    return plan.names


def test_a_substitution_refused_because_a_shift_is_open_writes_no_change(rostered, tmp_path):  # noqa: F811
    from dutydesk.services.roster.roster_filing import file_roster

    desk, names = rostered
    plan = proposal(desk)
    assert plan.rostered is not None
    file_roster(desk, plan.rostered.roster_id, sent_to="市政府总值班室", channel="fax",
                by=PLANNER, out_dir=tmp_path)  # fmt: skip
    _open_the_rostered_shift(desk)
    board_before = len(board_items(desk, desk.now()))
    other = _other_officer(names, plan, desk)
    chosen = {"officer": other, "leader": plan.names["leader"]}
    with pytest.raises(DutyError) as refused:
        open_from_roster(desk, chosen, Approval("临时替班", names["leader"][0], LEADER_PIN, "x"))
    assert refused.value.key == "shift.already_open"
    with read_session(desk.engine) as session:
        assert session.exec(select(RosterChange)).all() == []
    assert len(board_items(desk, desk.now())) == board_before


def test_before_filing_a_refused_opening_leaves_the_roster_as_it_was(rostered):  # noqa: F811
    desk, names = rostered
    plan = proposal(desk)
    _open_the_rostered_shift(desk)
    other = _other_officer(names, plan)
    chosen = {"officer": other, "leader": plan.names["leader"]}
    with pytest.raises(DutyError) as refused:
        open_from_roster(desk, chosen, Approval("临时替班", names["leader"][0], LEADER_PIN))
    assert refused.value.key == "shift.already_open"
    assert proposal(desk).names["officer"] == plan.names["officer"]


def test_a_crew_refused_for_two_roles_writes_no_substitution(rostered):  # noqa: F811
    """The same person as officer and standby is refused by the shift; before, the officer's
    substitution (an assignment before filing) was made first."""
    desk, names = rostered
    plan = proposal(desk)
    other = _other_officer(names, plan)
    chosen = {"officer": other, "leader": plan.names["leader"], "standby": other}
    with pytest.raises(DutyError):
        open_from_roster(desk, chosen, Approval("临时替班", names["leader"][0], LEADER_PIN))
    assert proposal(desk).names["officer"] == plan.names["officer"]
