"""Spot-check rounds on the district profile (2 rounds a shift, each >= 60 % of the units,
District 工作制度 5): drawing, recording, retrying, closing, the quota, the 值班抽查表, a unit's
history, and that a refused action changes nothing."""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3

import pytest

from dutydesk.clock import FrozenClock
from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.roster.people import find_person
from dutydesk.services.spotcheck.spotcheck import (
    close_round,
    current_round,
    handover_quota,
    quota_status,
    record_outcome,
    round_view,
    start_round,
    unit_history,
    verify_round,
)
from dutydesk.services.spotcheck.spotcheck_table import check_table, render_csv, render_markdown
from dutydesk.services.spotcheck.units import UnitDraft, add_unit, set_active
from tests.conftest import T0
from tests.spotcheck_support import (
    UNITS,
    district_desk,
    make_district_template,
    snapshot,
    table_rows,
)
from tests.support_template import copy_register

REQUIRED = math.ceil(0.6 * len(UNITS))  # 6 of 10


@pytest.fixture(scope="module")
def district_template(tmp_path_factory):
    return make_district_template(tmp_path_factory.mktemp("district"))


@pytest.fixture
def ddesk(district_template, db_path, clock):
    yield from district_desk(district_template, db_path, clock)


@pytest.fixture
def zhang(ddesk):
    return find_person(ddesk, "张伟")


def _check_all(desk, view, who, **fields):
    for unit in view.units:
        if view.unit(unit.unit_id).state == "answered":
            continue  # recorded already: a second outcome would be refused
        view = record_outcome(desk, view.id, unit.name, who, method="phone", answered=True,
                              answered_by="李红", **fields)  # fmt: skip
    return view


def _full_round(desk, who):
    view = start_round(desk, who)
    _check_all(desk, view, who)
    return close_round(desk, view.id, who)


# ---------------------------------------------------------------- drawing


def test_a_round_draws_the_quota_and_stores_seed_and_inputs(ddesk, zhang):
    view = start_round(ddesk, zhang, seed=7)
    assert len(view.units) == REQUIRED == view.required
    assert len({u.unit_id for u in view.units}) == REQUIRED
    assert (view.number, view.seed, view.rate, view.active_units) == (1, 7, 0.6, len(UNITS))
    assert all(u.duty_phone.startswith("0371-") for u in view.units)
    [row] = table_rows(ddesk.path, "spotcheck_round")
    inputs = json.loads(row[8])
    assert len(inputs["candidates"]) == len(UNITS)
    assert inputs["size"] == REQUIRED and inputs["algorithm"] == "weighted-tiers-v1"
    assert verify_round(ddesk, view.id)
    assert current_round(ddesk) == view


def test_the_same_seed_on_the_same_register_draws_the_same_units(
    district_template, tmp_path, clock
):
    drawn = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.sqlite3"
        copy_register(district_template, path)
        for desk in district_desk(district_template, path, clock):
            view = start_round(desk, find_person(desk, "张伟"), seed=123456789)
            drawn.append([u.name for u in view.units])
    assert drawn[0] == drawn[1]


def test_a_larger_round_may_be_asked_for_but_not_a_smaller_one(ddesk, zhang):
    before = snapshot(ddesk.path)
    for count in (REQUIRED - 1, len(UNITS) + 1):
        with pytest.raises(DutyError) as refused:
            start_round(ddesk, zhang, count=count)
        assert refused.value.key == "spotcheck.bad_count"
        assert "区值班工作制度第五条" in refused.value.message()
    assert snapshot(ddesk.path) == before
    assert len(start_round(ddesk, zhang, count=8).units) == 8


def test_the_two_rounds_of_a_shift_differ_and_cover_every_unit(ddesk, zhang, clock):
    first = _full_round(ddesk, zhang)
    clock.advance(hours=4)
    second = start_round(ddesk, zhang)
    assert second.number == 2
    names = {u.name for u in first.units} | {u.name for u in second.units}
    assert names == {name for name, _kind in UNITS}
    assert {u.name for u in first.units} != {u.name for u in second.units}


def test_inactive_units_are_never_drawn(ddesk, zhang, clock):
    out = {"城关镇", "区公安分局", "北苑街道"}
    for name in out:
        set_active(ddesk, name, False, "机构调整")
    for _ in range(6):
        view = _full_round(ddesk, zhang)
        assert not out & {u.name for u in view.units}
        assert view.active_units == len(UNITS) - len(out)
        clock.advance(hours=5)


def test_a_new_round_waits_until_the_open_one_is_closed(ddesk, zhang):
    view = start_round(ddesk, zhang)
    before = snapshot(ddesk.path)
    with pytest.raises(DutyError) as refused:
        start_round(ddesk, zhang)
    assert refused.value.key == "spotcheck.round_open"
    assert f"spotcheck close {view.id}" in refused.value.message()
    assert snapshot(ddesk.path) == before


def test_no_round_without_an_open_shift_or_without_units(ddesk, zhang, clock, tmp_path):
    from datetime import date

    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster.people import add_person
    from tests.support_people import authority_for

    clock.advance(days=8)  # past the weekly shift's due handover: still on duty (issue 14 #5)
    assert start_round(ddesk, zhang).shift_id == 1
    bare = init_database(tmp_path / "bare.sqlite3", "测试", "district", FrozenClock(T0))
    add_person(bare, "李娜", "officer", in_post_since=date(2024, 1, 1),
               authority=authority_for(bare))  # fmt: skip
    with pytest.raises(DutyError) as refused:  # a register where no shift was ever opened
        start_round(bare, find_person(bare, "李娜"))
    assert refused.value.key == "shift.none_open"
    bare.close()
    empty = make_district_template(tmp_path, with_units=False)
    for desk in district_desk(empty, tmp_path / "empty-copy.sqlite3", FrozenClock(T0)):
        with pytest.raises(DutyError) as refused:
            start_round(desk, find_person(desk, "张伟"))
        assert refused.value.key == "spotcheck.no_units"


def test_a_bad_seed_is_refused(ddesk, zhang):
    with pytest.raises(ValidationFailed) as refused:
        start_round(ddesk, zhang, seed=-1)
    assert refused.value.fields == ["spotcheck_seed"]


# ---------------------------------------------------------------- recording


def test_record_retry_and_close(ddesk, zhang, clock):
    view = start_round(ddesk, zhang)
    first, *others = view.units
    clock.advance(minutes=2)
    view = record_outcome(ddesk, view.id, first.name, zhang, method="video", answered=False)
    assert view.unit(first.unit_id).state == "not_answered"
    clock.advance(minutes=10)
    view = record_outcome(
        ddesk, view.id, first.name, zhang, method="phone", answered=True, answered_by="王五",
        on_roster=False, faults=["absent", "信息迟报"], note="值班员外出",
    )  # fmt: skip
    unit = view.unit(first.unit_id)
    assert unit.state == "answered" and len(unit.outcomes) == 2
    assert unit.latest.faults == ("absent", "late_report")
    assert view.covered == 1 and len(view.missing) == len(others)
    _check_all(ddesk, view, zhang)
    closed = close_round(ddesk, view.id, zhang)
    assert closed.closed and closed.meets_quota


def test_recording_on_a_closed_round_is_refused(ddesk, zhang):
    view = _full_round(ddesk, zhang)
    before = snapshot(ddesk.path)
    with pytest.raises(DutyError) as refused:
        record_outcome(
            ddesk,
            view.id,
            view.units[0].name,
            zhang,
            method="phone",
            answered=True,
            answered_by="李红",
        )
    assert refused.value.key == "spotcheck.round_closed"
    with pytest.raises(DutyError) as refused:
        close_round(ddesk, view.id, zhang)
    assert refused.value.key == "spotcheck.round_closed"
    assert snapshot(ddesk.path) == before


@pytest.mark.parametrize(
    ("unit", "fields", "error"),
    [
        ("不存在的单位", {}, "spotcheck_units.unknown"),
        ("not drawn", {}, "spotcheck.not_drawn"),
        (None, {"method": "fax"}, "spotcheck_method"),
        (None, {"faults": ["迟到"]}, "spotcheck_fault"),
        (None, {"answered": False, "answered_by": "李红"}, "spotcheck_answered_by"),
        (None, {"note": "x" * 1001}, "note"),
        (None, {"future": True}, "spotcheck_checked_at"),
        (None, {"before": True}, "spotcheck_checked_at"),
    ],
)
def test_bad_outcomes_are_refused_and_nothing_changes(ddesk, zhang, clock, unit, fields, error):
    view = start_round(ddesk, zhang)
    drawn = {u.name for u in view.units}
    if unit == "not drawn":
        unit = next(name for name, _ in UNITS if name not in drawn)
    unit = unit or view.units[0].name
    args = {"method": "phone", "answered": True, "answered_by": "李红", **fields}
    if args.pop("future", False):
        args["checked_at"] = clock.now().add(minutes=5)
    if args.pop("before", False):
        args["checked_at"] = clock.now().subtract(minutes=5)
    before = snapshot(ddesk.path)
    with pytest.raises(DutyError) as refused:
        record_outcome(ddesk, view.id, unit, zhang, **args)
    if isinstance(refused.value, ValidationFailed):
        assert error in refused.value.fields
    else:
        assert refused.value.key == error
    assert snapshot(ddesk.path) == before


def test_an_unknown_round(ddesk, zhang):
    with pytest.raises(DutyError) as refused:
        record_outcome(
            ddesk, 99, "城关镇", zhang, method="phone", answered=True, answered_by="李红"
        )
    assert refused.value.key == "spotcheck.unknown_round"
    with pytest.raises(DutyError):
        round_view(ddesk, 99)


# ---------------------------------------------------------------- closing


def test_close_is_refused_while_a_drawn_unit_has_no_outcome(ddesk, zhang):
    view = start_round(ddesk, zhang)
    *done, last = view.units
    for unit in done:
        record_outcome(
            ddesk, view.id, unit.name, zhang, method="phone", answered=True, name_not_asked=True
        )
    before = snapshot(ddesk.path)
    with pytest.raises(DutyError) as refused:
        close_round(ddesk, view.id, zhang)
    assert refused.value.key == "spotcheck.close_missing"
    assert last.name in refused.value.message()
    assert snapshot(ddesk.path) == before
    closed = close_round(ddesk, view.id, zhang, {last.name: "电话无人接听，视频、电台均不通"})
    assert closed.closed and closed.unit(last.unit_id).state == "unreached"
    assert closed.covered == len(view.units) - 1
    assert not closed.meets_quota  # a unit not reached does not count as checked


def test_reasons_only_for_drawn_units_without_outcome(ddesk, zhang):
    view = start_round(ddesk, zhang)
    checked = view.units[0].name
    record_outcome(ddesk, view.id, checked, zhang, method="phone", answered=False)
    not_drawn = next(name for name, _ in UNITS if name not in {u.name for u in view.units})
    for reasons, key in (
        ({checked: "线路故障"}, "spotcheck.reason_not_needed"),
        ({not_drawn: "线路故障"}, "spotcheck.not_drawn"),
    ):
        with pytest.raises(DutyError) as refused:
            close_round(ddesk, view.id, zhang, reasons)
        assert refused.value.key == key
    with pytest.raises(ValidationFailed):
        close_round(ddesk, view.id, zhang, {view.units[1].name: "  "})


# ---------------------------------------------------------------- quota


def test_quota_status_through_a_shift(ddesk, zhang, clock):
    status = quota_status(ddesk)
    assert (status.rounds_done, status.rounds_required, status.short) == (0, 2, True)
    assert status.cite == "District Duty Work Rules 5"
    _full_round(ddesk, zhang)
    clock.advance(hours=3)
    view = start_round(ddesk, zhang)
    status = quota_status(ddesk)
    assert (status.rounds_done, status.short) == (1, True)  # the open round does not count
    assert [r.covered for r in status.rounds] == [REQUIRED, 0]
    _check_all(ddesk, view, zhang)
    close_round(ddesk, view.id, zhang)
    status = quota_status(ddesk)
    assert (status.rounds_done, status.short) == (2, False)
    assert (
        status.detail
        == f"第1轮 已查{REQUIRED}/{REQUIRED}（要求不少于{REQUIRED}）；第2轮 已查{REQUIRED}/{REQUIRED}（要求不少于{REQUIRED}）"
    )


def test_the_handover_reads_the_quota_and_the_table(ddesk, zhang):
    from dutydesk.services.handover import handover_sources
    from dutydesk.services.roster.shifts import current_shift

    _full_round(ddesk, zhang)
    shift = current_shift(ddesk)
    state = handover_quota(ddesk, shift)
    assert (state.rounds_done, state.rounds_required) == (1, 2)
    quota = handover_sources.spotcheck_quota(ddesk, shift)
    assert quota is not None and (quota.rounds_done, quota.rounds_required) == (1, 2)
    table = handover_sources.spotcheck_table(ddesk, shift)
    assert table is not None and len(table.rows) == REQUIRED


def test_no_quota_in_the_tianjin_profile(desk, officer):
    for index, (name, kind) in enumerate(UNITS[:4]):
        add_unit(desk, UnitDraft(name, kind, f"022-2300{index:04d}"))
    view = start_round(desk, officer)
    assert len(view.units) == 4 and view.rate is None  # no quota: every unit by default
    status = quota_status(desk)
    assert (status.rounds_required, status.short, status.cite) == (None, False, "Tianjin art. 19")
    _check_all(desk, view, officer)
    close_round(desk, view.id, officer)
    assert quota_status(desk).rounds_done == 1
    assert "无次数要求" in render_markdown(desk)


# ---------------------------------------------------------------- table and history


def test_the_spotcheck_table(ddesk, zhang, clock):
    view = start_round(ddesk, zhang)
    first, *rest, last = view.units
    record_outcome(ddesk, view.id, first.name, zhang, method="video", answered=False)
    clock.advance(minutes=5)
    record_outcome(ddesk, view.id, first.name, zhang, method="phone", answered=True,
                   answered_by="王五", on_roster=False, faults=["comms_down"], note="视频不通")  # fmt: skip
    for unit in rest:
        record_outcome(ddesk, view.id, unit.name, zhang, method="radio", answered=True,
                       answered_by="李红", on_roster=True)  # fmt: skip
    close_round(ddesk, view.id, zhang, {last.name: "停电，各渠道均无法联系"})
    header, rows = check_table(ddesk, _shift(ddesk))
    assert header == [
        "轮次",
        "被抽查单位",
        "抽查时间",
        "抽查方式",
        "接听人",
        "抽查结果",
        "存在问题",
        "备注",
    ]
    assert len(rows) == len(view.units)  # one line a unit: the retry is noted on its line
    assert rows[0] == ["1", first.name, "11-23 10:05", "电话抽查", "王五（非排班人员）",
                       "发现问题", "通讯联络不畅",
                       "视频不通；此前 11-23 10:00 视频点名：未应答"]  # fmt: skip
    assert rows[-1] == ["1", last.name, "", "", "", "未能联系", "", "停电，各渠道均无法联系"]
    parsed = list(csv.reader(io.StringIO(render_csv(ddesk))))
    assert parsed == [header, *rows]
    markdown = render_markdown(ddesk)
    assert markdown.startswith("# 值班抽查表\n")
    assert "| 轮次 | 被抽查单位 |" in markdown and "——未达标" in markdown
    assert f"| 1 | {last.name} |" in markdown


def _shift(desk):
    from dutydesk.services.roster.shifts import current_shift

    return current_shift(desk)


def test_the_table_of_a_shift_without_checks(ddesk):
    assert check_table(ddesk, _shift(ddesk))[1] == []
    assert "（本班尚未抽查）" in render_markdown(ddesk)


def test_unit_history_counts_the_last_30_days(ddesk, zhang, clock):
    view = start_round(ddesk, zhang, count=len(UNITS))
    target = view.units[0].name
    _check_all(ddesk, view, zhang, faults=["late_report"])
    close_round(ddesk, view.id, zhang)
    history = unit_history(ddesk, target)
    assert history.last_checked == clock.now()
    assert (history.checks, history.faults) == (1, {"late_report": 1})
    clock.advance(days=31)
    history = unit_history(ddesk, target)
    assert history.last_checked is not None
    assert (history.checks, history.faults, history.recent) == (0, {}, ())
    assert unit_history(ddesk, "区水利局" if target != "区水利局" else "城关镇").checks == 0


def test_the_round_tables_are_append_only_and_audited(ddesk, zhang):
    _full_round(ddesk, zhang)
    with sqlite3.connect(ddesk.path) as conn:
        for table in ("spotcheck_round", "spotcheck_outcome", "spotcheck_closure"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(f"UPDATE {table} SET id = id")
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(f"DELETE FROM {table}")
        kinds = [row[0] for row in conn.execute("SELECT kind FROM audit_link ORDER BY seq")]
    assert kinds[-(REQUIRED + 2) :] == [
        "spotcheck_round", *["spotcheck_outcome"] * REQUIRED, "spotcheck_closure",
    ]  # fmt: skip
