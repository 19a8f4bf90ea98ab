"""One result a unit (issue 15, item 4): a second outcome for an answered unit is refused; a wrong
result is corrected with a reason (a linked, chained, append-only record) and the 值班抽查表
shows the unit once with the original result and the reason; an answered check names who
answered or says the name was not asked. Domain and command line."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.i18n import t
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.roster.people import find_person
from dutydesk.services.spotcheck.spotcheck import (
    close_round,
    correct_outcome,
    record_outcome,
    start_round,
    unit_history,
)
from dutydesk.services.spotcheck.spotcheck_table import check_table, render_csv
from tests.spotcheck_support import district_desk, make_district_template, snapshot, table_rows
from tests.support_template import copy_register


@pytest.fixture(scope="module")
def district_template(tmp_path_factory):
    return make_district_template(tmp_path_factory.mktemp("district-corrections"))


@pytest.fixture
def ddesk(district_template, db_path, clock):
    yield from district_desk(district_template, db_path, clock)


@pytest.fixture
def zhang(ddesk):
    return find_person(ddesk, "张伟")


@pytest.fixture
def answered(ddesk, zhang):
    """A round whose first unit was answered by 王芳, all in order."""
    view = start_round(ddesk, zhang)
    unit = view.units[0].name
    view = record_outcome(ddesk, view.id, unit, zhang, method="phone", answered=True,
                          answered_by="王芳", on_roster=True)  # fmt: skip
    return view, unit


def _shift(desk):
    from dutydesk.services.roster.shifts import current_shift

    return current_shift(desk)


def _rows_of(desk, unit):
    return [row for row in check_table(desk, _shift(desk))[1] if row[1] == unit]


def test_a_second_outcome_for_an_answered_unit_is_refused(ddesk, zhang, answered, clock):
    view, unit = answered
    clock.advance(minutes=3)
    before = snapshot(ddesk.path)
    with pytest.raises(DutyError) as refused:
        record_outcome(ddesk, view.id, unit, zhang, method="phone", answered=True,
                       answered_by="李四", faults=["absent"])  # fmt: skip
    assert refused.value.key == "spotcheck.already_recorded"
    message = refused.value.message()
    assert unit in message and "在岗正常" in message and "更正" in message
    assert snapshot(ddesk.path) == before
    assert len(_rows_of(ddesk, unit)) == 1


def test_a_unit_not_answered_may_be_tried_again(ddesk, zhang):
    view = start_round(ddesk, zhang)
    unit = view.units[0].name
    record_outcome(ddesk, view.id, unit, zhang, method="phone", answered=False)
    view = record_outcome(ddesk, view.id, unit, zhang, method="video", answered=True,
                          name_not_asked=True)  # fmt: skip
    assert view.unit(view.units[0].unit_id).state == "answered"
    [row] = _rows_of(ddesk, unit)
    assert row[4:6] == ["（未问姓名）", "在岗正常"] and "未应答" in row[7]


def test_a_correction_with_a_reason_is_linked_chained_and_shown_once(ddesk, zhang, answered,
                                                                     clock):  # fmt: skip
    view, unit = answered
    clock.advance(minutes=20)
    view = correct_outcome(ddesk, view.id, unit, zhang, reason="接听人记错，应为李四",
                           method="phone", answered=True, answered_by="李四", on_roster=False,
                           faults=["stand_in"])  # fmt: skip
    drawn = next(u for u in view.units if u.name == unit)
    [latest] = drawn.outcomes  # the corrected outcome takes the place of the original
    assert (latest.answered_by, latest.faults) == ("李四", ("stand_in",))
    assert latest.corrects is not None and latest.corrects.answered_by == "王芳"
    assert latest.correction_reason == "接听人记错，应为李四"
    assert latest.checked_at == latest.corrects.checked_at  # the check keeps its time
    [link] = table_rows(ddesk.path, "spotcheck_correction")
    assert link[1:4] == (latest.id, latest.corrects.id, "接听人记错，应为李四")
    with sqlite3.connect(ddesk.path) as conn:
        kinds = [row[0] for row in conn.execute("SELECT kind FROM audit_link ORDER BY seq")]
        for statement in ("UPDATE spotcheck_correction SET reason = 'x'",
                          "DELETE FROM spotcheck_correction"):  # fmt: skip
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(statement)
    assert kinds[-2:] == ["spotcheck_outcome", "spotcheck_correction"]
    report = verify_register(ddesk.path)
    assert report.ok and "spotcheck_correction" in report.tables
    [row] = _rows_of(ddesk, unit)
    assert row[4:7] == ["李四（非排班人员）", "发现问题", "顶岗（非正式人员顶岗值班）"]
    assert row[7] == "已更正，原结果：在岗正常，接听人王芳；更正原因：接听人记错，应为李四"
    parsed = [r for r in csv.reader(io.StringIO(render_csv(ddesk))) if r[1] == unit]
    assert parsed == [row]
    assert unit_history(ddesk, unit).faults == {"stand_in": 1}
    assert unit_history(ddesk, unit).checks == 1


def test_a_correction_row_put_in_behind_the_desk_is_found_by_verify(ddesk, zhang, answered):
    view, unit = answered
    correct_outcome(ddesk, view.id, unit, zhang, reason="误录", method="video", answered=True,
                    answered_by="王芳", on_roster=True)  # fmt: skip
    with sqlite3.connect(ddesk.path) as conn:
        conn.execute("DROP TRIGGER spotcheck_correction_no_update")
        conn.execute("UPDATE spotcheck_correction SET reason = '改过的原因'")
    report = verify_register(ddesk.path)
    assert not report.ok
    assert [(f.problem, f.table) for f in report.findings] == [("changed", "spotcheck_correction")]


def test_a_correction_of_a_correction_shows_the_first_result(ddesk, zhang, answered):
    view, unit = answered
    correct_outcome(ddesk, view.id, unit, zhang, reason="方式记错", method="video",
                    answered=True, answered_by="王芳", on_roster=True)  # fmt: skip
    view = correct_outcome(ddesk, view.id, unit, zhang, reason="漏记问题", method="video",
                           answered=True, answered_by="王芳", on_roster=True,
                           faults=["late_report"])  # fmt: skip
    [latest] = next(u for u in view.units if u.name == unit).outcomes
    assert latest.original is not None and latest.original.method == "phone"
    [row] = _rows_of(ddesk, unit)
    assert row[3] == "视频点名" and "漏记问题" in row[7]
    assert verify_register(ddesk.path).ok


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"reason": "  "}, "spotcheck_correction_reason"),
        ({"reason": "x" * 501}, "spotcheck_correction_reason"),
        ({"answered_by": ""}, "spotcheck_answered_by"),
        ({"answered_by": "王芳", "on_roster": True}, "spotcheck.correction_same"),
        ({"unit": 1}, "spotcheck.nothing_to_correct"),
    ],
)
def test_bad_corrections_are_refused_and_change_nothing(ddesk, zhang, answered, fields, key):
    view, unit = answered
    args = {"reason": "误录", "method": "phone", "answered": True, "answered_by": "李四", **fields}
    target = view.units[args.pop("unit")].name if "unit" in args else unit
    before = snapshot(ddesk.path)
    with pytest.raises(DutyError) as refused:
        correct_outcome(ddesk, view.id, target, zhang, **args)
    if isinstance(refused.value, ValidationFailed):
        assert key in refused.value.fields
    else:
        assert refused.value.key == key
    assert snapshot(ddesk.path) == before


def test_a_correction_in_a_closed_round_is_allowed_before_the_handover(ddesk, zhang, answered):
    view, unit = answered
    reasons = {u.name: "线路故障" for u in view.units if u.name != unit}
    close_round(ddesk, view.id, zhang, reasons)
    closed = correct_outcome(ddesk, view.id, unit, zhang, reason="误录", method="phone",
                             answered=False)  # fmt: skip
    assert closed.closed and closed.covered == 1
    [row] = _rows_of(ddesk, unit)
    assert row[5] == "未应答" and "原结果：在岗正常" in row[7]


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({}, "spotcheck.answerer_required"),
        ({"answered_by": "  "}, "spotcheck.answerer_required"),
        ({"answered_by": "王芳", "name_not_asked": True}, "spotcheck.name_and_not_asked"),
        ({"answered": False, "name_not_asked": True}, "spotcheck.by_without_answer"),
    ],
)
def test_an_answered_check_names_who_answered_or_says_it_was_not_asked(ddesk, zhang, fields, key):
    view = start_round(ddesk, zhang)
    before = snapshot(ddesk.path)
    args = {"method": "phone", "answered": True, **fields}
    with pytest.raises(ValidationFailed) as refused:
        record_outcome(ddesk, view.id, view.units[0].name, zhang, **args)
    [problem] = refused.value.problems
    assert (problem.field, problem.key) == ("spotcheck_answered_by", key)
    assert snapshot(ddesk.path) == before


# ---------------------------------------------------------------- the command line


@pytest.fixture
def dcli(cli, district_template):
    copy_register(district_template, cli.db_path)
    return cli


def _line(result) -> str:
    assert result.exit_code != 0 and result.stdout == "", result.output
    return result.stderr.strip()


def test_the_command_line_refuses_a_second_outcome_and_corrects_with_a_reason(dcli):
    data = json.loads(dcli("spotcheck", "sample", "--json").stdout)
    rid, unit = str(data["round_id"]), data["drawn"][0]
    assert "接听人须填写" in _line(dcli("spotcheck", "record", rid, unit, "--method", "phone",
                                        "--answered"))  # fmt: skip
    ok = dcli("spotcheck", "record", rid, unit, "--method", "phone", "--answered", "--no-name")
    assert ok.exit_code == 0, ok.output
    before = snapshot(dcli.db_path)
    again = _line(dcli("spotcheck", "record", rid, unit, "--method", "phone", "--answered",
                       "--by", "李四", "--fault", "absent"))  # fmt: skip
    assert again == t("spotcheck.already_recorded", name=unit, result="在岗正常", at="10:00")
    assert "--reason" in _line(dcli("spotcheck", "correct", rid, unit, "--method", "phone",
                                    "--answered", "--by", "李四"))  # fmt: skip
    assert snapshot(dcli.db_path) == before
    done = dcli("spotcheck", "correct", rid, unit, "--method", "phone", "--answered",
                "--by", "李四", "--fault", "absent", "--reason", "漏记脱岗")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "在岗正常 → 发现问题" in done.stdout and "漏记脱岗" in done.stdout
    table = list(csv.reader(io.StringIO(dcli("spotcheck", "table", "--csv").stdout)))
    [row] = [r for r in table if r[1] == unit]
    assert row[4:6] == ["李四", "发现问题"] and "原结果：在岗正常，接听人（未问姓名）" in row[7]
    assert dcli("verify").exit_code == 0


def test_the_correct_command_in_english(dcli):
    data = json.loads(dcli("spotcheck", "sample", "--json").stdout)
    rid, unit = str(data["round_id"]), data["drawn"][0]
    dcli("spotcheck", "record", rid, unit, "--method", "phone", "--answered", "--by", "王芳")
    again = _line(dcli("spotcheck", "record", rid, unit, "--method", "video", "--not-answered",
                       lang="en"))  # fmt: skip
    assert "cannot be recorded twice" in again
    assert "Reason for the correction" in _line(
        dcli("spotcheck", "correct", rid, unit, "--method", "video", "--not-answered", lang="en")
    )
