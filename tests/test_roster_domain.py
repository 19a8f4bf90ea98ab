"""Rosters as records (issue 17 item 1): each check on an assignment refused with its article
and nothing written; the conflicts of a roster shown in place (leader coverage, minimum
officers, standby, rest) and refusing its filing; holiday rosters replacing the regular
arrangement; the tables append-only and chained."""

from __future__ import annotations

import sqlite3
from datetime import date

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.archive import verify_register
from dutydesk.services.core.desk import init_database
from dutydesk.services.roster import (
    ShiftWindow,
    add_person,
    assign,
    create_roster,
    generate_month,
    month_roster,
    month_roster_id,
    rostered_for,
)
from dutydesk.services.roster.rosters import cells_of
from tests.roster_support import PLANNER, SINCE, fill, rows, staff
from tests.support_people import authority_for

T0 = "2026-11-23T10:00:00+08:00"


def _desk(tmp_path, profile: str):
    clock = FrozenClock(pendulum.parse(T0))  # type: ignore[arg-type]
    return init_database(tmp_path / f"{profile}.sqlite3", "测试值班室", profile, clock)


@pytest.fixture
def tianjin(tmp_path):
    desk = _desk(tmp_path, "tianjin")
    names = staff(desk, leaders=3, officers=6)
    yield desk, names
    desk.close()


def _refusal(desk, roster_id, name, role="officer", day=date(2026, 12, 1), slot="day"):
    before = rows(desk, "roster_assignment")
    with pytest.raises(DutyError) as refused:
        assign(desk, roster_id, day, slot, role, name, by=PLANNER)
    assert rows(desk, "roster_assignment") == before  # nothing written
    return refused.value


def test_each_eligibility_check_is_refused_with_tianjin_art_6(tianjin):
    desk, _names = tianjin
    grant = authority_for(desk)
    add_person(desk, "钱临聘", "officer", staff=False, in_post_since=SINCE, authority=grant)
    add_person(desk, "孙新调", "officer", in_post_since=date(2026, 10, 1), authority=grant)
    add_person(desk, "李未训", "officer", in_post_since=SINCE, trained=False, authority=grant)
    roster = month_roster_id(desk, 2026, 12, PLANNER)
    for name, key in (("钱临聘", "eligibility.non_staff"), ("孙新调", "eligibility.new_in_post"),
                      ("李未训", "eligibility.untrained")):  # fmt: skip
        refusal = _refusal(desk, roster, name)
        assert refusal.key == key
        assert refusal.message() == t(key, name=name, cite="Tianjin art. 6")
    # three months in post by the shift's date, not today's: 2027-01-01 is allowed
    january = month_roster_id(desk, 2027, 1, PLANNER)
    assign(desk, january, date(2027, 1, 2), "day", "officer", "孙新调", by=PLANNER)


def test_an_administrator_another_level_or_a_second_role_is_refused(tianjin):
    desk, names = tianjin
    roster = month_roster_id(desk, 2026, 12, PLANNER)
    assert _refusal(desk, roster, PLANNER).key == "shift.admin_no_shift"
    wrong = _refusal(desk, roster, names["officer"][0], role="leader")
    assert wrong.key == "roster.wrong_level"
    assert "Tianjin" in wrong.params["cite"] and "12(5)" in wrong.params["cite"]
    with pytest.raises(DutyError) as seat:
        assign(desk, roster, date(2026, 12, 1), "day", "officer", names["officer"][1],
               by=PLANNER, seat=1)  # fmt: skip
    assert seat.value.key == "roster.no_seat"
    with pytest.raises(DutyError) as nowhere:
        assign(desk, roster, date(2027, 1, 1), "day", "officer", names["officer"][1], by=PLANNER)
    assert nowhere.value.key == "roster.no_cell"


def test_one_role_per_person_per_shift(tmp_path):
    desk = _desk(tmp_path, "henan")  # two officer seats per shift (Henan 三(一))
    names = staff(desk, leaders=2, officers=3)
    roster = month_roster_id(desk, 2026, 12, PLANNER)
    day = date(2026, 12, 1)
    assign(desk, roster, day, "day", "officer", names["officer"][0], by=PLANNER)
    before = rows(desk, "roster_assignment")
    with pytest.raises(DutyError) as twice:
        assign(desk, roster, day, "day", "officer", names["officer"][0], by=PLANNER, seat=1)
    assert twice.value.key == "roster.two_roles"
    assert twice.value.message() == t("roster.two_roles", name=names["officer"][0],
                                      role=t("role.officer"),
                                      cite=desk.profile.roster.roles_cite)  # fmt: skip
    assert rows(desk, "roster_assignment") == before
    assign(desk, roster, day, "day", "officer", names["officer"][1], by=PLANNER, seat=1)
    assign(desk, roster, day, "night", "officer", names["officer"][0], by=PLANNER, seat=1)
    assert rows(desk, "roster_assignment") == before + 2


def test_tianjin_needs_a_leader_each_day_and_an_officer_each_shift(tianjin):
    desk, names = tianjin
    roster = month_roster_id(desk, 2026, 12, PLANNER)
    assign(desk, roster, date(2026, 12, 1), "night", "leader", names["leader"][0], by=PLANNER)
    grid = month_roster(desk, 2026, 12)
    first, second = grid.days[0], grid.days[1]
    day_cell = first.cells[0]
    keys = [c.key for c in day_cell.conflicts]
    assert "roster.no_leader_day" not in keys  # the night's leader leads the whole day
    assert "roster.officers_short" in keys
    short = next(c for c in day_cell.conflicts if c.key == "roster.officers_short")
    assert short.message() == t("roster.officers_short", have=0, need=1, cite="Tianjin art. 11")
    assert "roster.no_leader_day" in [c.key for c in second.cells[0].conflicts]
    assert all(c.blocks for c in second.cells[0].conflicts)


def test_henan_needs_two_officers_per_shift(tmp_path):
    desk = _desk(tmp_path, "henan")
    names = staff(desk, leaders=2, officers=4)
    roster = month_roster_id(desk, 2026, 12, PLANNER)
    day = date(2026, 12, 1)
    assign(desk, roster, day, "day", "leader", names["leader"][0], by=PLANNER)
    assign(desk, roster, day, "day", "officer", names["officer"][0], by=PLANNER)
    cell = month_roster(desk, 2026, 12).days[0].cells[0]
    assert [c.message() for c in cell.conflicts] == [
        t("roster.officers_short", have=1, need=2, cite="Henan 三(一)")
    ]
    assign(desk, roster, day, "day", "officer", names["officer"][1], by=PLANNER, seat=1)
    assert month_roster(desk, 2026, 12).days[0].cells[0].conflicts == ()


def test_rest_conflicts_are_shown_but_do_not_block(tianjin):
    desk, names = tianjin
    roster = month_roster_id(desk, 2026, 12, PLANNER)
    officer = names["officer"][0]
    for day in (date(2026, 12, 1), date(2026, 12, 2)):
        assign(desk, roster, day, "night", "officer", officer, by=PLANNER)
    assign(desk, roster, date(2026, 12, 3), "day", "officer", officer, by=PLANNER)
    grid = month_roster(desk, 2026, 12)
    second_night = grid.days[1].cells[1].conflicts
    after_night = grid.days[2].cells[0].conflicts
    assert [c.key for c in second_night if not c.blocks] == ["roster.consecutive_nights"]
    assert [c.key for c in after_night if not c.blocks] == ["roster.short_rest"]
    assert next(c for c in after_night if not c.blocks).message() == t(
        "roster.short_rest",
        name=officer,
        hours=8,
        cite="office setting (the rules set no rest rule)",
    )


def test_a_holiday_roster_replaces_the_week_shift_through_spring_festival(tmp_path):
    desk = _desk(tmp_path, "district")
    names = staff(desk, leaders=4, officers=6, standbys=6)
    generate_month(desk, 2026, 2, seed=3, by=PLANNER)
    with pytest.raises(DutyError) as refused:
        create_roster(desk, "holiday", date(2026, 3, 2), date(2026, 3, 6), "三月", PLANNER)
    assert refused.value.key == "roster.not_a_holiday"
    holiday = create_roster(desk, "holiday", date(2026, 2, 15), date(2026, 2, 23), "春节",
                            PLANNER)  # fmt: skip
    cells = cells_of(desk.profile, "holiday", holiday.starts_on, holiday.ends_on)
    assert [c.slot_code for c in cells] == ["holiday"] * 9 and cells[0].hours == 24
    fill(desk, holiday.id, cells, names)
    grid = month_roster(desk, 2026, 2)
    by_day = {d.day: d for d in grid.days}
    assert [c.slot_code for c in by_day[date(2026, 2, 16)].cells] == ["holiday"]
    assert by_day[date(2026, 2, 16)].cells[0].roster_kind == "holiday"
    assert [c.slot_code for c in by_day[date(2026, 2, 9)].cells] == ["week"]  # the routine
    assert by_day[date(2026, 2, 17)].holiday == "spring_festival"
    window = ShiftWindow("week", pendulum.datetime(2026, 2, 18, 8, 30, tz="Asia/Shanghai"),
                         pendulum.datetime(2026, 2, 19, 8, 30, tz="Asia/Shanghai"), "x")  # fmt: skip
    rostered = rostered_for(desk, window)
    assert rostered is not None and rostered.cell.slot_code == "holiday"
    assert rostered.cell.day == date(2026, 2, 18)
    assert rostered.leader == names["leader"][3 % 4] and rostered.officers == (names["officer"][3],)
    with pytest.raises(DutyError) as overlap:
        create_roster(desk, "holiday", date(2026, 2, 20), date(2026, 2, 24), "又一个", PLANNER)
    assert overlap.value.key == "roster.overlaps"


def test_the_roster_tables_are_append_only_and_chained(tianjin):
    desk, names = tianjin
    generate_month(desk, 2026, 12, seed=5, by=PLANNER)
    report = verify_register(desk.path)
    assert report.ok
    assert {"roster", "roster_assignment"} <= set(report.tables)
    with sqlite3.connect(desk.path) as conn:
        for statement in ("UPDATE roster_assignment SET person_id = NULL",
                          "DELETE FROM roster", "UPDATE roster SET label = 'x'"):  # fmt: skip
            with pytest.raises(sqlite3.DatabaseError):
                conn.execute(statement)


def test_a_changed_assignment_row_is_found_by_verify(tianjin):
    desk, names = tianjin
    generate_month(desk, 2026, 12, seed=5, by=PLANNER)
    with sqlite3.connect(desk.path) as conn:
        conn.execute("DROP TRIGGER roster_assignment_no_update")
        conn.execute("UPDATE roster_assignment SET seed = 99 WHERE id = 3")
    report = verify_register(desk.path)
    assert not report.ok
    assert [f.table for f in report.findings] == ["roster_assignment"]


def test_generation_is_reproducible_through_the_store(tmp_path):
    plans = []
    for run in range(2):
        (tmp_path / str(run)).mkdir()
        desk = _desk(tmp_path / str(run), "tianjin")
        staff(desk, leaders=3, officers=8)
        generated = generate_month(desk, 2026, 12, seed=42, by=PLANNER)
        grid = month_roster(desk, 2026, 12)
        plans.append([(c.day, c.slot_code, c.leader, c.officers) for d in grid.days
                      for c in d.cells])  # fmt: skip
        assert generated.empty == [] and all(not c.conflicts for d in grid.days for c in d.cells)
        desk.close()
    assert plans[0] == plans[1] and len(plans[0]) == 62


def test_a_sensitive_period_has_its_own_arrangement_for_its_days(tianjin):
    desk, names = tianjin
    generate_month(desk, 2026, 12, seed=2, by=PLANNER)
    period = create_roster(desk, "sensitive", date(2026, 12, 10), date(2026, 12, 12), "重要会议",
                           PLANNER)  # fmt: skip
    grid = month_roster(desk, 2026, 12)
    by_day = {d.day: d for d in grid.days}
    inside = by_day[date(2026, 12, 11)].cells
    assert [c.roster_kind for c in inside] == ["sensitive", "sensitive"]
    assert inside[0].leader is None and "roster.no_leader_day" in [
        c.key for c in inside[0].conflicts
    ]
    assert by_day[date(2026, 12, 9)].cells[0].roster_kind == "month"
    assert {r.kind for r in grid.rosters} == {"month", "sensitive"}
    assign(desk, period.id, date(2026, 12, 11), "day", "leader", names["leader"][0], by=PLANNER)
    assert month_roster(desk, 2026, 12).days[10].cells[0].leader == names["leader"][0]
