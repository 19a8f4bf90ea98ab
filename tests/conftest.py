"""Shared fixtures: a fresh register on a frozen clock, and an in-process CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pendulum
import pytest
from typer.testing import CliRunner

from dutydesk.clock import FrozenClock
from dutydesk.i18n import set_language
from dutydesk.services.desk import Desk, init_database

T0 = "2026-11-23T10:00:00+08:00"  # a Monday, inside the Tianjin day shift
OFFICE = "测试区人民政府总值班室"


@pytest.fixture(autouse=True)
def _chinese_by_default() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(pendulum.parse(T0))  # type: ignore[arg-type]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def bare_desk(db_path: Path, clock: FrozenClock) -> Iterator[Desk]:
    """An initialised register (Tianjin profile) with nobody in it."""
    desk = init_database(db_path, OFFICE, "tianjin", clock)
    yield desk
    desk.close()


@pytest.fixture
def desk(bare_desk: Desk) -> Desk:
    """A register with an officer (张伟), a leader (王建国), a standby (赵磊) and the current
    shift open."""
    from dutydesk.services.people import add_person
    from dutydesk.services.shifts import open_shift

    since = date(2024, 1, 1)
    add_person(bare_desk, "张伟", "officer", in_post_since=since)
    add_person(bare_desk, "王建国", "leader", in_post_since=since)
    add_person(bare_desk, "赵磊", "standby", in_post_since=since)
    open_shift(bare_desk, "张伟", leader="王建国", standby="赵磊")
    return bare_desk


@pytest.fixture
def officer(desk: Desk):  # -> Person
    from dutydesk.services.people import find_person

    return find_person(desk, "张伟")


class Cli:
    """Runs `dutydesk` in-process against one database file, on a frozen clock passed in code
    (`cli.clock.set(...)` moves it; `cli.at(ISO)` too)."""

    def __init__(self, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.db_path = db_path
        self.runner = CliRunner()
        self.clock = FrozenClock(T0)
        monkeypatch.delenv("DUTYDESK_DB", raising=False)
        monkeypatch.delenv("DUTYDESK_LANG", raising=False)

    def __call__(self, *args: str, lang: str = "zh", db: Path | None = None):  # -> Result
        from dutydesk.cli import build_app

        set_language(lang)
        argv = ["--db", str(db or self.db_path), "--lang", lang, *args]
        return self.runner.invoke(build_app(self.clock), argv, catch_exceptions=False)

    def app(self):  # -> typer.Typer
        """The command tree on this CLI's clock, for tests that invoke it themselves."""
        from dutydesk.cli import build_app

        return build_app(self.clock)

    def at(self, when: str) -> None:
        """Move the clock of every later command to `when` (ISO 8601 with an offset)."""
        self.clock.set(pendulum.parse(when))  # type: ignore[arg-type]


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(db_path, monkeypatch)


@pytest.fixture
def cli_desk(cli: Cli) -> Cli:
    """A CLI whose database is initialised (Tianjin), with 张伟 on the open shift."""
    assert cli("init", "--office", OFFICE, "--profile", "tianjin").exit_code == 0
    assert cli("people", "add", "--name", "张伟", "--role", "officer",
               "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    assert cli("people", "add", "--name", "王建国", "--role", "leader",
               "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    assert cli("shift", "open", "--officer", "张伟", "--leader", "王建国").exit_code == 0
    return cli
