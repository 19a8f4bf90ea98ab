"""Issue 14 item 10: every citation in every profile names an article that exists in its text
(a table of each text's articles below), or says it is an "office setting" or "common
practice" where no text sets the rule; and the citations the audit found wrong are fixed."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import date

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.paths import profiles_dir
from dutydesk.profiles import available_profiles, load_profile

NO_TEXT = ("office setting", "common practice")
CN = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}

# Henan 2021 norms: part (一..十) -> number of its items (一)(二)...; 7(2) lists 1..9.
HENAN = {1: 0, 2: 0, 3: 3, 4: 7, 5: 0, 6: 8, 7: 4, 8: 3, 9: 0, 10: 2}
HENAN_NUMBERED = {(7, 2): 9}
# Tianjin 2019 rules: 38 articles; the ones with items (一)(二)... and how many.
TIANJIN_ARTICLES = 38
TIANJIN_ITEMS = {9: 5, 12: 5, 14: 3, 15: 6, 16: 8}
# The district's rules: each section (by its English name in the profiles) and its numbered
# points (0: a flow chart or procedure).
DISTRICT = {
    "Duty Reminder Board": 4,  # 值班工作提示牌
    "Duty Responsibilities": 7,  # 值班工作职责
    "Duty Work Rules": 7,  # 值班工作制度
    "Duty Arrangements": 2,  # 值班安排: 一、值班制度 二、尽职履责
    "Circulation of Documents from Higher Authorities": 0,  # 上级来文运转流程
    "General Incident Information Handling Flow": 0,  # 一般突发事件信息处理流程(图)
}


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if token and all(c in CN for c in token):
        if token == "十":
            return 10
        if token.startswith("十"):
            return 10 + CN[token[1]]
        return CN[token[0]] if len(token) == 1 else CN[token[0]] * 10 + CN.get(token[2:], 0)
    return None


def _henan_ok(ref: str) -> bool:
    match = re.fullmatch(
        r"(\d+|[一二三四五六七八九十]+)(?:\((\d+|[一二三四五六七八九])\)(\d+)?)?", ref
    )
    if not match:
        return False
    part, item, point = _number(match[1]), match[2], match[3]
    if part not in HENAN:
        return False
    if item is None:
        return True
    item_no = _number(item)
    if item_no is None or not 1 <= item_no <= HENAN[part]:
        return False
    return point is None or 1 <= int(point) <= HENAN_NUMBERED.get((part, item_no), 0)


def _tianjin_ok(ref: str) -> bool:
    match = re.fullmatch(r"(\d+)(?:\((\d+)\))?", ref)
    if not match or not 1 <= int(match[1]) <= TIANJIN_ARTICLES:
        return False
    return match[2] is None or 1 <= int(match[2]) <= TIANJIN_ITEMS.get(int(match[1]), 0)


def _district_ok(body: str) -> bool:
    section = next((name for name in DISTRICT if body == name or body.startswith(name + " ")), "")
    points = body.removeprefix(section).strip()
    if not section:
        return False
    if not points:
        return True
    for token in points.split(", "):
        ends = token.split("-")
        numbers = [_number(end) for end in ends]
        if len(ends) > 2 or any(n is None or not 1 <= n <= DISTRICT[section] for n in numbers):
            return False
    return True


def _refs_ok(text: str, body: str) -> bool:
    if text == "District":
        return _district_ok(body)
    if text == "Tianjin":
        if not body.startswith("art. "):
            return False
        return all(_tianjin_ok(ref) for ref in body[len("art. ") :].split(", "))
    return all(_henan_ok(ref) for ref in body.split(", "))


def _parts(cite: str) -> Iterator[str]:
    """The parts of a citation split at ";" outside parentheses."""
    depth, start = 0, 0
    for index, char in enumerate(cite):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            yield cite[start:index].strip()
            start = index + 1
    yield cite[start:].strip()


EMBEDDED = re.compile(
    r"(Henan) ((?:\d+|[一二三四五六七八九十]+)(?:\([^)]+\)\d*)?)|(Tianjin) (art\. \d+(?:\(\d+\))?)"
)


def citation_problems(cite: str) -> list[str]:
    """Why a citation does not name an existing article ([] when it does)."""
    problems = []
    for part in _parts(cite):
        remark = ""
        if part.startswith(NO_TEXT):
            remark = part
        else:
            match = re.fullmatch(r"(Henan|Tianjin|District) (.+?)(?: \((.*)\))?", part)
            if not match:
                problems.append(
                    f"{part!r}: neither a text's article nor office setting/common practice"
                )
                continue
            if not _refs_ok(match[1], match[2]):
                problems.append(f"{part!r}: no such article in {match[1]}")
            remark = match[3] or ""
        for found in EMBEDDED.finditer(remark):  # "as Tianjin art. 17" inside a remark
            text, body = (found[1], found[2]) if found[1] else (found[3], found[4])
            if not _refs_ok(text, body):
                problems.append(f"{part!r}: no such article {text} {body}")
    return problems


def _citations(node: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, citation) for every citation in a profile's raw TOML."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if isinstance(value, str) and (key == "cite" or key.endswith("_cite")):
                yield where, value
            elif key in ("elements", "device_cites") and isinstance(value, dict):
                yield from ((f"{where}.{k}", v) for k, v in value.items())
            else:
                yield from _citations(value, where)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _citations(value, f"{path}[{index}]")


def _raw(profile: str) -> dict:
    with open(profiles_dir() / f"{profile}.toml", "rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize("profile", available_profiles())
def test_every_citation_names_an_article_of_its_text(profile):
    found = list(_citations(_raw(profile)))
    assert len(found) > 30  # every rule, element and checklist section carries one
    problems = {where: citation_problems(cite) for where, cite in found}
    assert {where: p for where, p in problems.items() if p} == {}


@pytest.mark.parametrize(
    "cite",
    [
        "Henan 6(9)",
        "Henan 十一",
        "Henan 三(四)",
        "Henan 7(2)10",
        "Tianjin art. 39",
        "Tianjin art. 14(4)",
        "Tianjin art. 20(1)",
        "Tianjin 14",
        "District Duty Work Rules 8",
        "District Duty Responsibilities 2-9",
        "District 制度汇编",
        "District Duty Rules 2",
        "Beijing art. 3",
        "office setting; Henan 6(9)",
        "common practice (as Tianjin art. 40)",
        "",
    ],
)
def test_the_checker_refuses_articles_that_do_not_exist(cite):
    assert citation_problems(cite)


@pytest.mark.parametrize(
    "cite",
    [
        "Henan 三(二)",
        "Henan 6(8), 7(4)",
        "Henan 7(2)1",
        "Tianjin art. 16(3), 16(4)",
        "District Duty Responsibilities 2-4",
        "District Duty Work Rules 2, 3, 4; common practice (uninformed)",
        "District General Incident Information Handling Flow (relatively serious level and above)",
        "common practice (Henan 6(8) names no methods; as Tianjin art. 17)",
    ],
)
def test_the_checker_accepts_articles_that_exist(cite):
    assert citation_problems(cite) == []


def test_the_audited_citations_are_fixed():
    henan, tianjin, district = (load_profile(n) for n in ("henan", "tianjin", "district"))
    # Henan sets no shift times: an office setting
    assert all(slot.cite.startswith("office setting") for slot in henan.shifts.slots)
    # 7(2) lists only 特别重大、重大、较大: no deadline for an 一般 incident
    assert [r.code for r in henan.deadlines if r.levels and "IV" in r.levels] == []
    # spot checks: the methods are Tianjin art. 17's; the faults are the norms' own
    assert henan.spotcheck.methods_cite.startswith("common practice")
    assert set(henan.spotcheck.faults) == {
        "absent", "stand_in", "late_report", "false_report", "concealed", "missed_report"
    }  # fmt: skip
    # 视频会商 is 6(5); 保密设备 is in 五
    assert henan.handover.device_cites == {"video_conference": "Henan 6(5)"}
    assert "secure_equipment" in henan.handover.devices and henan.handover.devices_cite == "Henan 5"
    # the phone list and roster are Tianjin 9(5)'s, the report to the leader Tianjin art. 14's
    assert "common practice" in henan.handover.desk_items_cite
    assert henan.handover.report_to_leader_cite.startswith("common practice")
    # the 1-year retention is Henan 6(2)'s
    assert henan.calls.retention_cite == "Henan 6(2)"
    for profile in (tianjin, district):
        assert profile.calls.retention_years == 1
        assert "common practice (the period, as Henan 6(2))" in profile.calls.retention_cite
    # the district cites no Tianjin article: its city is unnamed in the text
    assert not [c for _, c in _citations(_raw("district")) if "Tianjin" in c]
    assert district.handover.incoming_early_minutes == 10  # the figure is kept
    assert district.handover.report_to_leader_cite.startswith("common practice")


def test_a_henan_general_incident_sets_no_deadline_and_no_handover_item(tmp_path):
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.handover.handover_checklist import build_checklist
    from dutydesk.services.incidents import deadlines
    from dutydesk.services.incidents.incident_reports import record_report
    from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
    from dutydesk.services.roster.people import add_person, find_person
    from dutydesk.services.roster.shifts import open_shift
    from tests.support_people import authority_for

    now = pendulum.parse("2026-11-23T10:00:00+08:00")
    desk = init_database(tmp_path / "h.sqlite3", "测试", "henan", FrozenClock(now))  # type: ignore[arg-type]
    try:
        for name in ("张伟", "李娜"):
            add_person(desk, name, "officer", in_post_since=date(2024, 1, 1),
                       authority=authority_for(desk))  # fmt: skip
        open_shift(desk, "张伟", second_officer="李娜")  # Henan 三(一): two officers a shift
        person = find_person(desk, "张伟")
        draft = IncidentDraft(type="accident", level="IV", occurred_at=now.subtract(minutes=30),
                              place="人民路", summary="车辆剐蹭")  # fmt: skip
        row = record_incident(desk, draft, person)
        assert deadlines.deadlines_for(desk, "incident", row.id) == []
        assert not [i for i in build_checklist(desk).items if i.section == "deadlines"]
        # reported anyway at the officer's judgement (7(2)3/4/9): the chain works, no clock
        made = record_report(desk, row.id, "first", person, to_whom="省政府总值班室",
                             phoned_at=now)  # fmt: skip
        assert made.closures == [] and made.step.kind == "first"
    finally:
        desk.close()
