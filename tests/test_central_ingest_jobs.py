"""Issue 20, ingest throughput: several desks ingested at once (`central ingest --jobs N`) store
exactly what one at a time stores, and the columns sent as array literals reach the database
as psycopg's own array dumper sends them, hostile text included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest

from dutydesk.services.central import ingest_paths
from dutydesk.services.central.store import array_literal
from tests.test_central import _counts, desks, server, url  # noqa: F401  (fixtures)

STORED = {
    "link": "SELECT office_id, seq, kind, record_id, prev_hash, hash FROM link ORDER BY 1, 2",
    "record": "SELECT office_id, seq, data::text FROM record ORDER BY 1, 2",
    "doc": "SELECT office_id, kind, record_id, at, body, grams FROM doc ORDER BY 1, 2, 3",
    "archive": "SELECT office_id, number, manifest_sha, head_seq FROM archive ORDER BY 1, 2",
}


def _stored(target: str) -> dict[str, list[tuple]]:
    with psycopg.connect(target) as conn:
        return {name: conn.execute(query).fetchall() for name, query in STORED.items()}  # type: ignore[arg-type]


def test_desks_ingested_at_once_store_what_one_at_a_time_stores(server, desks, tmp_path):  # noqa: F811
    from dutydesk.services.central import init_central
    from dutydesk.services.central.enrolment import set_unenrolled

    newest_first = [a for d in desks.values() for a in reversed(d["archives"])]
    targets = []
    for jobs in (1, 3):
        target = server.create_database(f"central_jobs_{jobs}_{tmp_path.name[-8:]}")
        init_central(target)
        set_unenrolled(
            target, True, "王主任", "各台早于签名功能"
        )  # the fixture's desks have no keys
        outcomes = ingest_paths(target, newest_first, tmp_path / f"work{jobs}", jobs=jobs)
        targets.append(
            (target, [(o.archive, o.office, o.number, o.status, o.rows) for o in outcomes])
        )
    (one, in_turn), (three, at_once) = targets
    assert at_once == in_turn
    assert {status for *_, status, _ in at_once} == {"ingested"} and len(at_once) == 9
    assert _stored(three) == _stored(one)
    assert _counts(three)["doc"] > 0 and _counts(three) == _counts(one)


def test_a_refused_archive_is_reported_from_its_desks_process(url, desks, tmp_path):  # noqa: F811
    archives = {profile: d["archives"] for profile, d in desks.items()}
    pack = archives["henan"][1]
    outcomes = ingest_paths(url, [archives["tianjin"][0], pack], tmp_path, jobs=2)
    by_archive = {o.archive: o for o in outcomes}
    assert by_archive[archives["tianjin"][0].name].status == "ingested"
    assert by_archive[pack.name].status == "quarantined"  # no full snapshot of Henan yet
    assert by_archive[pack.name].reasons, "the reason comes back from the worker process"


HOSTILE = ['a"b', "c\\d", "{x,y}", "NULL", None, "", " sp ", "\n\t", '张"\\"', '\\"', '"', "\\",
           "}{", "'", "a,b", "\u202e反向", "😀 表情"]  # fmt: skip


@pytest.mark.parametrize(("kind", "values"), [
    ("text[]", HOSTILE),
    ("bigint[]", [1, None, -5, 2**62]),
    ("timestamptz[]", [datetime(2026, 1, 1, 10, 0), None,
                       datetime(2026, 1, 1, 2, 0, 0, 123, tzinfo=UTC),
                       datetime(2026, 6, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))]),
    ("text[]", []),
])  # fmt: skip
def test_an_array_literal_reaches_the_server_as_the_driver_sends_the_list(url, kind, values):  # noqa: F811
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET TIME ZONE 'Asia/Shanghai'")
        query = f"SELECT %s::{kind}"
        as_list = conn.execute(query, (values,), binary=True).fetchone()  # type: ignore[arg-type]
        as_literal = conn.execute(query, (array_literal(values),), binary=True).fetchone()  # type: ignore[arg-type]
    assert as_literal == as_list
    assert as_literal is not None and len(as_literal[0] or []) == len(values)


def test_rows_read_ahead_are_read_again_if_the_pack_changed_since(desks, tmp_path):  # noqa: F811
    import shutil
    import sqlite3
    from contextlib import closing

    from dutydesk.services.archive.archive_manifest import read_archive
    from dutydesk.services.central.store import Prepared, ingest_arguments

    folder = shutil.copytree(desks["tianjin"]["archives"][2], tmp_path / "pack")
    archive = read_archive(folder)
    assert archive is not None and archive.content != "full_snapshot"
    data = archive.file_of("pack")
    assert data is not None
    after = int(archive.base["seq"])
    prepared = Prepared([archive])
    try:
        ahead = prepared.arguments(archive, data, after)
        assert ahead == ingest_arguments(archive, data, after)
        with closing(sqlite3.connect(data)) as conn, conn:
            conn.execute("UPDATE call_record SET summary = '改过的内容' WHERE id = "
                         "(SELECT max(id) FROM call_record)")  # fmt: skip
        again = prepared.arguments(archive, data, after)
    finally:
        prepared.close()
    assert again != ahead and any("改过的内容" in payload for payload in again[9])


def test_the_command_takes_jobs_and_refuses_none(url, desks, tmp_path):  # noqa: F811
    import json

    from tests.test_central import _cli

    folders = [str(d["archives"][0]) for d in desks.values()]
    done = _cli("central", "ingest", *folders, "--url", url, "--work", str(tmp_path), "--jobs",
                "2", "--json")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert [o["status"] for o in json.loads(done.output)] == ["ingested"] * 3
    none = _cli("central", "ingest", *folders, "--url", url, "--jobs", "0")
    assert none.exit_code != 0 and "--jobs" in none.output


def test_the_archives_files_go_to_the_server_in_binary():
    """A list of bytes after a `%s` went through psycopg's text array dumper: every file as hex,
    escaped by a regular expression (a 49 MB quarterly snapshot: ~100 MB of text, most of its
    ingest). The files' argument is sent in binary, whatever psycopg would choose."""
    from psycopg import pq
    from psycopg._queries import PostgresQuery
    from psycopg.adapt import Transformer

    from dutydesk.services.central.store import HOLD, HOLD_TYPES, INGEST, INGEST_TYPES

    for query, types in ((INGEST, INGEST_TYPES), (HOLD, HOLD_TYPES)):
        converted = PostgresQuery(Transformer())
        arguments = [[b'\\x00"\\\\' * 3] if kind == "bytea[]" else None for kind in types]
        converted.convert(query, arguments)
        files = types.index("bytea[]")
        assert converted.formats is not None
        assert converted.formats[files] == pq.Format.BINARY
