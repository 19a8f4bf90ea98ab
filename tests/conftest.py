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
from dutydesk.services.core.desk import Desk, init_database
from tests.support_dist import costliest_groups_first, group_modules_with_shared_fixtures
from tests.support_hypothesis import deep_run  # registers the deep profile (before it is loaded)
from tests.support_people import ADMIN, ADMIN_PIN, ADMIN_STDIN, authority_for
from tests.support_schema import CALLERS, REAL_MIGRATE, copying_migrate, make_schema_template

T0 = "2026-11-23T10:00:00+08:00"  # a Monday, inside the Tianjin day shift
OFFICE = "测试区人民政府总值班室"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "real_migrations: new registers run every Alembic migration instead of copying the "
        "schema template (tests/support_schema.py)",
    )
    config.addinivalue_line(
        "markers",
        "real_costs: the app settles its heap (a full collection and freeze) and PINs are hashed "
        "at the shipped scrypt cost, as in the installed program (tests/conftest.py "
        "_light_costs)",
    )


def pytest_report_header() -> str:
    share = "every deep count" if deep_run() else "a fifth (--hypothesis-profile=deep: all)"
    return f"property tests: {share} of their examples (tests/support_hypothesis.py)"


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the groups into the node ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    group_modules_with_shared_fixtures(items)  # with --dist loadgroup (pyproject addopts)
    if hasattr(config, "workerinput"):  # an xdist worker: its order is the hand-out order
        costliest_groups_first(items)
    for item in items:
        # A snapshot is taken on the app's real-time loop: on a loaded 2-core machine it has
        # caught a repaint half done (same text, other styles) about once a run. One rerun
        # (pytest-rerunfailures); a snapshot that is wrong fails both times.
        if "snap_compare" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.flaky(reruns=1))


@pytest.fixture(scope="session", autouse=True)
def _schema_copied_not_migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One migration run per test process; new registers copy its schema (support_schema)."""
    template = make_schema_template(tmp_path_factory.mktemp("schema") / "schema.sqlite3")
    with pytest.MonkeyPatch.context() as patch:
        for module in CALLERS:
            patch.setattr(f"{module}.migrate", copying_migrate(template))
        yield


@pytest.fixture(scope="session", autouse=True)
def _pilot_keys_at_a_finer_grain() -> Iterator[None]:
    """Pilot waits after each key until the process has used under 1 ms of CPU in a window of
    SLEEP_GRANULARITY (Textual: 20 ms), twice: at least 40 ms a key however quickly the app
    answered, some 40,000 keys in the suite. A 5 ms window tells the same (the app idle, the
    key handled), four times sooner."""
    import textual._wait

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005)
        yield


@pytest.fixture(scope="session", autouse=True)
def _waiting_for_workers_outlasts_a_superseded_one() -> Iterator[None]:
    """`app.workers.wait_for_complete()` raises WorkerCancelled when one of the workers it waits
    for is superseded meanwhile (an exclusive list read replaced by a newer one: the app's
    normal course). The tests want every worker done, the superseded ones included: waited for
    again until none is running (CI, session 11)."""
    from textual.worker import WorkerCancelled
    from textual.worker_manager import WorkerManager

    textual_wait = WorkerManager.wait_for_complete

    async def wait_for_complete(self, workers=None) -> None:  # noqa: ANN001
        for _ in range(100):
            try:
                await textual_wait(self, workers)
                return
            except WorkerCancelled:
                continue
        raise AssertionError("workers still cancelled after 100 waits: the app keeps starting them")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WorkerManager, "wait_for_complete", wait_for_complete)
        yield


@pytest.fixture(scope="session", autouse=True)
def _bytecode_for_subprocesses() -> None:
    """The tests start the program in subprocesses (the CLI, the launcher, verify's range
    processes, the bench): with PYTHONDONTWRITEBYTECODE set, as on these machines, each compiled
    all of DutyDesk from source on every start. Compiled once here (written atomically, so the
    two workers may both do it)."""
    import compileall

    import dutydesk

    compileall.compile_dir(Path(dutydesk.__file__).parent, quiet=2)


@pytest.fixture(autouse=True)
def _real_migrations_when_marked(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("real_migrations") is None:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        for module in CALLERS:
            patch.setattr(f"{module}.migrate", REAL_MIGRATE)
        yield


def _collector_on() -> None:
    import gc

    gc.enable()


@pytest.fixture(autouse=True)
def _light_costs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Two costs the installed program pays once, which the suite would pay in every test: the
    app's settled heap (runtime.settle_heap: one full collection of the whole process, 0.4 s in
    a test process holding every module, at each of some 900 app starts) and each PIN's scrypt
    hash at the shipped cost (70 ms, several per register). Here the collector is simply
    switched back on, and new PINs are hashed at a 16th of the cost (the cost is stored with
    each PIN, so verifying is unchanged). Tests marked `real_costs` get both as shipped."""
    if request.node.get_closest_marker("real_costs") is not None:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("dutydesk.runtime.settle_heap", _collector_on)
        patch.setattr("dutydesk.services.roster.pins.SCRYPT_N", 2**10)
        yield


@pytest.fixture(autouse=True)
def _chinese_by_default() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(scope="session")
def central_server() -> Iterator[object]:
    """One throwaway PostgreSQL server per test process, shared by every central test module
    (each imports `server` from tests/test_central.py, which is this one)."""
    from tests.support_central import Server

    started = Server().start()
    yield started
    started.stop()


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
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.shifts import open_shift

    since = date(2024, 1, 1)
    add_person(
        bare_desk, "张伟", "officer", in_post_since=since, authority=authority_for(bare_desk)
    )
    add_person(
        bare_desk, "王建国", "leader", in_post_since=since, authority=authority_for(bare_desk)
    )
    add_person(
        bare_desk, "赵磊", "standby", in_post_since=since, authority=authority_for(bare_desk)
    )
    open_shift(bare_desk, "张伟", leader="王建国", standby="赵磊")
    return bare_desk


@pytest.fixture
def officer(desk: Desk):  # -> Person
    from dutydesk.services.roster.people import find_person

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


class FeedingRunner(CliRunner):
    """A CliRunner that gives the next invocation the standard input queued with `feed` (PINs
    for `--pin-stdin`), for calls made through `Cli` (which passes none)."""

    def __init__(self) -> None:
        super().__init__()
        self.queued: list[str] = []

    def feed(self, text: str) -> None:
        self.queued.append(text)

    def invoke(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if kwargs.get("input") is None and self.queued:
            kwargs["input"] = self.queued.pop(0)
        return super().invoke(*args, **kwargs)


@pytest.fixture
def cli(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    made = Cli(db_path, monkeypatch)
    made.runner = FeedingRunner()
    return made


def init_cli(cli: Cli, *args: str, office: str = OFFICE, profile: str = "tianjin", **kw):  # noqa: ANN003, ANN201
    """`dutydesk init` with the tests' first administrator (support_people.ADMIN)."""
    cli.runner.feed(ADMIN_STDIN)
    return cli("init", "--office", office, "--profile", profile, "--admin", ADMIN,
               "--pin-stdin", *args, **kw)  # fmt: skip


def add_person_cli(cli: Cli, *args: str, **kw):  # noqa: ANN003, ANN201
    """`dutydesk people add ARGS` on the administrator's authority."""
    cli.runner.feed(ADMIN_PIN + "\n")
    return cli("people", "add", *args, "--by", ADMIN, "--pin-stdin", **kw)


@pytest.fixture
def cli_desk(cli: Cli) -> Cli:
    """A CLI whose database is initialised (Tianjin) with an administrator, with 张伟 on the
    open shift."""
    assert init_cli(cli).exit_code == 0
    assert add_person_cli(cli, "--name", "张伟", "--role", "officer",
                          "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    assert add_person_cli(cli, "--name", "王建国", "--role", "leader",
                          "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    assert cli("shift", "open", "--officer", "张伟", "--leader", "王建国").exit_code == 0
    return cli
