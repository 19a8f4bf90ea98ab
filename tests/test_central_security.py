"""Issue 20, the breaker's finding: the ingest role writes only through the database's checking
functions. Connected as that role, every forgery is refused with nothing stored: an INSERT
into any table (a forged head, an office's name, a schema version), and a call of the
function with links that do not chain or files that are not the manifest's; a genuine
archive is still ingested through the function."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest

from dutydesk.services.archive.archive_manifest import read_archive
from dutydesk.services.central import ingest_paths, init_central
from dutydesk.services.central.store import INGEST, ingest_arguments
from tests.support_central import add_calls, new_desk
from tests.test_central import _counts, server, url  # noqa: F401  (fixtures)

TABLES = ("desk", "archive", "archive_file", "quarantine", "link", "record", "call", "doc")
FORGED_ROWS = {
    "desk": "(office_id) VALUES ('chain:forged')",
    "archive": "(office_id, number, content, name, manifest_sha, created_at, head_seq, "
    "head_hash, office, manifest) VALUES ('chain:forged', 9, 'pack', 'x', 'f', now(), 99, "
    "'forged', '伪造值班室', '{}')",
    "archive_file": "VALUES ('f', 'x', 'pack', '')",
    "quarantine": "(office_id, name, manifest_sha, reason, manifest) VALUES "
    "('chain:forged', 'x', 'f', 'r', '{}')",
    "link": "VALUES ('chain:forged', 1, 'call_record', 1, '', 'h', '')",
    "record": "VALUES ('chain:forged', 'call_record', 1, 1, '{}')",
    "call": "VALUES ('chain:forged', 1, now(), '伪造', NULL)",
    "doc": "VALUES ('chain:forged', 'call_record', 1, now(), '伪造', '{}')",
    "central_version": "VALUES ('c9999')",
    "desk_key": "(office_id, public_key, enrolled_by, reason) VALUES ('chain:forged', 'k', "
    "'x', 'x')",
    "quarantine_signature": "VALUES ('f', '\\x00', now())",
}


@pytest.fixture(scope="module")
def desk_archives(tmp_path_factory):
    """One desk's full snapshot and a pack after it."""
    root = tmp_path_factory.mktemp("forgery")
    desk, person = new_desk(root / "desk.sqlite3", "测试值班室", "tianjin")
    add_calls(desk, person, [("城关镇", "桥下积水")])
    (root / "sent").mkdir()
    from dutydesk.services.archive.export import write_archive

    first = write_archive(desk, root / "sent")
    add_calls(desk, person, [("新华街道", "路灯损坏"), ("城关镇", "积水已退")])
    second = write_archive(desk, root / "sent")
    desk.close()
    return first, second


@pytest.fixture
def as_ingest(url, server):  # noqa: F811
    login = f"ingest_{uuid.uuid4().hex[:8]}"
    server.execute(f"CREATE ROLE {login} LOGIN IN ROLE dutydesk_ingest")
    database = url.split("@/")[1].split("?")[0]
    return server.url(database, user=login)


def _version(target: str) -> list[tuple]:
    with psycopg.connect(target) as conn:
        return conn.execute("SELECT * FROM central_version").fetchall()


@pytest.mark.parametrize("table", sorted(FORGED_ROWS))
def test_the_ingest_role_may_insert_into_no_table(url, as_ingest, table):  # noqa: F811
    before, version = _counts(url), _version(url)
    with psycopg.connect(as_ingest) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f"INSERT INTO {table} {FORGED_ROWS[table]}")  # type: ignore[arg-type]
    assert _counts(url) == before and _version(url) == version
    assert init_central(url) == version[0][0], "init still runs"


def _call(target: str, arguments: tuple) -> None:
    with psycopg.connect(target) as conn:
        conn.execute(INGEST, arguments)


def _arguments(folder: Path, after: int = 0) -> list:
    archive = read_archive(folder)
    assert archive is not None
    data = archive.file_of("snapshot" if after == 0 else "pack")
    assert data is not None
    return list(ingest_arguments(archive, data, after))


LINK = {"seq": 4, "kind": 5, "record": 6, "prev": 7, "hash": 8, "payload": 9}


def _forge_link(arguments: list, column: str, index: int, value) -> list:  # noqa: ANN001
    forged = list(arguments)
    forged[LINK[column]] = list(forged[LINK[column]])
    forged[LINK[column]][index] = value
    return forged


def _forgeries(arguments: list) -> dict[str, list]:
    payload = arguments[LINK["payload"]][-1].replace("桥下积水", "一切正常")
    dropped = [column[:3] + column[4:] if i in LINK.values() or i == 10 else column
               for i, column in enumerate(arguments)]  # fmt: skip
    return {
        "a row edited": _forge_link(arguments, "payload", -1, payload),
        "a hash recomputed alone": _forge_link(arguments, "hash", 3, "0" * 64),
        "a link dropped": dropped,
        "a link renumbered": _forge_link(arguments, "seq", -1, 99),
        "a file not the manifest's": arguments[:3] + [[b"{}"] + arguments[3][1:]] + arguments[4:],
    }


def test_links_that_do_not_chain_are_refused_with_nothing_stored(url, as_ingest, desk_archives):  # noqa: F811
    first, _ = desk_archives
    genuine = _arguments(first)
    for name, forged in _forgeries(genuine).items():
        with pytest.raises(psycopg.errors.RaiseException):
            _call(as_ingest, tuple(forged))
        assert set(_counts(url).values()) == {0}, name
    _call(as_ingest, tuple(genuine))
    assert _counts(url)["archive"] == 1 and _counts(url)["link"] == len(genuine[4])


def test_a_pack_not_continuing_the_head_is_refused(url, as_ingest, desk_archives, tmp_path):  # noqa: F811
    first, second = desk_archives
    genuine = _arguments(second, after=len(_arguments(first)[4]))
    with pytest.raises(psycopg.errors.RaiseException, match="does not continue|first archive"):
        _call(as_ingest, tuple(genuine))  # nothing held yet: a pack cannot start a desk
    assert set(_counts(url).values()) == {0}
    outcomes = ingest_paths(as_ingest, [first, second], tmp_path)
    assert [o.status for o in outcomes] == ["ingested", "ingested"]
    with psycopg.connect(url) as conn:
        heads = conn.execute("SELECT number, head_seq FROM archive ORDER BY number").fetchall()
    assert heads == [(1, len(_arguments(first)[4])), (2, genuine[4][-1])]
