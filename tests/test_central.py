"""Issue 20: the city's central archive on a real PostgreSQL server (started once per test
worker, tests/support_central.py): archives of three desks with different profiles ingested
out of order, a tampered pack refused with nothing stored, a gap quarantining the later pack
until it arrives, Chinese search of 1- and 2-character terms across desks, the report against
figures worked out by hand, a register rewritten before a head the city holds caught by
`verify --central`, and the ingest role that may only read and insert."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from openpyxl import load_workbook

from dutydesk.services.archive.export import write_archive
from dutydesk.services.archive.export_pack import PACK
from dutydesk.services.central import (
    central_report,
    desk_status,
    ingest_paths,
    init_central,
    search_central,
)
from tests.support_central import add_calls, at, new_desk
from tests.support_packs import rewrite_manifest

PROFILES = {"tianjin": "天津测试值班室", "henan": "河南测试值班室", "district": "区测试值班室"}
SEARCH_CALLS = {  # a third archive's calls per desk, for the search
    "tianjin": [("城关镇", "积水已退")],
    "henan": [("北关街道", "河道积水上涨"), ("北关街道", "水管爆裂")],
    "district": [("新区", "积雪压断树枝")],
}


@pytest.fixture(scope="session")
def server(central_server):
    """The process's server (conftest): a module importing this fixture gets a fixture of its
    own, which would start a server of its own if it started one here."""
    return central_server


@pytest.fixture
def url(server) -> str:
    """A new, initialised central database for each test, of a city that takes the archives of
    desks it has no key for (these tests are about ingest; tests/test_central_keys_unenrolled.py
    is about the default, which holds them)."""
    made = server.create_database(f"central_{uuid.uuid4().hex[:12]}")
    init_central(made)
    accept_unenrolled(made)
    return made


def accept_unenrolled(url: str) -> None:  # noqa: F811
    from dutydesk.services.central.enrolment import set_unenrolled

    set_unenrolled(url, True, "王主任", "各台早于签名功能")


def _tianjin_register(desk, person) -> None:
    """Archive 2's rows: an incident (Tianjin III, occurred 09:40: the units' phone report due
    10:10, written 10:40), its deadlines closed one on time and one 7 minutes late, reports
    from the units (one a minute late), a call corrected."""
    from dutydesk.services.calls.calls import amend_call
    from dutydesk.services.incidents import deadlines
    from dutydesk.services.incidents.incident_reports import record_unit_report
    from dutydesk.services.incidents.incidents import IncidentDraft, record_incident

    draft = IncidentDraft(type="accident", level="III", occurred_at=at("2026-11-23T09:40"),
                          place="人民路", summary="燃气泄漏")  # fmt: skip
    incident = record_incident(desk, draft, person)
    desk.clock.set(at("2026-11-23T11:00"))
    reports = [record_unit_report(desk, incident.id, unit, channel, at(when), person)
               for unit, channel, when in (("城关镇", "phone", "2026-11-23T10:10"),
                                           ("城关镇", "written", "2026-11-23T10:41"),
                                           ("新华街道", "phone", "2026-11-23T10:00"))]  # fmt: skip
    assert [(r.late, r.late_minutes) for r in reports] == [(False, 0), (True, 1), (False, 0)]
    phone, written = deadlines.open_deadlines(desk)
    assert (phone.due_at, written.due_at) == (at("2026-11-23T10:10"), at("2026-11-23T10:40"))
    deadlines.close_deadline(desk, phone.id, person, at("2026-11-23T10:10"), reason="电话已报")
    deadlines.close_deadline(desk, written.id, person, at("2026-11-23T10:47"), reason="已书面报")
    amend_call(desk, "2026-000001", "听错", {"summary": "桥下积水较深"}, person)


def _spot_check(desk, person) -> dict[str, str]:
    """Archive 3: two units checked, the first answering with two faults, the second not
    answering. Returns which unit (by name) had which result."""
    from dutydesk.services.spotcheck.spotcheck import record_outcome, start_round
    from dutydesk.services.spotcheck.units import UnitDraft, add_unit

    for index, name in enumerate(("城关镇", "新华街道")):
        add_unit(desk, UnitDraft(name, "township", f"0371-6600000{index}"))
    drawn = start_round(desk, person, seed=1, count=2)
    first, second = drawn.units
    record_outcome(desk, drawn.id, first.unit_id, person, method="phone", answered=True,
                   answered_by="王五", faults=["absent", "uninformed"])  # fmt: skip
    record_outcome(desk, drawn.id, second.unit_id, person, method="phone", answered=False)
    return {"faults": first.name, "unanswered": second.name}


@pytest.fixture(scope="module")
def desks(tmp_path_factory):
    """Three desks (Tianjin, Henan, district), each with a full snapshot and two packs in its
    own archive folder; the Tianjin one with the report's rows."""
    root = tmp_path_factory.mktemp("desks")
    made: dict[str, dict] = {}
    for profile, office in PROFILES.items():
        desk, person = new_desk(root / f"{profile}.sqlite3", office, profile)
        add_calls(desk, person, [("城关镇", "桥下积水"), ("新华街道", "路灯损坏")])
        (root / profile).mkdir()
        archives = [write_archive(desk, root / profile)]
        checked = {}
        if profile == "tianjin":
            _tianjin_register(desk, person)
        archives.append(write_archive(desk, root / profile))
        if profile == "tianjin":
            checked = _spot_check(desk, person)
        add_calls(desk, person, SEARCH_CALLS[profile])
        archives.append(write_archive(desk, root / profile))
        made[profile] = {"archives": archives, "register": desk.path, "checked": checked}
        desk.close()
    return made


def _counts(url: str) -> dict[str, int]:
    tables = ("desk", "archive", "archive_file", "quarantine", "link", "record", "call", "doc")
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def _links(register: Path) -> int:
    with closing(sqlite3.connect(register)) as conn:
        return conn.execute("SELECT count(*) FROM audit_link").fetchone()[0]


def test_three_desks_ingested_out_of_order_and_again_changes_nothing(url, desks, tmp_path):
    newest_first = [a for d in desks.values() for a in reversed(d["archives"])]
    statuses = [[o.status for o in ingest_paths(url, [path], tmp_path)] for path in newest_first]
    # per desk: 3 and 2 held (no full snapshot yet), then 1 ingested releases 2 and 3
    assert statuses == [["quarantined"], ["quarantined"], ["ingested", "released", "released"]] * 3
    desks_held = {status.office: status for status in desk_status(url)}
    assert set(desks_held) == set(PROFILES.values())
    profiles = {status.profile for status in desks_held.values()}
    assert len(profiles) == 3, "three desks with three different profiles"
    for profile, office in PROFILES.items():
        status = desks_held[office]
        assert (status.archives, status.newest_number, status.held, status.missing) == (
            3,
            3,
            [],
            [],
        )
        # every link the desk wrote up to its last export (which records it after) is held
        assert status.head_seq == _links(desks[profile]["register"]) - 1
    before = _counts(url)
    again = ingest_paths(url, newest_first, tmp_path / "other-work")
    assert {o.status for o in again} == {"already"} and len(again) == 9
    assert _counts(url) == before


def _tamper_call(folder: Path) -> None:
    with closing(sqlite3.connect(folder / PACK)) as conn, conn:
        conn.execute("UPDATE call_record SET summary = '无事' WHERE summary = '桥下积水较深'")
    rewrite_manifest(folder, lambda manifest: None)  # the forger recomputes the SHA-256s too


def test_a_tampered_pack_is_refused_whole_with_nothing_stored(url, desks, tmp_path):
    first, second, _third = desks["tianjin"]["archives"]
    assert [o.status for o in ingest_paths(url, [first], tmp_path)] == ["ingested"]
    forged = tmp_path / "forged" / second.name
    shutil.copytree(second, forged)
    _tamper_call(forged)
    before = _counts(url)
    (outcome,) = ingest_paths(url, [forged], tmp_path)
    assert outcome.status == "refused"
    assert any("增量包中的记录与其链节哈希不符" in reason for reason in outcome.reasons)
    assert _counts(url) == before
    edited = tmp_path / "edited" / second.name  # a CSV edited, its hash recomputed
    shutil.copytree(second, edited)
    csv = next(edited.glob("*.csv"))
    csv.write_bytes(csv.read_bytes().replace("桥下积水".encode(), "桥下无水".encode()))
    rewrite_manifest(edited, lambda manifest: None)
    (outcome,) = ingest_paths(url, [edited], tmp_path)
    assert outcome.status == "refused" and _counts(url) == before
    assert any("重新生成" in reason for reason in outcome.reasons)


def test_a_missing_pack_is_a_gap_and_the_later_one_held_until_it_arrives(url, desks, tmp_path):
    first, second, third = desks["henan"]["archives"]
    ingest_paths(url, [first], tmp_path)
    assert [o.status for o in ingest_paths(url, [third], tmp_path)] == ["quarantined"]
    (again,) = ingest_paths(url, [third], tmp_path)  # given again while held: not "stored"
    assert again.status == "still_held" and "缺少编号 2 的归档" in again.reasons[0]
    (status,) = desk_status(url)
    assert status.newest_number == 1 and status.missing == [2]
    assert [(held.number, held.name) for held in status.held] == [(3, third.name)]
    assert "缺少编号 2 的归档" in status.held[0].reason  # one archive: not "2 至 2"
    shown = json.loads(_cli("central", "status", "--json", "--url", url).output)
    assert [(d["missing"], [h["number"] for h in d["quarantined"]]) for d in shown] == [([2], [3])]
    assert search_central(url, ["水管"]) == [], "nothing of a held pack is searchable"
    shutil.rmtree(tmp_path / "replicas", ignore_errors=True)
    outcomes = ingest_paths(url, [second], tmp_path / "replicas")  # replica rebuilt from the db
    assert [(o.status, o.number) for o in outcomes] == [("ingested", 2), ("released", 3)]
    (status,) = desk_status(url)
    assert (status.newest_number, status.missing, status.held) == (3, [], [])
    assert [hit.text for hit in search_central(url, ["水管"])][0].endswith("水管爆裂")


def test_one_and_two_character_chinese_terms_found_across_desks(url, desks, tmp_path):
    ingest_paths(url, [a for d in desks.values() for a in d["archives"]], tmp_path)
    summaries = {office: [s for archive_calls in ([("", "桥下积水"), ("", "路灯损坏")],
                                                  SEARCH_CALLS[profile]) for _, s in archive_calls]
                 for profile, office in PROFILES.items()}  # fmt: skip
    summaries[PROFILES["tianjin"]].append("桥下积水较深")  # the correction

    def expected(*terms: str) -> list[tuple[str, str]]:
        return sorted((office, s) for office, texts in summaries.items() for s in texts
                      if all(term in s for term in terms))  # fmt: skip

    def found(*terms: str) -> list[tuple[str, str]]:
        hits = search_central(url, list(terms))
        return sorted(
            (hit.office, hit.text.split()[-1]) for hit in hits if hit.kind == "call_record"
        )

    for terms in (("积",), ("水",), ("积水",), ("积雪",), ("积水", "桥"), ("积水已",), ("灯",)):
        assert found(*terms) == expected(*terms), terms
    assert len({office for office, _ in found("积")}) == 3, "across the three desks"
    assert len({office for office, _ in found("积水")}) == 3
    assert {office for office, _ in found("积雪")} == {PROFILES["district"]}


def test_search_shows_each_call_by_the_desks_register_number(url, desks, tmp_path):
    """As the desk shows a call (2026-000001), in the table and in JSON (the id kept too)."""
    ingest_paths(url, desks["tianjin"]["archives"], tmp_path)
    with closing(sqlite3.connect(desks["tianjin"]["register"])) as conn:
        numbers = dict(conn.execute("SELECT id, number FROM call_record"))
    shown = json.loads(_cli("central", "search", "积水", "--json", "--url", url).output)
    calls = [hit for hit in shown if hit["kind"] == "call_record"]
    assert len(calls) == 3  # 桥下积水, its correction 桥下积水较深, 积水已退
    assert all(hit["number"] == numbers[hit["id"]] for hit in calls)
    assert all(hit["number"].startswith("2026-0000") for hit in calls)
    table = _cli("central", "search", "积水", "--url", url).output
    for hit in calls:
        assert f"来电 {hit['number']}" in table and f"#{hit['id']} " not in table


def test_a_gap_of_one_archive_is_named_as_one():
    from dutydesk.i18n import language, set_language
    from dutydesk.services.central.placing import Reason

    was = language()
    try:
        for lang, one, several in (("zh", "缺少编号 2 的归档", "缺少编号 2 至 4 的归档"),
                                   ("en", "Archive number 2 is missing",
                                    "Archives number 2 to 4 are missing")):  # fmt: skip
            set_language(lang)
            assert Reason("q_gap", {"first": 2, "last": 2}).text() == one
            assert Reason("q_gap", {"first": 2, "last": 4}).text() == several
    finally:
        set_language(was)


def test_the_report_equals_the_figures_worked_out_by_hand(url, desks, tmp_path):
    ingest_paths(url, [a for d in desks.values() for a in d["archives"]], tmp_path)
    report = central_report(url, "2026-11-23", "2026-11-23")
    by_office = {d.office: d for d in report.desks}
    tianjin = by_office[PROFILES["tianjin"]]
    # calls: 桥下积水 (counted once, as corrected), 路灯损坏, 积水已退
    assert tianjin.calls == 3
    assert tianjin.incidents == {"accident/III": 1}
    # deadlines: phone due 10:10 done 10:10 (met); written due 10:40 done 10:47 (7 late)
    assert (tianjin.deadlines_met, tianjin.deadlines_late, tianjin.late_minutes) == (1, 1, 7)
    assert tianjin.deadlines_open == 0
    assert (tianjin.spotcheck_faults, tianjin.spotcheck_unanswered) == (2, 1)
    henan = by_office[PROFILES["henan"]]
    assert (henan.calls, henan.incidents, henan.spotcheck_faults) == (4, {}, 0)
    units = {u.unit: u for u in report.units}
    checked = desks["tianjin"]["checked"]
    # 城关镇: 桥下积水 + 积水已退 (Tianjin), 桥下积水 (Henan, district): 4 calls; reports at
    # 10:10 (phone, on time) and 10:41 (written, due 10:40: 1 minute late)
    assert (units["城关镇"].calls, units["城关镇"].reports, units["城关镇"].reports_late,
            units["城关镇"].late_minutes) == (4, 2, 1, 1)  # fmt: skip
    assert (units["新华街道"].calls, units["新华街道"].reports, units["新华街道"].reports_late) == (
        3,
        1,
        0,
    )
    assert units[checked["faults"]].spotcheck_faults == 2
    assert units[checked["unanswered"]].spotcheck_unanswered == 1
    later = central_report(url, "2026-11-24", "2026-12-31")
    assert all(d.calls == 0 and not d.incidents for d in later.desks)
    sheet = tmp_path / "季度.xlsx"  # the same figures through the command line, as XLSX
    done = _cli("central", "report", "--from", "2026-11-23", "--to", "2026-11-23", "--url", url,
                "--xlsx", str(sheet))  # fmt: skip
    assert done.exit_code == 0, done.output
    rows = list(load_workbook(sheet)["值班台"].iter_rows(values_only=True))
    assert rows[1][:2] == ("值班台", "来电")
    assert [row[:2] for row in rows[2:]] == sorted(
        (d.office, d.calls) for d in report.desks if d.office
    )


def _cli(*args: str):  # noqa: ANN202
    from typer.testing import CliRunner

    from dutydesk.cli.main import build_app

    return CliRunner().invoke(build_app(), list(args))


def test_bad_input_is_refused_with_a_message_in_the_users_language(monkeypatch, tmp_path):
    monkeypatch.delenv("DUTYDESK_CENTRAL_URL", raising=False)
    no_url = _cli("central", "status")
    assert no_url.exit_code == 1 and "DUTYDESK_CENTRAL_URL" in no_url.output
    wrong = _cli("central", "status", "--url", "mysql://x")
    assert wrong.exit_code == 1 and "postgresql://" in wrong.output
    date = _cli("central", "report", "--from", "2026-13-01", "--to", "2026-12-31",
                "--url", "postgresql://nobody@/none?host=/nonexistent")  # fmt: skip
    assert date.exit_code == 2 and "YYYY-MM-DD" in date.output  # a usage error
    missing = _cli("central", "ingest", str(tmp_path / "nothing"), "--url", "postgresql://x@/y")
    assert missing.exit_code == 1 and "找不到文件夹" in missing.output
    closed = _cli("central", "status", "--url", "postgresql://city:S3cretPass@127.0.0.1:1/city")
    assert closed.exit_code == 1 and "S3cretPass" not in closed.output  # QA: shown as ***
    assert "city:***@127.0.0.1" in closed.output and "\\n" not in closed.output
    monkeypatch.setenv("DUTYDESK_CENTRAL_URL", "mysql://from-the-settings")
    configured = _cli("central", "status")  # the variable, read by the settings object
    assert configured.exit_code == 1 and "from-the-settings" in configured.output


def test_verify_central_catches_a_register_rewritten_before_the_city_head(url, server, tmp_path):
    from dutydesk.cli.main import build_app
    from tests.test_anchors import edit_call_unnoticed

    desk, person = new_desk(tmp_path / "desk.sqlite3", "测试值班室", "tianjin")
    add_calls(desk, person, [("城关镇", "桥下积水")])
    (tmp_path / "sent").mkdir()
    archive = write_archive(desk, tmp_path / "sent")
    register = desk.path
    desk.close()
    ingest_paths(url, [archive], tmp_path / "work")
    shutil.rmtree(tmp_path / "sent")  # sent to the city; the desk keeps no copy
    runner = __import__("typer.testing").testing.CliRunner()
    clean = runner.invoke(build_app(), ["verify", "--db", str(register), "--central", url])
    assert clean.exit_code == 0, clean.output
    edit_call_unnoticed(register)
    alone = runner.invoke(build_app(), ["verify", "--db", str(register)])
    assert alone.exit_code == 0, "the rewrite verifies in itself"
    caught = runner.invoke(build_app(), ["verify", "--db", str(register), "--central", url])
    assert caught.exit_code == 1
    assert f"central #1 {archive.name}" in caught.output


def test_the_ingest_role_may_read_and_insert_but_never_change(url, server, desks, tmp_path):
    login = f"ingest_{uuid.uuid4().hex[:8]}"
    server.execute(f"CREATE ROLE {login} LOGIN IN ROLE dutydesk_ingest")
    database = url.split("@/")[1].split("?")[0]
    as_ingest = server.url(database, user=login)
    outcomes = ingest_paths(as_ingest, desks["district"]["archives"], tmp_path)
    assert [o.status for o in outcomes] == ["ingested"] * 3
    with psycopg.connect(as_ingest) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE record SET data = '{}'")
    with psycopg.connect(as_ingest) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM link")
    with psycopg.connect(url) as conn, pytest.raises(psycopg.errors.RaiseException) as owner:
        conn.execute("DELETE FROM archive")  # the owner too: the trigger refuses
    assert "insert-only" in str(owner.value)
    assert _counts(url)["archive"] == 3


def test_the_desk_starts_without_the_postgresql_driver():
    code = ("import sys; from dutydesk.cli.main import build_app; build_app(); "
            "import dutydesk.services.central; assert 'psycopg' not in sys.modules")  # fmt: skip
    subprocess.run([sys.executable, "-c", code], check=True)
