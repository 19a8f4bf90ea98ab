"""Incident records: levels and types as typed, the completeness check (要素齐全), validation,
the report chain (首报 → 续报 n → 终报), reports from units (迟报), the 首报 draft, append-only
storage with its audit links."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace

import pendulum
import pytest

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.incidents.incident_reports import (
    chinese_number,
    late_reports_by_unit,
    record_report,
    record_unit_report,
    report_chain,
)
from dutydesk.services.incidents.incidents import (
    IncidentDraft,
    draft_first_report,
    get_incident,
    missing_elements,
    parse_level,
    parse_type,
    record_incident,
    register_table,
)
from tests.support_people import authority_for
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)

ZONE = "Asia/Shanghai"
FULL = IncidentDraft(
    type="accident", level="III", occurred_at=pendulum.parse("2026-11-23T09:40:00+08:00"),  # type: ignore[arg-type]
    place="人民路与解放路交叉口", summary="燃气管道被施工挖破泄漏", dead=0, injured=2, missing=0,
    trapped=0, scope="周边300米封控，疏散群众约40人", secondary_risk="存在爆燃风险",
    measures="已关阀断气，消防到场", next_steps="继续监测", source_caller="李红",
    source_unit="城关镇", reporter="张伟", reviewer="王建国",
)  # fmt: skip


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=ZONE)  # type: ignore[return-value]


def audit_count(desk) -> int:
    with closing(sqlite3.connect(desk.path)) as conn:
        return conn.execute("SELECT COUNT(*) FROM audit_link").fetchone()[0]


@pytest.mark.parametrize(
    ("typed", "level"),
    [("特别重大", "I"), ("Ⅰ", "I"), ("i", "I"), ("重大", "II"), ("Ⅱ级", "II"), ("较大", "III"),
     ("III", "III"), ("一般", "IV"), ("Ⅳ", "IV"), (" IV ", "IV")],
)  # fmt: skip
def test_levels_in_chinese_roman_or_ascii(typed, level):
    assert parse_level(typed) == level


@pytest.mark.parametrize("typed", ["", "V", "很大", "5", "II I"])
def test_an_unknown_level_is_refused(typed):
    with pytest.raises(DutyError) as refused:
        parse_level(typed)
    assert refused.value.key == "incident.bad_level"


def test_types_in_chinese_or_code():
    assert [parse_type(x) for x in ("自然灾害", "事故灾难", "公共卫生事件", "社会安全", "health")] == [
        "natural", "accident", "health", "social", "health",
    ]  # fmt: skip
    with pytest.raises(DutyError):
        parse_type("火灾")


def test_a_complete_incident_has_nothing_missing(desk, officer):
    row = record_incident(desk, FULL, officer)
    assert missing_elements(desk.profile, row) == []


def test_every_missing_element_is_listed_with_its_article(desk, officer):
    bare = IncidentDraft(type="natural", level="IV", occurred_at=desk.now(), summary="暴雨")
    row = record_incident(desk, replace(bare, injured=3), officer)
    missing = missing_elements(desk.profile, row)
    assert [m.code for m in missing] == [
        "place", "casualties_dead", "casualties_missing", "casualties_trapped", "scope",
        "secondary_risk", "measures", "source", "reporter", "reviewer",
    ]  # fmt: skip
    assert {m.cite for m in missing if m.code != "source" and m.code != "measures"} == {
        "Tianjin art. 21"
    }
    assert missing[0].label == "事发地点"


def test_the_elements_follow_the_profile(tmp_path, clock):
    """Henan asks for no reporter or reviewer (Tianjin art. 21 does)."""
    from dutydesk.services.core.desk import init_database

    henan = init_database(tmp_path / "henan.sqlite3", "测试", "henan", clock)
    try:
        codes = [m.code for m in missing_elements(henan.profile, replace(FULL, reporter="",
                                                                          reviewer="", place=""))]  # fmt: skip
        assert codes == ["place"]
    finally:
        henan.close()


def test_a_source_needs_both_caller_and_unit(desk):
    codes = [m.code for m in missing_elements(desk.profile, replace(FULL, source_caller=""))]
    assert codes == ["source"]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"occurred_at": None}, "incident_occurred_at"),
     ({"occurred_at": at("2026-11-23T10:30:00")}, "incident_occurred_at"),
     ({"received_at": at("2026-11-23T09:30:00")}, "incident_received_at"),
     ({"summary": "  "}, "incident_summary"),
     ({"level": "V"}, "incident_level"),
     ({"type": "fire"}, "incident_type"),
     ({"dead": -1}, "casualties_dead"),
     ({"place": "路" * 201}, "incident_place")],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_written(desk, officer, change, field):
    before = audit_count(desk)
    with pytest.raises(ValidationFailed) as refused:
        record_incident(desk, replace(FULL, **change), officer)
    assert refused.value.fields == [field]
    assert audit_count(desk) == before


def test_the_incident_can_come_from_a_call(desk, officer):
    call = save_call(desk, CallDraft("李红", "城关镇", "0371-66000000", "燃气泄漏"), officer)
    row = record_incident(desk, replace(FULL, source_caller="", source_unit="",
                                        call_number=call.number), officer)  # fmt: skip
    assert (row.call_id, row.source_caller, row.source_unit) == (call.id, "李红", "城关镇")
    before = audit_count(desk)
    with pytest.raises(DutyError) as refused:
        record_incident(desk, replace(FULL, call_number="2026-999999"), officer)
    assert refused.value.key == "calls.unknown" and audit_count(desk) == before
    with pytest.raises(DutyError) as twice:  # one call, one incident (QA: a form opened twice)
        record_incident(desk, replace(FULL, call_number=call.number), officer)
    assert twice.value.key == "incident.call_has_incident" and audit_count(desk) == before
    assert f"#{row.id}" in twice.value.message()


def test_an_incident_from_a_call_is_received_when_the_call_came(desk, officer, clock):
    call = save_call(desk, CallDraft("李红", "城关镇", "0371-66000000", "燃气泄漏"), officer)
    clock.advance(minutes=25)  # the form typed later: the deadlines count from the call
    row = record_incident(desk, replace(FULL, received_at=None, call_number=call.number), officer)
    assert row.received_at == call.received_at and row.recorded_at == clock.now()


def test_an_incident_and_its_deadlines_are_audited_and_append_only(desk, officer):
    before = audit_count(desk)
    row = record_incident(desk, FULL, officer)
    assert audit_count(desk) == before + 3  # the incident and its two Tianjin deadlines
    with closing(sqlite3.connect(desk.path)) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE incident SET place = 'x' WHERE id = ?", (row.id,))
    assert get_incident(desk, row.id).place == FULL.place


# ---------------------------------------------------------------- the report chain


def test_the_chain_first_numbered_followups_and_final(desk, officer, clock):
    row = record_incident(desk, FULL, officer)
    clock.advance(minutes=40)
    report = dict(to_whom="市政府总值班室")
    record_report(desk, row.id, "first", officer, phoned_at=at("2026-11-23T10:05"), **report)
    record_report(desk, row.id, "first", officer, written_at=at("2026-11-23T10:30"), **report)
    record_report(desk, row.id, "followup", officer, phoned_at=at("2026-11-23T10:31"), **report)
    record_report(desk, row.id, "followup", officer, phoned_at=at("2026-11-23T10:35"), **report)
    record_report(desk, row.id, "followup", officer, written_at=at("2026-11-23T10:36"),
                  number=1, **report)  # fmt: skip
    record_report(desk, row.id, "final", officer, written_at=at("2026-11-23T10:39"), **report)
    chain = report_chain(desk, row.id)
    assert [(s.label, s.phoned_at is not None, s.written_at is not None) for s in chain] == [
        ("首报", True, True), ("续报一", True, True), ("续报二", True, False), ("终报", False, True),
    ]  # fmt: skip
    assert chain[0].by_whom == "张伟" and chain[0].to_whom == "市政府总值班室"


@pytest.mark.parametrize(
    ("steps", "bad", "key"),
    [([], ("followup", None, "phoned"), "report.no_first"),
     ([], ("final", None, "written"), "report.no_first"),
     ([("first", None, "phoned")], ("first", None, "phoned"), "report.time_recorded"),
     ([("first", None, "phoned")], ("followup", 3, "phoned"), "report.unknown_followup"),
     ([("first", None, "phoned")], ("first", 2, "written"), "report.number_only_followup"),
     ([("first", None, "phoned"), ("final", None, "written")], ("followup", None, "phoned"),
      "report.after_final")],
)  # fmt: skip
def test_steps_out_of_order_are_refused(desk, officer, clock, steps, bad, key):
    row = record_incident(desk, FULL, officer)
    clock.advance(minutes=30)

    def step(kind, number, which):
        times = {f"{which}_at": at("2026-11-23T10:10")}
        return record_report(desk, row.id, kind, officer, to_whom="市政府总值班室",
                             number=number, **times)  # fmt: skip

    for kind, number, which in steps:
        step(kind, number, which)
    before = audit_count(desk)
    with pytest.raises(DutyError) as refused:
        step(*bad)
    assert refused.value.key == key and audit_count(desk) == before


def test_a_report_needs_a_time_a_recipient_and_no_time_before_receipt(desk, officer):
    row = record_incident(desk, replace(FULL, received_at=at("2026-11-23T09:50")), officer)
    with pytest.raises(ValidationFailed) as no_time:
        record_report(desk, row.id, "first", officer, to_whom="市政府总值班室")
    assert no_time.value.fields == ["report_phoned_at"]
    with pytest.raises(ValidationFailed) as no_one:
        record_report(desk, row.id, "first", officer, to_whom=" ", phoned_at=desk.now())
    assert no_one.value.fields == ["report_to"]
    with pytest.raises(ValidationFailed) as early:
        record_report(desk, row.id, "first", officer, to_whom="市政府总值班室",
                      phoned_at=at("2026-11-23T09:45"))  # fmt: skip
    assert early.value.fields == ["report_phoned_at"]
    with pytest.raises(DutyError) as unknown:
        record_report(desk, 99, "first", officer, to_whom="x", phoned_at=desk.now())
    assert unknown.value.key == "incident.unknown"
    assert report_chain(desk, row.id) == []


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 2, 10, 11, 20, 23, 99, 100)] == [
        "一", "二", "十", "十一", "二十", "二十三", "九十九", "100",
    ]  # fmt: skip


# ---------------------------------------------------------------- reports from units


def test_a_unit_reporting_later_than_the_profile_allows_is_marked_late(desk, officer, clock):
    row = record_incident(desk, FULL, officer)  # Tianjin: phone 30 min, written 1 h from 09:40
    clock.advance(hours=1)
    on_time = record_unit_report(desk, row.id, "城关镇", "phone", at("2026-11-23T10:10"), officer)
    late = record_unit_report(desk, row.id, "城关镇", "written", at("2026-11-23T10:41"), officer)
    later = record_unit_report(desk, row.id, "新华街道", "phone", at("2026-11-23T10:00"), officer)
    assert (on_time.late, on_time.cite) == (False, "Tianjin art. 20")
    assert (late.late, late.late_minutes) == (True, 1)
    assert (later.late, later.late_minutes) == (False, 0)
    assert late_reports_by_unit(desk) == {"城关镇": 1}


def test_no_limit_means_no_late_mark(tmp_path, clock):
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster.people import add_person

    henan = init_database(tmp_path / "henan.sqlite3", "测试", "henan", clock)
    try:
        person, _ = add_person(henan, "张伟", "officer", authority=authority_for(henan))
        row = record_incident(henan, replace(FULL, level="IV"), person)
        report = record_unit_report(henan, row.id, "城关镇", "phone", henan.now(), person)
        assert (report.due_at, report.late, report.rule_code) == (None, False, "")
        serious = record_incident(henan, replace(FULL, level="I"), person)  # phone 20, written 40
        phoned = record_unit_report(henan, serious.id, "城关镇", "phone", at("2026-11-23T10:00"),
                                    person)  # fmt: skip
        assert (phoned.late, phoned.late_minutes, phoned.cite) == (False, 0, "Henan 7(3)")
    finally:
        henan.close()


def test_bad_unit_reports_are_refused(desk, officer):
    row = record_incident(desk, FULL, officer)
    with pytest.raises(ValidationFailed) as bad:
        record_unit_report(desk, row.id, "", "fax", desk.now(), officer)
    assert bad.value.fields == ["unit_report_unit", "unit_report_channel"]
    with pytest.raises(ValidationFailed) as early:
        record_unit_report(desk, row.id, "城关镇", "phone", at("2026-11-23T09:00"), officer)
    assert early.value.fields == ["unit_report_at"]


# ---------------------------------------------------------------- texts


def test_the_first_report_draft_in_the_usual_order(desk, officer):
    text = draft_first_report(desk, record_incident(desk, FULL, officer))
    first = text.splitlines()[0]
    order = ["2026年11月23日9时40分", "人民路与解放路交叉口", "燃气管道被施工挖破泄漏", "2人受伤",
             "已关阀断气", "继续监测"]  # fmt: skip
    assert [first.index(part) for part in order] == sorted(first.index(part) for part in order)
    assert "无人员死亡" in first and "存在爆燃风险" in text and "审核人：王建国" in text


def test_the_draft_marks_what_is_missing(desk, officer):
    row = record_incident(desk, IncidentDraft(type="natural", level="IV",
                                              occurred_at=desk.now(), summary="暴雨"), officer)  # fmt: skip
    text = draft_first_report(desk, row)
    assert "【待核实：事发地点】" in text and "伤亡" not in text.split("。")[0]
    assert "死亡人数；受伤人数；失踪人数；被困人数待核实" in text


def _first_line(desk, officer, **elements) -> str:
    row = record_incident(desk, replace(FULL, **elements), officer)
    return draft_first_report(desk, row).splitlines()[0]


@pytest.mark.parametrize(
    ("place", "summary", "sentence"),
    [
        # the usual case: 地点 + 发生 + 事件情况
        ("人民路", "燃气泄漏", "2026年11月23日9时40分，人民路发生燃气泄漏。"),
        # the content ending in 。 (or another stop): one 。, not two
        ("人民路", "燃气泄漏。", "2026年11月23日9时40分，人民路发生燃气泄漏。"),
        ("人民路", "燃气泄漏；", "2026年11月23日9时40分，人民路发生燃气泄漏。"),
        # the content beginning with 发生: not 发生发生
        ("人民路", "发生燃气泄漏", "2026年11月23日9时40分，人民路发生燃气泄漏。"),
        # 发生 inside the content, after what it happened to: the place set apart
        ("人民路", "一辆货车发生侧翻。", "2026年11月23日9时40分，人民路，一辆货车发生侧翻。"),
        # the place inside the content (as a caller says it): the content alone
        ("人民路", "人民路发生燃气泄漏。", "2026年11月23日9时40分，人民路发生燃气泄漏。"),
        ("人民路", "人民路燃气管道破裂", "2026年11月23日9时40分，人民路燃气管道破裂。"),
    ],
)
def test_the_draft_says_the_place_and_what_happened_once(desk, officer, place, summary, sentence):
    """Session 17: a place already in the content gave 人民路发生人民路发生燃气泄漏。。"""
    first = _first_line(desk, officer, place=place, summary=summary)
    assert first.startswith(sentence + "无人员死亡"), first


def test_the_draft_ends_each_element_with_one_stop(desk, officer):
    row = record_incident(desk, replace(FULL, measures="已关阀断气。", next_steps="继续监测；",
                                        scope="周边300米封控。", secondary_risk="存在爆燃风险。"),
                          officer)  # fmt: skip
    text = draft_first_report(desk, row)
    assert "。。" not in text and "；。" not in text
    assert "已采取措施：已关阀断气。下一步：继续监测。" in text
    assert "影响范围和危害程度：周边300米封控。" in text and "次生灾害风险：存在爆燃风险。" in text


def test_the_draft_in_english_says_the_place_once(desk, officer):
    from dutydesk.i18n import set_language

    set_language("en")
    row = record_incident(desk, replace(FULL, place="Renmin Road",
                                        summary="Gas leak on Renmin Road."), officer)  # fmt: skip
    first = draft_first_report(desk, row).splitlines()[0]
    assert first.startswith("At 2026-11-23 09:40, Gas leak on Renmin Road. ")
    row = record_incident(desk, replace(FULL, place="Renmin Road", summary="Gas leak."), officer)
    first = draft_first_report(desk, row).splitlines()[0]
    assert first.startswith("At 2026-11-23 09:40, at Renmin Road: Gas leak. ")


def test_the_incident_register_of_a_shift(desk, officer):
    from dutydesk.services.roster.shifts import current_shift

    record_incident(desk, FULL, officer)
    header, rows = register_table(desk, current_shift(desk))
    assert header[0] == "编号" and len(rows) == 1
    assert rows[0][4] == "Ⅲ级（较大）" and rows[0][-1] == ""


def test_a_time_typed_to_the_minute_may_be_the_minute_the_incident_came_in(desk, officer, clock):
    """QA: an incident received at 10:00:40 refused a phone report typed as 10:00."""
    clock.advance(seconds=40)
    incident = record_incident(desk, FULL, officer)  # received now, 10:00:40
    recorded = record_report(desk, incident.id, "first", officer, to_whom="市政府总值班室",
                             phoned_at=at("2026-11-23T10:00"))  # fmt: skip
    assert recorded.step.phoned_at == at("2026-11-23T10:00")
    with pytest.raises(ValidationFailed):
        record_report(desk, incident.id, "first", officer, to_whom="市政府总值班室",
                      written_at=at("2026-11-23T09:59"))  # fmt: skip
