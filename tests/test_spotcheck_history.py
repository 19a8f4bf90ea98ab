"""A unit's spot-check history with the late reports (迟报) its incident reports earned, on the
Tianjin profile (a unit's phone report is due 30 min after the event, Tianjin art. 20)."""

from __future__ import annotations

import json

import pendulum
import pytest

from dutydesk.services.incidents.incident_reports import record_unit_report
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.spotcheck.spotcheck import HISTORY_DAYS, unit_history
from dutydesk.services.spotcheck.units import UnitDraft, add_unit

ZONE = "Asia/Shanghai"


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=ZONE)  # type: ignore[return-value]


@pytest.fixture
def units(desk):
    for index, name in enumerate(("城关镇", "新华街道", "柳林镇")):
        add_unit(desk, UnitDraft(name, "township", f"0371-6600{index:04d}"))
    return desk


def _incident(desk, officer, occurred: str):
    draft = IncidentDraft(type="accident", level="III", occurred_at=at(occurred),
                          place="人民路", summary="燃气泄漏")  # fmt: skip
    return record_incident(desk, draft, officer)


def test_a_late_report_shows_in_the_unit_history_and_an_on_time_one_does_not(units, officer, clock):
    row = _incident(units, officer, "2026-11-23T09:00")  # phone due 09:30, written 10:00
    late = record_unit_report(units, row.id, "城关镇", "phone", at("2026-11-23T09:45"), officer)
    record_unit_report(units, row.id, "城关镇", "written", at("2026-11-23T09:50"), officer)
    record_unit_report(units, row.id, "新华街道", "phone", at("2026-11-23T09:20"), officer)

    history = unit_history(units, "城关镇")
    assert len(history.late_reports) == 1
    mark = history.late_reports[0]
    assert (mark.incident_id, mark.channel, mark.late_minutes) == (row.id, "phone", 15)
    assert (mark.due_at, mark.reported_at) == (late.due_at, late.reported_at)
    assert f"事件#{row.id}" in mark.incident and mark.cite == late.cite
    assert unit_history(units, "新华街道").late_reports == ()  # reported on time
    assert unit_history(units, "柳林镇").late_reports == ()  # never reported

    clock.advance(days=HISTORY_DAYS + 1)  # out of the window
    assert unit_history(units, "城关镇").late_reports == ()


def test_only_the_exact_unit_name_matches(units, officer):
    row = _incident(units, officer, "2026-11-23T09:00")
    record_unit_report(units, row.id, "城关镇政府", "phone", at("2026-11-23T09:45"), officer)
    assert unit_history(units, "城关镇").late_reports == ()


@pytest.fixture
def history_cli(cli_desk):
    for name in ("城关镇", "新华街道"):
        result = cli_desk(
            "units", "add", "--name", name, "--kind", "乡镇", "--phone", "0371-66000000"
        )
        assert result.exit_code == 0, result.output
    added = cli_desk("incidents", "add", "--type", "accident", "--level", "III",
                     "--occurred-at", "2026-11-23T09:00+08:00", "--place", "人民路",
                     "--summary", "燃气泄漏", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    incident_id = json.loads(added.stdout)["id"]
    for unit, when in (
        ("城关镇", "2026-11-23T09:45+08:00"),
        ("新华街道", "2026-11-23T09:20+08:00"),
    ):
        done = cli_desk("incidents", "unit-report", str(incident_id), "--unit", unit,
                        "--channel", "phone", "--at", when)  # fmt: skip
        assert done.exit_code == 0, done.output
    return cli_desk, incident_id


def test_the_history_command_lists_late_reports_in_json_and_text(history_cli):
    cli, incident_id = history_cli
    data = json.loads(cli("spotcheck", "history", "城关镇", "--json").stdout)
    assert data["late_reports"] == [
        {
            "incident_id": incident_id,
            "incident": data["late_reports"][0]["incident"],
            "channel": "phone",
            "due_at": "2026-11-23T09:30:00+08:00",
            "reported_at": "2026-11-23T09:45:00+08:00",
            "late_minutes": 15,
            "rule": "Tianjin art. 20",
        }
    ]
    assert (
        json.loads(cli("spotcheck", "history", "新华街道", "--json").stdout)["late_reports"] == []
    )
    text = cli("spotcheck", "history", "城关镇").stdout
    assert "迟报 1 次" in text and "迟 15 分钟" in text and "09:30" in text
    english = cli("spotcheck", "history", "城关镇", lang="en").stdout
    assert "late reports: 1" in english and "15 min late" in english
