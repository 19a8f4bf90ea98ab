"""Rostered people for the roster tests: a register with leaders, officers and standbys, all
eligible (in post since 2024, trained, on the staff)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tests.support_people import ADMIN, authority_for

if TYPE_CHECKING:
    from dutydesk.services.core.desk import Desk

SINCE = date(2024, 1, 1)
PLANNER = ADMIN  # who enters the roster (any registered person)
NUMERALS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章"


def staff(
    desk: Desk, leaders: int = 4, officers: int = 10, standbys: int = 0
) -> dict[str, list[str]]:
    """Add that many people of each role; returns their names by role."""
    from dutydesk.services.roster.people import add_person

    names: dict[str, list[str]] = {"leader": [], "officer": [], "standby": []}
    grant = authority_for(desk)
    index = 0
    for role, count, given in (("leader", leaders, "领导"), ("officer", officers, "值班"),
                               ("standby", standbys, "值守")):  # fmt: skip
        for n in range(count):
            name = f"{SURNAMES[index % len(SURNAMES)]}{given}{NUMERALS[n % 22]}{NUMERALS[n // 22]}"
            index += 1
            add_person(desk, name, role, in_post_since=SINCE, authority=grant)
            names[role].append(name)
    return names


def rows(desk: Desk, table: str) -> int:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(desk.path)) as conn:
        return int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def fill(desk: Desk, roster_id: int, cells, names: dict[str, list[str]], officers: int = 1) -> None:
    """Put people in every seat of `cells` by hand: a leader per cell and `officers` officers,
    a standby where there are standbys, turning through each role's list."""
    from dutydesk.services.roster import assign

    for n, cell in enumerate(cells):
        assign(desk, roster_id, cell.day, cell.slot_code, "leader",
               names["leader"][n % len(names["leader"])], by=PLANNER)  # fmt: skip
        for seat in range(officers):
            name = names["officer"][(n * officers + seat) % len(names["officer"])]
            assign(desk, roster_id, cell.day, cell.slot_code, "officer", name, by=PLANNER,
                   seat=seat)  # fmt: skip
        if names["standby"]:
            assign(desk, roster_id, cell.day, cell.slot_code, "standby",
                   names["standby"][n % len(names["standby"])], by=PLANNER)  # fmt: skip
