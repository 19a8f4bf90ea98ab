"""QA (session 10) item 7: with two officers the rotation put one on a day shift and the night
after it back to back (no rest at all). Where a conflict is unavoidable, it now takes the one
that leaves the most rest (no more conflicts than before), and `roster generate` says, before
anyone files the roster, that the rest rules cannot all be kept with the people there are."""

from __future__ import annotations

import json
from datetime import date

import pendulum

from dutydesk.i18n import t
from dutydesk.models import Person
from dutydesk.profiles import load_profile
from dutydesk.services.core import open_desk
from dutydesk.services.roster.rosters import cells_of
from dutydesk.services.roster.rotation import plan_cells
from tests.conftest import init_cli
from tests.roster_support import PLANNER, staff

NOW = pendulum.datetime(2026, 11, 23, tz="Asia/Shanghai")
REST_KEYS = ("roster.consecutive_nights", "roster.short_rest")


def _people(leaders: int, officers: int) -> list[Person]:
    roles = ["leader"] * leaders + ["officer"] * officers
    return [Person(id=n, name=f"p{n}", role=role, staff=True, in_post_since=date(2024, 1, 1),
                   trained=True, created_at=NOW) for n, role in enumerate(roles, 1)]  # fmt: skip


def _back_to_back(cells, plan) -> list[tuple[date, int]]:  # noqa: ANN001
    """(day, officer) of each shift an officer begins as their previous one ends."""
    by_key = {(c.day, c.slot_code): c for c in cells}
    worked: dict[int, list] = {}
    for (day, slot, role, _seat), pid in plan.items():
        if role == "officer":
            worked.setdefault(pid, []).append(by_key[(day, slot)])
    found = []
    for pid, mine in worked.items():
        mine.sort(key=lambda c: c.start_ts)
        found += [(b.day, pid) for a, b in zip(mine, mine[1:], strict=False)
                  if b.start_ts <= a.end_ts]  # fmt: skip
    return found


def test_two_officers_are_never_put_on_a_day_and_its_night_back_to_back():
    profile = load_profile("tianjin")
    for year, month, last in ((2026, 12, 31), (2027, 2, 28)):
        cells = cells_of(profile, "month", date(year, month, 1), date(year, month, last))
        for seed in (1, year * 100 + month):
            plan, empty = plan_cells(profile, cells, _people(2, 2), seed)
            assert empty == []
            assert _back_to_back(cells, plan) == []


def test_generate_says_when_the_rest_rules_cannot_all_be_kept(cli):
    assert init_cli(cli).exit_code == 0
    cli.at("2026-11-20T10:00:00+08:00")
    desk = open_desk(cli.db_path, cli.clock)
    staff(desk, leaders=2, officers=2)
    desk.close()
    made = cli("roster", "generate", "--month", "2026-12", "--by", PLANNER)
    assert made.exit_code == 0, made.output
    cells = json.loads(cli("roster", "show", "--month", "2026-12", "--json").stdout)["cells"]
    rest = sum(c["key"] in REST_KEYS for cell in cells for c in cell["conflicts"])
    assert rest > 0
    said = [line for line in made.stdout.splitlines() if line.startswith("! ")]
    head = t("roster_rest.unavoidable").split("{count}")[0]
    assert len(said) == 1 and said[0].startswith("! " + head), made.stdout
    assert f"{rest} 处" in said[0]


def test_generate_says_nothing_of_rest_when_every_rule_is_kept(cli):
    assert init_cli(cli).exit_code == 0
    cli.at("2026-11-20T10:00:00+08:00")
    desk = open_desk(cli.db_path, cli.clock)
    staff(desk, leaders=3, officers=7)
    desk.close()
    made = cli("roster", "generate", "--month", "2026-12", "--by", PLANNER)
    assert made.exit_code == 0, made.output
    assert not [line for line in made.stdout.splitlines() if line.startswith("! ")]
