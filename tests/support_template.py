"""A register made once and copied per test: creating one runs every migration (~50-100 ms), a
copy opens in a few milliseconds. The copy holds what tests/conftest.py's `desk` fixture makes:
a Tianjin office, 张伟 (officer), 王建国 (leader), 赵磊 (standby), and the shift open at T0."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dutydesk.clock import FrozenClock
from dutydesk.services.core.desk import Desk, init_database, open_desk
from tests.conftest import OFFICE, T0
from tests.support_people import authority_for

SUFFIXES = ("", "-wal", "-shm")


def make_template(directory: Path) -> Path:
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.shifts import open_shift

    path = directory / "template.sqlite3"
    desk = init_database(path, OFFICE, "tianjin", FrozenClock(T0))
    since = date(2024, 1, 1)
    add_person(desk, "张伟", "officer", in_post_since=since, authority=authority_for(desk))
    add_person(desk, "王建国", "leader", in_post_since=since, authority=authority_for(desk))
    add_person(desk, "赵磊", "standby", in_post_since=since, authority=authority_for(desk))
    open_shift(desk, "张伟", leader="王建国", standby="赵磊")
    desk.close()  # the last connection checkpoints the WAL into the main file
    return path


def copy_register(template: Path, target: Path) -> None:
    for suffix in SUFFIXES:
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")


def template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template(tmp_path_factory.mktemp("template"))


def desk_fixture(template: Path, db_path: Path, clock: FrozenClock) -> Iterator[Desk]:
    copy_register(template, db_path)
    desk = open_desk(db_path, clock)
    yield desk
    desk.close()
