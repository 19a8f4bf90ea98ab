"""Re-grading an incident (重新定级) on the Henan profile (Henan 7(3): Ⅲ 较大 within 1 h; Ⅰ/Ⅱ phone
20 min, written 40 min, all from the event): the replaced deadlines are superseded (kept, neither
met nor late), the new level's are set from the same clock, bad input changes nothing, and the
register still verifies."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.core.desk import init_database
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_regrade import regrade_incident, regrades_for
from dutydesk.services.incidents.incident_reports import record_report, record_unit_report
from dutydesk.services.incidents.incidents import (
    IncidentDraft,
    get_incident,
    incident_label,
    incident_to_json,
    record_incident,
)
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.shifts import open_shift
from tests.conftest import OFFICE, add_person_cli, init_cli
from tests.support_people import authority_for

ZONE = "Asia/Shanghai"
NOW = "2026-11-23T10:00:00+08:00"
TABLES = ("incident_regrade", "deadline_supersession", "deadline", "deadline_closure", "audit_link")


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=ZONE)  # type: ignore[return-value]


@pytest.fixture
def henan(tmp_path):
    desk = init_database(tmp_path / "henan.sqlite3", OFFICE, "henan", FrozenClock(NOW))
    for name in ("张伟", "李娜"):  # Henan 三(一): two officers per shift
        add_person(
            desk, name, "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
        )
    open_shift(desk, "张伟", second_officer="李娜")
    yield desk
    desk.close()


@pytest.fixture
def person(henan):
    from dutydesk.services.roster.people import find_person

    return find_person(henan, "张伟")


def _incident(desk, person, level: str = "III", occurred: str = "2026-11-23T09:30"):
    draft = IncidentDraft(type="accident", level=level, occurred_at=at(occurred),
                          place="人民路", summary="燃气管道爆炸")  # fmt: skip
    return record_incident(desk, draft, person)


def _rows(desk) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(desk.path)) as conn:
        return {table: conn.execute(f"SELECT * FROM {table}").fetchall() for table in TABLES}


def _shape(views) -> list[tuple[str, str | None, str]]:
    return [
        (v.rule_code, v.due_at.in_timezone(ZONE).format("HH:mm") if v.due_at else None, v.status)
        for v in views
    ]


def test_henan_iii_to_ii_supersedes_the_hour_and_sets_20_and_40_minutes(henan, person):
    row = _incident(henan, person)  # 09:30 Ⅲ: report by 10:30
    assert _shape(deadlines.deadlines_for(henan, "incident", row.id)) == [
        ("incident_report", "10:30", "ok")
    ]
    done = regrade_incident(henan, row.id, "重大", "死亡人数升至 3 人", person)

    regrade = done.regrade
    assert (regrade.old_level, regrade.new_level, regrade.reason) == (
        "III",
        "II",
        "死亡人数升至 3 人",
    )
    assert regrade.regraded_at == henan.now() and regrade.recorded_by_id == person.id
    assert _shape(done.superseded) == [("incident_report", "10:30", "superseded")]
    # counted from the re-grade at 10:00, when the level became known (the event clock would
    # give 09:50 and 10:10, shown beside them)
    assert _shape(done.created) == [
        ("incident_phone", "10:20", "ok"),
        ("incident_written", "10:40", "ok"),
    ]
    assert all(v.counts_from == "regraded_at" and v.cite == "Henan 7(3)" for v in done.created)
    assert [v.event_due_at.format("HH:mm") for v in done.created] == ["09:50", "10:10"]
    views = deadlines.deadlines_for(henan, "incident", row.id)
    assert _shape(views) == [
        ("incident_report", "10:30", "superseded"),
        ("incident_phone", "10:20", "ok"),
        ("incident_written", "10:40", "ok"),
    ]
    superseded = views[0]
    assert "Ⅲ级" in superseded.label  # named with the level whose rule set it (QA)
    assert "Ⅱ级" in views[1].label and "Ⅱ级" in views[2].label
    assert not superseded.is_open and superseded.done_at is None
    assert superseded.late_minutes is None and superseded.superseded_at == henan.now()
    open_now = deadlines.open_deadlines(henan)
    assert [v.rule_code for v in open_now] == ["incident_phone", "incident_written"]
    assert open_now[0].minutes_left == 20
    # the incident's level is now the newest re-grading, everywhere it is named
    current = get_incident(henan, row.id)
    assert current.level == "II" and "Ⅱ级" in incident_label(current)
    assert "Ⅱ级" in open_now[0].label
    data = incident_to_json(henan, current)
    assert (data["level"], data["recorded_level"]) == ("II", "III")
    assert [r["new_level"] for r in data["regrades"]] == ["II"] and data["regrades"][0][
        "by"
    ] == "张伟"
    assert [d["status"] for d in data["deadlines"]] == ["superseded", "ok", "ok"]


def test_a_superseded_deadline_cannot_be_done_or_acknowledged_and_reports_skip_it(henan, person):
    row = _incident(henan, person)
    done = regrade_incident(henan, row.id, "II", "伤亡扩大", person)
    old = done.superseded[0].id
    before = _rows(henan)
    for attempt in (deadlines.close_deadline, deadlines.acknowledge):
        with pytest.raises(DutyError) as refused:
            attempt(henan, old, person, reason="已电话报告")
        assert refused.value.key == "deadlines.superseded"
    assert _rows(henan) == before
    report = record_report(henan, row.id, "first", person, to_whom="省政府总值班室",
                           phoned_at=henan.now())  # fmt: skip
    closed = {c.deadline_id for c in report.closures}
    assert closed == {done.created[0].id}  # the phone deadline, not the superseded one
    assert deadlines.get_deadline(henan, old).status == "superseded"
    # due 10:20 (20 minutes from the re-grade at 10:00): met at 10:00, on time
    assert deadlines.get_deadline(henan, done.created[0].id).late_minutes == 0


def test_done_deadlines_stay_and_rules_shared_by_both_levels_are_kept(henan, person):
    row = _incident(henan, person)
    deadlines.close_deadline(henan, deadlines.open_deadlines(henan)[0].id, person,
                             reason="已电话报告")  # met by 10:00  # fmt: skip
    done = regrade_incident(henan, row.id, "II", "伤亡扩大", person)
    assert done.superseded == []
    statuses = [v.status for v in deadlines.deadlines_for(henan, "incident", row.id)]
    assert statuses == ["met", "ok", "ok"]  # the new ones count from the re-grade (10:00)
    again = regrade_incident(henan, row.id, "I", "升级为特别重大", person)  # same Henan rules
    assert (again.superseded, again.created) == ([], [])
    assert [r.new_level for r in regrades_for(henan, row.id)] == ["II", "I"]
    assert get_incident(henan, row.id).level == "I"


def test_a_unit_report_is_judged_by_the_level_in_force_when_it_was_made(henan, person):
    row = _incident(henan, person)  # Ⅲ: a unit may report within 1 h; Ⅱ: phone within 20 min
    regrade_incident(henan, row.id, "II", "伤亡扩大", person)  # at 10:00
    # made at 09:55, before the re-grade: judged as Ⅲ (due 10:30), on time
    before = record_unit_report(henan, row.id, "城关镇", "phone", at("2026-11-23T09:55"), person)
    assert (before.late, before.late_minutes, before.rule_code) == (False, 0, "unit_report")
    assert before.due_at.in_timezone(ZONE).format("HH:mm") == "10:30"
    # made after it: judged as Ⅱ, 20 minutes from the re-grade (due 10:20), 5 minutes late
    henan.clock.set(at("2026-11-23T10:30"))
    late = record_unit_report(henan, row.id, "城关镇", "phone", at("2026-11-23T10:25"), person)
    assert (late.late, late.late_minutes, late.rule_code) == (True, 5, "unit_report_phone")


@pytest.mark.parametrize(
    ("level", "reason", "key"),
    [
        ("V", "伤亡扩大", "incident.bad_level"),
        ("重大事件", "伤亡扩大", "incident.bad_level"),
        ("III", "伤亡扩大", "regrade.same_level"),
        ("较大", "伤亡扩大", "regrade.same_level"),
    ],
)
def test_bad_regrades_are_refused_and_change_nothing(henan, person, level, reason, key):
    row = _incident(henan, person)
    before = _rows(henan)
    with pytest.raises(DutyError) as refused:
        regrade_incident(henan, row.id, level, reason, person)
    assert refused.value.key == key
    assert _rows(henan) == before
    assert get_incident(henan, row.id).level == "III"


def test_an_empty_reason_or_unknown_incident_is_refused(henan, person):
    row = _incident(henan, person)
    before = _rows(henan)
    with pytest.raises(ValidationFailed) as empty:
        regrade_incident(henan, row.id, "II", "  ", person)
    assert empty.value.fields == ["regrade_reason"]
    with pytest.raises(DutyError) as unknown:
        regrade_incident(henan, 99, "II", "伤亡扩大", person)
    assert unknown.value.key == "incident.unknown"
    assert _rows(henan) == before


def test_the_register_verifies_after_a_regrade_and_the_new_tables_are_guarded(henan, person):
    row = _incident(henan, person)
    regrade_incident(henan, row.id, "II", "伤亡扩大", person)
    report = verify_register(henan.path)
    assert report.ok, report.findings
    assert {"incident_regrade", "deadline_supersession"} <= set(report.tables)
    assert report.unguarded == []
    with closing(sqlite3.connect(henan.path)) as conn:
        kinds = [r[0] for r in conn.execute("SELECT kind FROM audit_link ORDER BY seq")]
        for table in ("incident_regrade", "deadline_supersession"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(f"UPDATE {table} SET id = id")
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(f"DELETE FROM {table}")
    assert kinds[-4:] == ["incident_regrade", "deadline_supersession", "deadline", "deadline"]


# ---------------------------------------------------------------- the command line


@pytest.fixture
def henan_cli(cli):
    assert init_cli(cli, profile="henan").exit_code == 0
    for name in ("张伟", "李娜"):  # Henan 三(一): two officers per shift
        assert add_person_cli(cli, "--name", name, "--role", "officer",
                              "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    assert cli("shift", "open", "--officer", "张伟", "--second-officer", "李娜").exit_code == 0
    added = cli("incidents", "add", "--type", "accident", "--level", "较大",
                "--occurred-at", "2026-11-23T09:30+08:00", "--place", "人民路",
                "--summary", "燃气管道爆炸", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    return cli, json.loads(added.stdout)["id"]


def test_the_regrade_command_in_json_then_verify(henan_cli):
    cli, incident_id = henan_cli
    result = cli("incidents", "regrade", str(incident_id), "--level", "II",
                 "--reason", "死亡人数升至 3 人", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["old_level"], data["new_level"], data["by"]) == ("III", "II", "张伟")
    assert data["regraded_at"] == "2026-11-23T10:00:00+08:00"
    assert [(d["rule_code"], d["status"]) for d in data["superseded"]] == [
        ("incident_report", "superseded")
    ]
    assert [(d["rule_code"], d["due_at"], d["status"]) for d in data["deadlines"]] == [
        ("incident_phone", "2026-11-23T10:20:00+08:00", "ok"),
        ("incident_written", "2026-11-23T10:40:00+08:00", "ok"),
    ]
    assert [d["event_due_at"] for d in data["deadlines"]] == [
        "2026-11-23T09:50:00+08:00",
        "2026-11-23T10:10:00+08:00",
    ]
    board = json.loads(cli("deadlines", "--json").stdout)
    assert [(d["rule_code"], d["status"], d["minutes_left"]) for d in board] == [
        ("incident_phone", "ok", 20),
        ("incident_written", "ok", 40),
    ]
    shown = cli("incidents", "show", str(incident_id)).stdout
    assert "Ⅱ级" in shown and "重新定级：Ⅲ级" in shown and "已作废" in shown
    verified = cli("verify")
    assert verified.exit_code == 0, verified.output


def test_the_regrade_command_in_text(henan_cli):
    cli, incident_id = henan_cli
    result = cli("incidents", "regrade", str(incident_id), "--level", "2", "--reason", "伤亡扩大")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"已重新定级：事件#{incident_id} Ⅲ级") and "伤亡扩大" in lines[0]
    assert "作废" in lines[1] and "河南规范七（三）" in lines[1]
    assert "新时限" in lines[2] and "新时限" in lines[3]
    assert "按事件时间 11-23 09:50 / 按定级时间 11-23 10:20" in lines[2]


def _links(path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT seq, kind FROM audit_link").fetchall()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--level", "V", "--reason", "伤亡扩大"], "事件级别“V”无法识别"),
        (["--level", "III", "--reason", "伤亡扩大"], "无需重新定级"),
        (["--reason", "伤亡扩大"], "--level"),
        (["--level", "II"], "--reason"),
        (["--level", "II", "--reason", " "], "重新定级理由"),
    ],
)
def test_bad_regrade_commands_say_why_and_write_nothing(henan_cli, args, expected):
    cli, incident_id = henan_cli
    before = _links(cli.db_path)
    result = cli("incidents", "regrade", str(incident_id), *args)
    assert result.exit_code != 0 and result.stdout == ""
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert _links(cli.db_path) == before
    english = cli(
        "incidents", "regrade", str(incident_id), "--level", "V", "--reason", "x", lang="en"
    )
    assert english.exit_code != 0 and "V" in english.stderr


def test_a_first_report_already_made_meets_the_new_levels_deadlines(henan, person):
    """QA: II -> III after the 首报 was phoned left the new one-hour deadline open."""
    row = _incident(henan, person, level="II", occurred="2026-11-23T09:45")  # phone by 10:05
    record_report(henan, row.id, "first", person, to_whom="市政府总值班室",
                  phoned_at=at("2026-11-23T10:00"))  # fmt: skip
    done = regrade_incident(henan, row.id, "III", "核实后降为较大", person)
    assert [v.rule_code for v in done.created]  # the Ⅲ rule's own deadline was set ...
    views = {v.id: v for v in deadlines.deadlines_for(henan, "incident", row.id)}
    created = [views[v.id] for v in done.created]
    assert all(v.status == "met" for v in created)  # ... and met by the phone report at 10:00
    open_ids = {v.id for v in deadlines.open_deadlines(henan)}
    assert not open_ids & {v.id for v in created}
