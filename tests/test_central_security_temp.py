"""QA breaker, session 9: the ingest role's own temporary tables cannot hide the real ones from
the checking functions (central_migrations c0011). A shadow `archive` made a fork look like a
desk's first snapshot, and its links, rows and calls went into the real tables. Now the role may
not create temporary tables, every function that sets a search_path searches `pg_temp` last, and
no row can name an archive the city does not hold."""

from __future__ import annotations

import shutil
import uuid

import psycopg
import pytest

from dutydesk.services.archive.archive_manifest import read_archive
from dutydesk.services.archive.export import write_archive
from dutydesk.services.central import ingest_paths, init_central
from dutydesk.services.central.store import store_archive
from tests.support_central import add_calls, new_desk
from tests.test_central import _counts, server, url  # noqa: F401  (fixtures)

SHADOW = "CREATE TEMP TABLE archive AS SELECT * FROM public.archive WHERE false"


@pytest.fixture(scope="module")
def forked(tmp_path_factory):
    """A desk's first full snapshot, and a copy of its register (same chain, so the same office)
    that writes its own first full snapshot with other calls."""
    root = tmp_path_factory.mktemp("shadow")
    desk, person = new_desk(root / "desk.sqlite3", "测试值班室", "tianjin")
    add_calls(desk, person, [("城关镇", "桥下积水")])
    desk.close()
    shutil.copy(root / "desk.sqlite3", root / "copy.sqlite3")
    made = {}
    for name, summary in (("desk", "真的记录"), ("copy", "伪造的记录")):
        from dutydesk.clock import FrozenClock
        from dutydesk.services.core.desk import open_desk
        from dutydesk.services.roster.people import find_person
        from tests.support_central import at

        (root / name).mkdir()
        register = open_desk(root / f"{name}.sqlite3", FrozenClock(at("2026-11-23T12:00")))
        add_calls(register, find_person(register, "张伟"), [("新华街道", summary)])
        made[name] = write_archive(register, root / name, full=True)
        register.close()
    return made


@pytest.fixture
def as_ingest(url, server):  # noqa: F811
    login = f"ingest_{uuid.uuid4().hex[:8]}"
    server.execute(f"CREATE ROLE {login} LOGIN IN ROLE dutydesk_ingest")
    database = url.split("@/")[1].split("?")[0]
    return server.url(database, user=login), login, database


def _store(target: str, folder, *, shadow: bool) -> None:  # noqa: ANN001
    archive = read_archive(folder)
    assert archive is not None
    with psycopg.connect(target, autocommit=True) as conn:
        if shadow:
            conn.execute(SHADOW)
        store_archive(conn, archive, folder / "database.sqlite3", 0)


def test_every_checking_function_searches_pg_temp_last(url):  # noqa: F811
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT p.proname, p.prosecdef, p.proconfig FROM pg_proc p "
            "WHERE p.pronamespace = 'public'::regnamespace AND (p.prosecdef OR EXISTS "
            "(SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%'))"
        ).fetchall()
    definers = {name for name, definer, _ in rows if definer}
    assert {
        "central_ingest",
        "central_hold",
        "central_hold_signature",
        "central_resolve",
    } <= definers
    for name, _, config in rows:
        paths = [c.split("=", 1)[1] for c in config or [] if c.startswith("search_path=")]
        assert len(paths) == 1, f"{name} sets no search_path"
        assert [p.strip() for p in paths[0].split(",")][-1] == "pg_temp", (name, paths)


def test_the_ingest_role_may_not_create_temporary_tables(url, as_ingest):  # noqa: F811
    target, _, _ = as_ingest
    with psycopg.connect(target) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(SHADOW)
    assert init_central(url) == "c0011", "init again keeps it so"
    with psycopg.connect(target) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(SHADOW)


def test_a_shadow_archive_table_does_not_let_a_fork_in(url, server, as_ingest, forked, tmp_path):  # noqa: F811
    target, login, database = as_ingest
    assert [o.status for o in ingest_paths(url, [forked["desk"]], tmp_path)] == ["ingested"]
    before = _counts(url)
    # even where an administrator granted TEMP back, the functions never read the caller's tables
    server.execute(f"GRANT TEMPORARY ON DATABASE {database} TO {login}")
    with pytest.raises(psycopg.errors.RaiseException, match="does not continue"):
        _store(target, forked["copy"], shadow=True)
    assert _counts(url) == before
    with psycopg.connect(url) as conn:
        forged = conn.execute("SELECT count(*) FROM doc WHERE body LIKE '%伪造%'").fetchone()
    assert forged == (0,)


def test_no_row_can_name_an_archive_the_city_does_not_hold(url):  # noqa: F811
    with psycopg.connect(url) as conn, pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute(
            "INSERT INTO call (office_id, record_id, received_at, unit, amends_id, archive_sha) "
            "VALUES ('chain:forged', 1, now(), '伪造', NULL, 'no-such-archive')"
        )
