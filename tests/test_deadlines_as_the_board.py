"""QA (issue 17): `dutydesk deadlines list` and the handover (F5) left out the roster's items
the board shows (排班报备 filing dues, 调班替岗报告). Both compose the board's open items
(services/board), so all three say the same."""

from __future__ import annotations

import json

import pytest

from dutydesk.services.board import board_items, board_key
from dutydesk.services.handover.handover_checklist import build_checklist
from dutydesk.services.roster.shift_roster import Approval, open_from_roster, proposal
from tests.roster_support import PLANNER
from tests.test_shift_from_roster import LEADER_PIN, _other_officer, rostered  # noqa: F401, F811


@pytest.fixture
def substituted(rostered, tmp_path):  # noqa: F811
    """November filed, then the shift opened with a substitute (a 替岗 the upper office is to
    be told of); December has no roster yet (its filing is due)."""
    from dutydesk.services.roster.roster_filing import file_roster

    desk, names = rostered
    plan = proposal(desk)
    assert plan.rostered is not None
    file_roster(desk, plan.rostered.roster_id, sent_to="市政府总值班室", channel="fax",
                by=PLANNER, out_dir=tmp_path)  # fmt: skip
    chosen = {"officer": _other_officer(names, plan, desk), "leader": plan.names["leader"]}
    open_from_roster(desk, chosen, Approval("家中有事", names["leader"][0], LEADER_PIN))
    return desk


def _roster_keys(desk) -> set[str]:
    keys = {board_key(view) for view in board_items(desk, desk.now()) if view.subject == "roster"}
    assert keys, "the board shows the roster's items"
    return keys


def test_deadlines_list_lists_what_the_board_shows(substituted, cli):
    desk = substituted
    cli.db_path = desk.path
    listed = cli("deadlines", "list", "--json")
    assert listed.exit_code == 0, listed.output
    keys = {row["key"] for row in json.loads(listed.output)}
    assert keys == {board_key(view) for view in board_items(desk, desk.now())}
    assert _roster_keys(desk) <= keys
    text = cli("deadlines", "list")
    assert "排班报备" in text.output and "调班替岗报告" in text.output


def test_the_handover_passes_on_the_roster_items_of_the_board(substituted):
    desk = substituted
    items = {item.key for item in build_checklist(desk).items if item.section == "deadlines"}
    assert {"deadline:" + key for key in _roster_keys(desk)} <= items
