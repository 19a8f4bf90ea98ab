"""A district register (the profile with a spot-check quota: District 工作制度 5) made once per
module and copied per test, with 张伟 on the weekly shift open at T0 (Monday 10:00) and the
units below registered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from dutydesk.clock import FrozenClock
from dutydesk.services.core.desk import Desk, init_database, open_desk
from tests.conftest import OFFICE, T0
from tests.support_people import authority_for
from tests.support_template import copy_register

UNITS = [
    ("城关镇", "township"), ("柳林镇", "township"), ("石桥镇", "township"),
    ("东关街道", "subdistrict"), ("西城街道", "subdistrict"), ("北苑街道", "subdistrict"),
    ("高新技术产业园区", "park"), ("区应急管理局", "department"), ("区公安分局", "department"),
    ("区水利局", "department"),
]  # fmt: skip


def make_district_template(directory: Path, with_units: bool = True) -> Path:
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.shifts import open_shift
    from dutydesk.services.spotcheck.units import UnitDraft, add_unit

    path = directory / "district.sqlite3"
    desk = init_database(path, OFFICE, "district", FrozenClock(T0))
    since = date(2024, 1, 1)
    add_person(desk, "张伟", "officer", in_post_since=since, authority=authority_for(desk))
    add_person(desk, "王建国", "leader", in_post_since=since, authority=authority_for(desk))
    open_shift(desk, "张伟", leader="王建国")
    if with_units:
        for index, (name, kind) in enumerate(UNITS):
            add_unit(desk, UnitDraft(name, kind, f"0371-6600{index:04d}"))
    desk.close()
    return path


def district_desk(template: Path, db_path: Path, clock: FrozenClock) -> Iterator[Desk]:
    copy_register(template, db_path)
    desk = open_desk(db_path, clock)
    yield desk
    desk.close()


def table_rows(path: Path, table: str) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


SPOTCHECK_TABLES = (
    "spotcheck_unit",
    "spotcheck_unit_status",
    "spotcheck_round",
    "spotcheck_outcome",
    "spotcheck_closure",
    "spotcheck_correction",
    "audit_link",
)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every spot-check row and the audit chain: to show that a refused command changed nothing."""
    return {table: table_rows(path, table) for table in SPOTCHECK_TABLES}
