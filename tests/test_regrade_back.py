"""A re-grade back to a level the incident had before (Henan Ⅲ -> Ⅳ -> Ⅲ). Henan 7(3): "发生较大
突发事件后，必须在1小时内向省政府报告": the hour runs from the event, and the office knew the
incident was 较大 from the start. A tester found that the re-grade back set the Ⅲ deadline afresh
from the second re-grade, so a 首报 1 h 45 min late was recorded on time and the miss vanished as
superseded. A rule the incident had before keeps its earliest clock; a rule new to the incident
(a genuinely new, higher level) still counts from its re-grade."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.core.desk import init_database
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_regrade import regrade_incident
from dutydesk.services.incidents.incident_reports import record_report, record_unit_report
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.roster.people import add_person, find_person
from dutydesk.services.roster.shifts import open_shift
from tests.conftest import OFFICE, add_person_cli, init_cli
from tests.support_people import authority_for

ZONE = "Asia/Shanghai"
DAY = "2026-11-23"


def at(hhmm: str) -> pendulum.DateTime:
    parsed = pendulum.parse(f"{DAY}T{hhmm}", tz=ZONE)
    assert isinstance(parsed, pendulum.DateTime)
    return parsed


@pytest.fixture
def henan(tmp_path):
    desk = init_database(tmp_path / "henan.sqlite3", OFFICE, "henan", FrozenClock(at("13:10")))
    for name in ("张伟", "李娜"):  # Henan 三(一): two officers per shift
        add_person(desk, name, "officer", in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
    open_shift(desk, "张伟", second_officer="李娜")
    yield desk
    desk.close()


@pytest.fixture
def person(henan):
    return find_person(henan, "张伟")


def _incident(desk, person, level: str = "III"):
    draft = IncidentDraft(type="accident", level=level, occurred_at=at("13:00"), place="人民路",
                          summary="燃气管道爆炸")  # fmt: skip
    return record_incident(desk, draft, person)


def _regrade(desk, person, incident_id: int, level: str, when: str):
    desk.clock.set(at(when))
    return regrade_incident(desk, incident_id, level, "重新核实", person)


def _hhmm(value) -> str | None:
    return value.in_timezone(ZONE).format("HH:mm") if value else None


def _shape(views) -> list[tuple[str, str | None, str, str]]:
    return [(v.rule_code, _hhmm(v.due_at), v.status, v.counts_from) for v in views]


def _first_report(desk, person, incident_id: int, written: str):
    desk.clock.set(at(written))
    return record_report(desk, incident_id, "first", person, to_whom="省政府总值班室",
                         written_at=at(written))  # fmt: skip


def test_back_to_iii_keeps_the_hour_from_the_event_and_a_late_report_stays_late(henan, person):
    row = _incident(henan, person)  # 13:00 Ⅲ: report by 14:00
    henan.clock.set(at("15:44"))
    first = deadlines.deadlines_for(henan, "incident", row.id)
    assert _shape(first) == [("incident_report", "14:00", "overdue", "occurred_at")]
    down = _regrade(henan, person, row.id, "IV", "15:44")
    assert [v.id for v in down.superseded] == [first[0].id] and down.created == []
    back = _regrade(henan, person, row.id, "III", "15:44")
    # the Ⅲ rule applied before: its clock is the event's, as at first, not the re-grade's
    assert _shape(back.created) == [("incident_report", "14:00", "overdue", "occurred_at")]
    assert back.resumed == {back.created[0].id: first[0].id}
    assert back.created[0].clock_at == at("13:00") and back.created[0].event_due_at is None
    assert [v.rule_code for v in deadlines.open_deadlines(henan)] == ["incident_report"]

    report = _first_report(henan, person, row.id, "15:45")
    assert [(c.deadline_id, c.late_minutes) for c in report.closures] == [(back.created[0].id, 105)]
    views = deadlines.deadlines_for(henan, "incident", row.id)
    assert [(v.status, v.late_minutes) for v in views] == [("superseded", None), ("late", 105)]
    assert "Ⅲ级" in views[0].label and "Ⅲ级" in views[1].label
    assert verify_register(henan.path).ok  # new rows only: the superseded one stands as it was


def test_back_to_iii_before_the_hour_is_up_a_report_within_it_is_on_time(henan, person):
    row = _incident(henan, person)
    _regrade(henan, person, row.id, "IV", "13:20")
    back = _regrade(henan, person, row.id, "III", "13:30")
    assert _shape(back.created) == [("incident_report", "14:00", "ok", "occurred_at")]
    assert deadlines.open_deadlines(henan)[0].minutes_left == 30  # not 60 from 13:30
    report = _first_report(henan, person, row.id, "13:50")
    assert [c.late_minutes for c in report.closures] == [0]
    assert deadlines.get_deadline(henan, back.created[0].id).status == "met"


def test_a_report_made_while_iv_meets_the_iii_deadline_set_again(henan, person):
    row = _incident(henan, person)
    _regrade(henan, person, row.id, "IV", "13:20")
    _first_report(henan, person, row.id, "13:40")  # Ⅳ: Henan sets no deadline, none to meet
    back = _regrade(henan, person, row.id, "III", "15:00")
    # met by the report at 13:40, within the hour from the event: on time, as it was
    assert [(v.status, v.late_minutes, _hhmm(v.done_at)) for v in back.created] == [
        ("met", 0, "13:40")
    ]
    views = deadlines.deadlines_for(henan, "incident", row.id)
    assert [(v.status, v.late_minutes, _hhmm(v.done_at)) for v in views] == [
        ("superseded", None, None),
        ("met", 0, "13:40"),
    ]


def test_a_report_on_time_under_iii_stays_on_time_through_iv_and_back(henan, person):
    row = _incident(henan, person)
    _first_report(henan, person, row.id, "13:50")
    _regrade(henan, person, row.id, "IV", "15:00")
    back = _regrade(henan, person, row.id, "III", "15:10")
    assert back.created == [] and back.resumed == {}
    views = deadlines.deadlines_for(henan, "incident", row.id)
    assert [(v.status, v.late_minutes) for v in views] == [("met", 0)]


def test_a_genuinely_new_higher_level_counts_from_its_re_grade(henan, person):
    row = _incident(henan, person)  # Ⅲ due 14:00, overdue by 15:44
    _regrade(henan, person, row.id, "IV", "15:44")
    up = _regrade(henan, person, row.id, "II", "15:50")  # 重大: never held before
    # the Ⅱ rules are new to the incident: 20 and 40 minutes from the re-grade at 15:50
    assert _shape(up.created) == [
        ("incident_phone", "16:10", "ok", "regraded_at"),
        ("incident_written", "16:30", "ok", "regraded_at"),
    ]
    assert up.resumed == {}
    back = _regrade(henan, person, row.id, "III", "16:00")  # 较大 again: its hour from 13:00
    assert _shape(back.created) == [("incident_report", "14:00", "overdue", "occurred_at")]
    again = _regrade(henan, person, row.id, "I", "16:05")  # the Ⅱ rules again, as set at 15:50
    assert _shape(again.created) == [
        ("incident_phone", "16:10", "warning", "regraded_at"),  # five minutes left
        ("incident_written", "16:30", "ok", "regraded_at"),
    ]
    assert sorted(again.resumed.values()) == sorted(v.id for v in up.created)


def test_a_unit_report_after_iii_iv_iii_is_judged_by_the_hour_from_the_event(henan, person):
    row = _incident(henan, person)
    _regrade(henan, person, row.id, "IV", "15:40")
    _regrade(henan, person, row.id, "III", "15:44")
    henan.clock.set(at("15:50"))
    unit = record_unit_report(henan, row.id, "城关镇", "phone", at("15:45"), person)
    assert (unit.late, unit.late_minutes, _hhmm(unit.due_at)) == (True, 105, "14:00")
    up = _regrade(henan, person, row.id, "II", "16:00")  # Ⅱ is new: 20 minutes from 16:00
    assert up.resumed == {}
    henan.clock.set(at("16:30"))
    phoned = record_unit_report(henan, row.id, "城关镇", "phone", at("16:15"), person)
    assert (phoned.late, _hhmm(phoned.due_at)) == (False, "16:20")


# ---------------------------------------------------------------- the command line


def _deadline_kinds(db_path) -> list[tuple]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute("SELECT id, rule_code, counts_from FROM deadline").fetchall()


def test_the_commands_show_the_kept_due_time_and_the_late_report(cli):
    assert init_cli(cli, profile="henan").exit_code == 0
    for name in ("张伟", "李娜"):
        assert add_person_cli(cli, "--name", name, "--role", "officer",
                              "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    assert cli("shift", "open", "--officer", "张伟", "--second-officer", "李娜").exit_code == 0
    cli.at(f"{DAY}T15:44:00+08:00")
    added = cli("incidents", "add", "--type", "accident", "--level", "III",
                "--occurred-at", "13:00", "--place", "人民路", "--summary", "燃气管道爆炸",
                "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    incident = str(json.loads(added.stdout)["id"])
    board = cli("deadlines").stdout
    assert "超时  已超时 1小时44分" in board and "时限 11-23 14:00" in board
    assert (
        cli("incidents", "regrade", incident, "--level", "IV", "--reason", "核实为一般").exit_code
        == 0
    )
    back = cli("incidents", "regrade", incident, "--level", "III", "--reason", "又核实为较大")
    assert back.exit_code == 0, back.output
    lines = back.stdout.splitlines()
    assert "新时限" in lines[1] and "超时  已超时 1小时44分" in lines[1]
    assert "时限 11-23 14:00" in lines[1] and "按定级时间" not in lines[1]
    assert "自事发时间起算" in lines[1]
    assert "此前已适用" in lines[2] and "不自本次定级重新起算" in lines[2]
    board = json.loads(cli("deadlines", "--json").stdout)
    assert [(d["rule_code"], d["status"], d["due_at"]) for d in board] == [
        ("incident_report", "overdue", f"{DAY}T14:00:00+08:00")
    ]
    cli.at(f"{DAY}T15:45:00+08:00")
    report = cli("incidents", "report", incident, "--kind", "first", "--written-at", "15:45",
                 "--to", "省政府总值班室")  # fmt: skip
    assert report.exit_code == 0, report.output
    assert "迟报 105 分钟" in report.stdout and "按时完成" not in report.stdout
    shown = cli("incidents", "show", incident).stdout
    assert "已作废" in shown and "逾时完成" in shown and "迟105分钟完成" in shown
    assert "按时完成" not in shown
    assert cli("deadlines").stderr.strip() == "没有未完成的报告时限。"
    english = cli("incidents", "regrade", incident, "--level", "IV", "--reason", "x", lang="en")
    assert english.exit_code == 0
    again = cli("incidents", "regrade", incident, "--level", "III", "--reason", "y", "--json")
    data = json.loads(again.stdout)
    assert data["deadlines"] == [] and data["resumed"] == {}  # the late one is done: it stands
    assert cli("verify").exit_code == 0
    assert [kind[2] for kind in _deadline_kinds(cli.db_path)] == ["occurred_at", "occurred_at"]
