"""A re-grade to a level the profile sets no report deadline for (Henan Ⅲ -> Ⅳ: 7(2)1 lists only
特别重大、重大、较大) says so plainly, naming the profile, in the command's output and on the board,
rather than an empty list or "0 set"; a re-grade whose new level's deadlines already stand says
that instead."""

from __future__ import annotations

import json
from datetime import date

import pytest
from textual.widgets import Static

from dutydesk.app import make_app
from dutydesk.clock import FrozenClock
from dutydesk.services.core.desk import init_database
from dutydesk.services.incidents.incident_regrade import regrade_incident
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.roster.people import add_person, find_person
from dutydesk.services.roster.shifts import open_shift
from tests.conftest import add_person_cli, init_cli
from tests.support_people import authority_for

NOW = "2026-11-23T10:00:00+08:00"
HENAN_ZH = "河南省政府系统值班工作规范（2021）"


@pytest.fixture
def henan(tmp_path):
    desk = init_database(tmp_path / "henan.sqlite3", "测试值班室", "henan", FrozenClock(NOW))
    for name in ("张伟", "李娜"):  # Henan 三(一): two officers per shift
        add_person(desk, name, "officer", in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
    open_shift(desk, "张伟", second_officer="李娜")
    yield desk
    desk.close()


def _incident(desk, level: str):
    draft = IncidentDraft(type="accident", level=level,
                          occurred_at=desk.now().subtract(minutes=30), place="人民路",
                          summary="燃气管道泄漏")  # fmt: skip
    return record_incident(desk, draft, find_person(desk, "张伟"))


def test_the_service_says_when_the_new_level_has_no_rule(henan):
    person = find_person(henan, "张伟")
    row = _incident(henan, "III")
    down = regrade_incident(henan, row.id, "IV", "核实后降为一般", person)
    assert [v.rule_code for v in down.superseded] == ["incident_report"]
    assert (down.created, down.level_sets_none) == ([], True)
    up = regrade_incident(henan, row.id, "III", "伤亡扩大", person)
    assert [v.rule_code for v in up.created] == ["incident_report"]
    assert up.level_sets_none is False


def test_the_command_names_the_profile_that_sets_none(cli):
    assert init_cli(cli, profile="henan").exit_code == 0
    for name in ("张伟", "李娜"):
        assert add_person_cli(cli, "--name", name, "--role", "officer",
                              "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    assert cli("shift", "open", "--officer", "张伟", "--second-officer", "李娜").exit_code == 0
    added = cli("incidents", "add", "--type", "accident", "--level", "较大",
                "--occurred-at", "2026-11-23T09:30+08:00", "--summary", "燃气管道爆炸",
                "--json")  # fmt: skip
    incident_id = str(json.loads(added.stdout)["id"])
    down = cli("incidents", "regrade", incident_id, "--level", "IV", "--reason", "核实后降为一般")
    assert down.exit_code == 0, down.output
    lines = down.stdout.splitlines()
    assert "作废" in lines[1]
    assert lines[2].strip() == f"本规范（{HENAN_ZH}）对Ⅳ级（一般）事件未设报告时限：不设时限。"
    up = cli("incidents", "regrade", incident_id, "--level", "I", "--reason", "升级", lang="en")
    assert up.exit_code == 0 and "New deadline" in up.stdout
    same = cli("incidents", "regrade", incident_id, "--level", "II", "--reason", "x", lang="en")
    assert same.stdout.splitlines()[-1].strip() == (
        "The new level's report deadlines were set already: none added."
    )
    again = cli("incidents", "regrade", incident_id, "--level", "IV", "--reason", "y", "--json")
    data = json.loads(again.stdout)
    assert (data["deadlines"], data["level_sets_none"]) == ([], True)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_the_board_says_the_profile_sets_none_after_ctrl_g(henan, size):
    """At 80 columns too: the status line wraps (it was one row, cut after 作废时限 1: breaker)."""
    _incident(henan, "III")
    app = make_app(henan.path, clock=henan.clock)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        board = app.screen
        await pilot.press("ctrl+g")
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        await pilot.press("enter", "down", "enter")  # the level list: from Ⅲ one down to Ⅳ
        await pilot.pause()
        await pilot.press("tab")
        for char in "降为一般":
            await pilot.press(char)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is board
        status = str(board.query_one("#board-status", Static).render())
        assert f"本规范（{HENAN_ZH}）对该级别未设报告时限" in status, status
        assert "Ⅳ级" in status
        shown = board.query_one("#board-status", Static)
        await pilot.pause()
        assert shown.region.height * (shown.region.width - 2) >= len(status) * 2 - 10  # no cut
