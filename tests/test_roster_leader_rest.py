"""QA (issue 17): day leaders were never rest-checked: with two leaders the generator put one on
01-02 and 01-03 (48 hours on call) without a word; with one leader every day of the month,
silently. Now the profile's [leader_rest] (common practice: the texts set none) is checked like
the officers' rest, the generator alternates leaders where it can, and where one leader holds
every day the counts (CLI and screen) say so."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pendulum
import pytest

from dutydesk.models import Person
from dutydesk.profiles import load_profile
from dutydesk.services.roster.roster_checks import conflicts, sole_leader_warning
from dutydesk.services.roster.rosters import cells_of
from dutydesk.services.roster.rotation import plan_cells

NOW = pendulum.datetime(2026, 11, 23, tz="Asia/Shanghai")
KEY = "roster_leader.rest_breaks"


def _people(leaders: int, officers: int = 6) -> list[Person]:
    roles = ["leader"] * leaders + ["officer"] * officers
    return [Person(id=n + 1, name=f"p{n + 1}", role=role, staff=True, trained=True,
                   in_post_since=date(2024, 1, 1), created_at=NOW)
            for n, role in enumerate(roles)]  # fmt: skip


def _january(profile_id: str):
    profile = load_profile(profile_id)
    return profile, cells_of(profile, "month", date(2026, 1, 1), date(2026, 1, 31))


def _leader_by_day(plan) -> dict[date, int]:
    return {day: pid for (day, _slot, role, _seat), pid in plan.items() if role == "leader"}


def _found(profile, cells, plan, people) -> list:
    found = conflicts(SimpleNamespace(profile=profile), cells, plan, {p.id: p for p in people})
    return [(key, c) for key, listed in found.items() for c in listed if c.key == KEY]


@pytest.mark.parametrize("profile_id", ["tianjin", "henan"])
def test_three_leaders_alternate_and_keep_their_rest(profile_id):
    profile, cells = _january(profile_id)
    people = _people(leaders=3)
    plan, _empty = plan_cells(profile, cells, people, seed=202601)
    by_day = _leader_by_day(plan)
    days = sorted(by_day)
    assert len(days) == 31
    assert all(by_day[a] != by_day[b] for a, b in zip(days, days[1:], strict=False))
    assert _found(profile, cells, plan, people) == []


@pytest.mark.parametrize("profile_id", ["tianjin", "henan"])
def test_with_two_leaders_every_day_in_a_row_left_is_flagged(profile_id):
    """Two leaders cannot always alternate and keep weekends and holidays even (the spread
    the rotation keeps comes first): each back-to-back day left is shown, none silently."""
    profile, cells = _january(profile_id)
    people = _people(leaders=2)
    plan, _empty = plan_cells(profile, cells, people, seed=202601)
    by_day = _leader_by_day(plan)
    days = sorted(by_day)
    twice = [b for a, b in zip(days, days[1:], strict=False) if by_day[a] == by_day[b]]
    assert len(twice) < len(days) // 4  # mostly alternating
    assert sorted(key[0] for key, _c in _found(profile, cells, plan, people)) == twice


def test_a_leader_on_two_days_in_a_row_is_flagged_with_the_rule():
    profile, cells = _january("tianjin")
    people = _people(leaders=3)
    plan, _empty = plan_cells(profile, cells, people, seed=202601)
    by_day = _leader_by_day(plan)
    twice = by_day[date(2026, 1, 2)]
    for day, slot, role, seat in list(plan):
        if role == "leader" and day == date(2026, 1, 3):
            plan[(day, slot, role, seat)] = twice
    found = _found(profile, cells, plan, people)
    flagged = [key[0] for key, _c in found]
    assert date(2026, 1, 3) in flagged  # and 01-04 where it was that leader's already
    assert set(flagged) <= {date(2026, 1, 3), date(2026, 1, 4)}
    conflict = found[0][1]
    assert conflict.cite == profile.leader_rest.cite and "p" in conflict.message()
    assert not conflict.blocks  # shown in place, like the officers' rest


def test_one_leader_holds_every_day_flagged_and_warned():
    profile, cells = _january("tianjin")
    people = _people(leaders=1)
    plan, _empty = plan_cells(profile, cells, people, seed=202601)
    assert set(_leader_by_day(plan).values()) == {1}
    assert len(_found(profile, cells, plan, people)) == 30
    grid = SimpleNamespace(days=[SimpleNamespace(cells=[
        SimpleNamespace(day=c.day, leader="赵领导") for c in cells])])  # fmt: skip
    warning = sole_leader_warning(grid)
    assert warning is not None and "赵领导" in warning and "31" in warning
    two = SimpleNamespace(days=[SimpleNamespace(cells=[
        SimpleNamespace(day=c.day, leader="赵领导" if c.day.day % 2 else "钱领导")
        for c in cells])])  # fmt: skip
    assert sole_leader_warning(two) is None


def test_roster_show_and_generate_warn_of_a_sole_leader(bare_desk, cli):
    from tests.roster_support import PLANNER, staff

    staff(bare_desk, leaders=1, officers=4)
    cli.db_path = bare_desk.path
    generated = cli("roster", "generate", "--month", "2026-12", "--by", PLANNER)
    assert generated.exit_code == 0, generated.output
    assert "一人带班" in generated.output
    shown = cli("roster", "show", "--month", "2026-12")
    assert shown.exit_code == 0 and "一人带班" in shown.output
    assert "带班领导" in shown.output and "至少间隔1天" in shown.output
