"""Re-grading on the district profile. Its flow chart (一般突发事件信息处理流程图) splits by level:
一般级别 (Ⅳ) goes to the director and then as orders to the area; 较大及以上级别 (Ⅰ-Ⅲ) is
"第一时间电话报告区委区政府领导及区级有关方面". Neither branch sets minutes (an "尽快" deadline) and
the text says nothing of re-grading. A new officer found that Ⅳ -> Ⅲ set no deadline and the board
row still cited the chart as for a Ⅳ incident: the Ⅲ branch's deadline is now its own rule."""

from __future__ import annotations

import json
from datetime import date

import pendulum
import pytest

from dutydesk.citations import cite_zh
from dutydesk.clock import FrozenClock
from dutydesk.profiles import load_profile
from dutydesk.services.core.desk import init_database
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_regrade import regrade_incident
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.roster.people import add_person, find_person
from dutydesk.services.roster.shifts import open_shift
from tests.conftest import add_person_cli, init_cli
from tests.support_people import authority_for

ZONE = "Asia/Shanghai"
NOW = "2026-11-23T10:00:00+08:00"
# the chart as cited for a Ⅳ incident, and its branch for Ⅰ-Ⅲ (较大及以上级别)
GENERAL = "District General Incident Information Handling Flow"
MAJOR = "District General Incident Information Handling Flow (relatively serious level and above)"
MAJOR_ZH = "区一般突发事件信息处理流程（较大及以上级别）"


def at(text: str) -> pendulum.DateTime:
    parsed = pendulum.parse(text, tz=ZONE)
    assert isinstance(parsed, pendulum.DateTime)
    return parsed


@pytest.fixture
def district(tmp_path):
    desk = init_database(tmp_path / "district.sqlite3", "某区政府总值班室", "district",
                         FrozenClock(NOW))  # fmt: skip
    for name, role in (("张伟", "officer"), ("王建国", "leader"), ("赵磊", "standby")):
        add_person(desk, name, role, in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
    open_shift(desk, "张伟", leader="王建国", standby="赵磊")
    yield desk
    desk.close()


@pytest.fixture
def person(district):
    return find_person(district, "张伟")


def _incident(desk, person, level: str):
    draft = IncidentDraft(type="accident", level=level, occurred_at=at("2026-11-23T09:30"),
                          received_at=at("2026-11-23T09:40"), place="人民路",
                          summary="燃气管道泄漏")  # fmt: skip
    return record_incident(desk, draft, person)


def _shape(views) -> list[tuple[str, str, str, str, str]]:
    return [(v.rule_code, v.channel, v.status, v.counts_from, v.cite) for v in views]


def test_the_profile_sets_the_major_branch_for_levels_i_to_iii_citing_it():
    profile = load_profile("district")
    rules = {level: deadlines.rules_for(profile, "incident", level) for level in
             ("I", "II", "III", "IV")}  # fmt: skip
    assert [(r.code, r.channel, r.minutes, r.cite) for r in rules["IV"]] == [
        ("incident_asap", "report", None, GENERAL)
    ]
    for level in ("I", "II", "III"):  # 较大及以上级别: 第一时间电话报告, no minutes
        assert [(r.code, r.channel, r.minutes, r.cite) for r in rules[level]] == [
            ("incident_phone", "phone", None, MAJOR)
        ]
    assert cite_zh(MAJOR) == MAJOR_ZH


def test_iv_to_iii_supersedes_the_general_deadline_and_sets_the_major_one(district, person):
    row = _incident(district, person, "IV")
    assert _shape(deadlines.deadlines_for(district, "incident", row.id)) == [
        ("incident_asap", "report", "asap", "received_at", GENERAL)
    ]
    done = regrade_incident(district, row.id, "III", "伤亡扩大，定为较大", person)
    assert _shape(done.superseded) == [
        ("incident_asap", "report", "superseded", "received_at", GENERAL)
    ]
    # counted from the re-grade at 10:00, as on the other profiles; "第一时间": no minutes
    assert _shape(done.created) == [("incident_phone", "phone", "asap", "regraded_at", MAJOR)]
    created = done.created[0]
    assert created.clock_at == district.now() and created.due_at is None
    assert created.event_due_at is None  # no minutes: no event clock to show beside it
    assert "Ⅲ级" in created.label
    open_now = deadlines.open_deadlines(district)
    assert [(v.rule_code, v.cite) for v in open_now] == [("incident_phone", MAJOR)]


def test_iii_to_iv_and_within_the_major_branch(district, person):
    row = _incident(district, person, "III")
    assert _shape(deadlines.deadlines_for(district, "incident", row.id)) == [
        ("incident_phone", "phone", "asap", "received_at", MAJOR)
    ]
    up = regrade_incident(district, row.id, "II", "死亡人数上升", person)
    assert (up.superseded, up.created) == ([], [])  # the same branch: the deadline stands
    down = regrade_incident(district, row.id, "IV", "核实后降为一般", person)
    assert [v.rule_code for v in down.superseded] == ["incident_phone"]
    assert _shape(down.created) == [("incident_asap", "report", "asap", "regraded_at", GENERAL)]


# ---------------------------------------------------------------- the command line


@pytest.fixture
def district_cli(cli):
    assert init_cli(cli, profile="district").exit_code == 0
    for name, role in (("张伟", "officer"), ("王建国", "leader"), ("赵磊", "standby")):
        assert add_person_cli(cli, "--name", name, "--role", role,
                              "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    opened = cli("shift", "open", "--officer", "张伟", "--leader", "王建国", "--standby", "赵磊")
    assert opened.exit_code == 0, opened.output
    added = cli("incidents", "add", "--type", "accident", "--level", "一般",
                "--occurred-at", "2026-11-23T09:30+08:00", "--place", "人民路",
                "--summary", "燃气管道泄漏", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    return cli, json.loads(added.stdout)["id"]


def test_the_regrade_command_names_the_major_branch(district_cli):
    cli, incident_id = district_cli
    result = cli(
        "incidents", "regrade", str(incident_id), "--level", "较大", "--reason", "伤亡扩大"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"已重新定级：事件#{incident_id} Ⅳ级")
    assert "作废" in lines[1] and "区一般突发事件信息处理流程" in lines[1]
    assert len(lines) == 3 and "新时限" in lines[2] and "电话报告" in lines[2]
    assert MAJOR_ZH in lines[2] and "尽快" in lines[2]
    board = json.loads(cli("deadlines", "--json").stdout)
    assert [(d["rule_code"], d["status"], d["rule"]) for d in board] == [
        ("incident_phone", "asap", MAJOR)
    ]
    english = cli("incidents", "regrade", str(incident_id), "--level", "II",
                  "--reason", "more casualties", lang="en")  # fmt: skip
    assert english.exit_code == 0 and "were set already: none added" in english.stdout
