"""Changes after filing (issue 17 item 4): a substitution or swap is a record naming the
original, the reason and the approver (PIN); the upper office is to be told before the shift
(a due on the board until it is); the roster shows the change and the original; and the duty
hours (item 6) follow the change."""

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
    Spot,
    file_roster,
    filing_dues,
    generate_month,
    month_hours,
    month_roster,
    month_roster_id,
    report_change,
    set_pin,
    substitute,
    swap,
    write_hours_xlsx,
)
from tests.roster_support import PLANNER, rows, staff
from tests.support_people import authority_for

PIN = "583920"


@pytest.fixture
def filed(tmp_path):
    clock = FrozenClock(pendulum.parse("2026-11-20T10:00:00+08:00"))  # type: ignore[arg-type]
    desk = init_database(tmp_path / "t.sqlite3", "测试值班室", "tianjin", clock)
    names = staff(desk, leaders=3, officers=7)
    set_pin(desk, names["leader"][0], PIN, PIN, authority=authority_for(desk))
    generate_month(desk, 2026, 12, seed=11, by=PLANNER)
    roster = month_roster_id(desk, 2026, 12, PLANNER)
    file_roster(desk, roster, sent_to="市政府总值班室", channel="fax", by=PLANNER,
                out_dir=tmp_path)  # fmt: skip
    yield desk, names, roster
    desk.close()


def _cell(desk, day, slot):
    grid = month_roster(desk, day.year, day.month)
    return next(c for d in grid.days if d.day == day for c in d.cells if c.slot_code == slot)


def _idle_officer(desk, names, day, slot):
    """An officer off duty from the day before to the day after (a stand-in who keeps the
    rest rules: a change that breaks one is refused without an override)."""
    grid = month_roster(desk, day.year, day.month)
    near = {name for d in grid.days if abs((d.day - day).days) <= 1 for c in d.cells
            for name in c.officers}  # fmt: skip
    return next(n for n in names["officer"] if n not in near)


def _night_officer(desk, day):
    return _cell(desk, day, "night").officers[0]


def test_a_substitution_shows_the_change_and_the_original(filed):
    desk, names, roster = filed
    day = date(2026, 12, 5)
    original = _cell(desk, day, "day").officers[0]
    stand_in = _idle_officer(desk, names, day, "day")
    change = substitute(desk, roster, Spot(day, "day", "officer"), stand_in, reason="出差",
                        approver=names["leader"][0], pin=PIN)  # fmt: skip
    cell = _cell(desk, day, "day")
    assert cell.officers == (stand_in,)
    [shown] = cell.changes
    assert (shown.original, shown.substitute, shown.reason, shown.approved_by) == (
        original,
        stand_in,
        "出差",
        names["leader"][0],
    )
    assert change.tell_upper_by == cell.starts_at  # before the changed shift starts
    assert verify_register(desk.path).ok
    with sqlite3.connect(desk.path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE roster_change SET reason = 'x'")


def test_the_upper_office_is_due_to_be_told_until_it_is(filed):
    desk, names, roster = filed
    day = date(2026, 12, 6)
    change = substitute(desk, roster, Spot(day, "night", "officer"),
                        _idle_officer(desk, names, day, "night"), reason="生病",
                        approver=names["leader"][0], pin=PIN)  # fmt: skip
    label = t("roster.label_change", id=change.id, day=day.isoformat())
    [due] = [d for d in filing_dues(desk, desk.now()) if d.label == label]
    assert due.due_at == change.tell_upper_by and due.filed_at is None
    assert due.cite == desk.profile.roster.change_tell_cite
    report_change(desk, change.id, sent_to="市政府总值班室", channel="phone", by=PLANNER)
    [told] = [d for d in filing_dues(desk, desk.now()) if d.label == label]
    assert told.filed_at == desk.now()


def test_bad_changes_are_refused_and_nothing_is_written(filed):
    desk, names, roster = filed
    day = date(2026, 12, 7)
    spot = Spot(day, "day", "officer")
    idle = _idle_officer(desk, names, day, "day")
    before, attempts = rows(desk, "roster_change"), rows(desk, "pin_attempt")
    cases = [
        ({"name": idle, "reason": " "}, "roster.bad_reason"),
        ({"name": idle, "approver": names["officer"][0]}, "roster.approver_not_leader"),
        ({"name": idle, "pin": "000000"}, "handover_pin.wrong"),
        ({"name": names["leader"][1]}, "roster.wrong_level"),
        ({"name": _cell(desk, day, "day").officers[0]}, "roster.same_person"),
    ]
    for changed, key in cases:
        args = {"reason": "事由", "approver": names["leader"][0], "pin": PIN} | changed
        with pytest.raises(DutyError) as refused:
            substitute(desk, roster, spot, **args)
        assert refused.value.key == key
    assert rows(desk, "roster_change") == before
    assert rows(desk, "pin_attempt") == attempts + 1  # only the wrong PIN was a try (QA)
    with pytest.raises(DutyError) as past:
        substitute(desk, roster, Spot(date(2026, 11, 1), "day", "officer"), idle, reason="x",
                   approver=names["leader"][0], pin=PIN)  # fmt: skip
    assert past.value.key == "roster.no_cell"


def test_a_swap_exchanges_two_shifts_and_the_hours_follow(filed, tmp_path):
    from openpyxl import load_workbook

    desk, names, roster = filed
    one, two = Spot(date(2026, 12, 10), "day", "officer"), Spot(date(2026, 12, 20), "day",
                                                                 "officer")  # fmt: skip
    a, b = _cell(desk, one.day, "day").officers[0], _cell(desk, two.day, "day").officers[0]
    if a == b:
        pytest.skip("the seed put one person on both days")
    hours_before = {c.name: c.shifts for c in month_hours(desk, 2026, 12)}
    first, second = swap(desk, roster, one, two, reason="家中有事",
                         approver=names["leader"][0], pin=PIN)  # fmt: skip
    assert second.pairs_with_id == first.id
    assert _cell(desk, one.day, "day").officers == (b,)
    assert _cell(desk, two.day, "day").officers == (a,)
    after = {c.name: c.shifts for c in month_hours(desk, 2026, 12)}
    assert after == hours_before  # a swap moves shifts, it does not add any
    with pytest.raises(DutyError) as roles:
        swap(desk, roster, one, Spot(two.day, "day", "leader"), reason="x",
             approver=names["leader"][0], pin=PIN)  # fmt: skip
    assert roles.value.key == "roster.swap_roles"
    target = tmp_path / "hours.xlsx"
    counts = write_hours_xlsx(desk, 2026, 12, target)
    values = [[c.value for c in row] for row in load_workbook(target).active.iter_rows()]
    assert values[1][0] == t("roster_hours.col_name")
    assert [row[0] for row in values[2:]] == [c.name for c in counts]
    for row, count in zip(values[2:], counts, strict=True):
        assert row[2:] == [count.shifts, count.hours, count.nights, count.days_off, count.holidays]


def test_duty_hours_count_shifts_hours_nights_and_days_off(filed):
    desk, names, _roster = filed
    counts = {c.name: c for c in month_hours(desk, 2026, 12)}
    grid = month_roster(desk, 2026, 12)
    for name in names["officer"]:
        mine = [c for d in grid.days for c in d.cells if name in c.officers]
        count = counts[name]
        assert count.shifts == len(mine)
        assert count.nights == sum(c.slot_code == "night" for c in mine)
        assert count.hours == sum(9.5 if c.slot_code == "day" else 14.5 for c in mine)
        assert count.days_off == sum(c.day.isoweekday() >= 6 for c in mine)  # no holiday in Dec
    led_days = {(c.leader, d.day) for d in grid.days for c in d.cells}
    assert sum(counts[n].shifts for n in names["leader"]) == len(led_days) == 31
    for name in names["leader"]:  # QA #3: the day's leader leads its 24 hours, night included
        days = sum(leader == name for leader, _day in led_days)
        assert (counts[name].nights, counts[name].hours) == (days, 24.0 * days)


def test_nobody_approves_a_change_that_involves_themselves(filed):
    desk, names, roster = filed
    approver = names["leader"][0]  # the leader with a PIN
    before = rows(desk, "roster_change")
    for day in (date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)):
        original = _cell(desk, day, "day").leader
        # the approver leaves the seat, or takes it
        stand_in = (
            next(n for n in names["leader"] if n != original) if original == approver else approver
        )
        with pytest.raises(DutyError) as refused:
            substitute(desk, roster, Spot(day, "day", "leader"), stand_in, reason="出差",
                       approver=approver, pin=PIN)  # fmt: skip
        assert refused.value.key == "roster.self_approval"
    assert rows(desk, "roster_change") == before


def test_a_substitution_fills_a_seat_left_empty_at_filing(filed):
    from dutydesk.services.roster.people import add_person
    from tests.roster_support import SINCE

    desk, names, roster = filed
    day = date(2026, 12, 7)
    assert _cell(desk, day, "night").standby is None  # optional in Tianjin, nobody stands by
    add_person(desk, "秦值守", "standby", in_post_since=SINCE, authority=authority_for(desk))
    change = substitute(desk, roster, Spot(day, "night", "standby"), "秦值守", reason="汛期加强",
                        approver=names["leader"][0], pin=PIN)  # fmt: skip
    assert change.from_person_id is None and change.kind == "substitution"
    cell = _cell(desk, day, "night")
    assert cell.standby == "秦值守"
    [shown] = cell.changes
    assert (shown.original, shown.substitute) == (t("roster.vacant_seat"), "秦值守")
    assert change.tell_upper_by == cell.starts_at  # reported like any change
    label = t("roster.label_change", id=change.id, day=day.isoformat())
    assert [due.filed_at for due in filing_dues(desk, desk.now()) if due.label == label] == [None]
    assert verify_register(desk.path).ok
    with pytest.raises(DutyError) as wrong:  # a seat the profile does not have
        substitute(desk, roster, Spot(day, "night", "officer", 3), names["officer"][0],
                   reason="x", approver=names["leader"][0], pin=PIN)  # fmt: skip
    assert wrong.value.key == "roster.no_seat" and "officer" not in wrong.value.message()


def test_a_change_that_breaks_a_rest_rule_is_refused_unless_the_approver_overrides(filed):
    """A substitution straight after the stand-in's night (no hours off) is refused with the
    profile's article, nothing written and no PIN try spent; with the approver's reason it is
    recorded, the reason kept on the change and shown on the roster."""
    desk, names, roster = filed
    day, after = date(2026, 12, 10), date(2026, 12, 11)
    tired = _night_officer(desk, day)
    spot = Spot(after, "day", "officer")
    before = rows(desk, "roster_change")
    with pytest.raises(DutyError) as refused:
        substitute(desk, roster, spot, tired, reason="出差", approver=names["leader"][0],
                   pin="000000")  # a wrong PIN is not even asked for  # fmt: skip
    assert refused.value.key == "roster_rest.breaks"
    assert refused.value.params["cite"] == desk.profile.roster.rest_cite
    assert rows(desk, "roster_change") == before
    change = substitute(desk, roster, spot, tired, reason="出差", approver=names["leader"][0],
                        pin=PIN, rest_override="无其他人员可替，已安排次日补休")  # fmt: skip
    assert change.rest_override == "无其他人员可替，已安排次日补休"
    [shown] = _cell(desk, after, "day").changes
    assert shown.rest_override == change.rest_override
    assert any(c.key == "roster.short_rest" for c in _cell(desk, after, "day").conflicts)
    assert verify_register(desk.path).ok


def test_a_swap_that_breaks_a_rest_rule_is_refused_unless_the_approver_overrides(filed):
    """The night's officer swaps one of their later shifts for the next morning: no rest
    between the night and the morning."""
    desk, names, roster = filed
    approver = names["leader"][0]
    night, morning = date(2026, 12, 14), date(2026, 12, 15)
    tired = _night_officer(desk, night)
    grid = month_roster(desk, 2026, 12)
    later = next(Spot(d.day, c.slot_code, "officer") for d in grid.days if d.day >= date(2026, 12, 20)
                 for c in d.cells if c.officers[0] == tired)  # fmt: skip
    first = Spot(morning, "day", "officer")
    before = rows(desk, "roster_change")
    with pytest.raises(DutyError) as refused:
        swap(desk, roster, first, later, reason="家中有事", approver=approver, pin=PIN)
    assert refused.value.key == "roster_rest.breaks" and rows(desk, "roster_change") == before
    legs = swap(desk, roster, first, later, reason="家中有事", approver=approver, pin=PIN,
                rest_override="本人申请，带班领导同意")  # fmt: skip
    assert [leg.rest_override for leg in legs] == ["本人申请，带班领导同意"] * 2
    assert _cell(desk, morning, "day").officers == (tired,)
    assert verify_register(desk.path).ok


@pytest.mark.parametrize("hostile", ["病\x1b]0;PWN\x07假", "a\u202eb", "x\x1b[2J"])
def test_a_reason_or_override_with_hidden_characters_is_refused_naming_it(filed, hostile):
    """Breaker: an ESC or a bidi override in a change's reason or rest override was stored and
    printed raw by `roster show`. Refused, naming the character, nothing written."""
    from dutydesk.errors import ValidationFailed

    desk, names, roster = filed
    day, after = date(2026, 12, 10), date(2026, 12, 11)
    tired = _night_officer(desk, day)
    spot = Spot(after, "day", "officer")
    before = rows(desk, "roster_change")
    for kwargs in ({"reason": hostile}, {"reason": "出差", "rest_override": hostile}):
        with pytest.raises(ValidationFailed) as refused:
            substitute(desk, roster, spot, tired, approver=names["leader"][0], pin=PIN, **kwargs)
        [problem] = refused.value.problems
        assert problem.key in ("text_problem.control", "text_problem.bidi")
        assert problem.params["char"] in ("U+001B", "U+202E")
    assert rows(desk, "roster_change") == before
