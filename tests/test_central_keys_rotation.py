"""Issue 20, breaker #8 (session 8): after a desk's key is replaced, a genuine archive signed
with the OLD key before the rotation and arriving late was refused. Each enrolled key now
applies from an archive number on: an archive is checked against the key in force for its
number; an archive signed with the old key from the rotation number on is refused; held
archives are released each against the key of its own number; a retired (compromised) key is
refused from the number stated. Bad option combinations are usage errors and store nothing."""

from __future__ import annotations

import json
import shutil
import uuid

import psycopg
import pytest
from typer.testing import CliRunner

from dutydesk.services.archive.desk_key import SIGNATURE, fingerprint, key_path, public_key
from dutydesk.services.archive.export import write_archive
from dutydesk.services.central import desk_status, ingest_paths, init_central
from dutydesk.services.central.enrolment import release_enrolled
from dutydesk.services.central.keys import enrol_key, retire_key
from tests.support_central import add_calls, at, new_desk
from tests.test_central import server, url  # noqa: F401  (fixtures)


def _reopen(path, when: str):  # noqa: ANN001, ANN202
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.roster.people import find_person

    opened = open_desk(path, FrozenClock(at(when)))
    return opened, find_person(opened, "张伟")


@pytest.fixture(scope="module")
def rotated(tmp_path_factory):
    """A desk's archives 1 and 2 signed with key 1; a copy of the register WITH key 1 (a
    compromised key) writes an archive 3; the desk, its key file replaced, writes its genuine
    archive 3 with key 2."""
    root = tmp_path_factory.mktemp("rotation")
    register, person = new_desk(root / "desk.sqlite3", "轮换值班室", "tianjin")
    made = {"root": root}
    for folder in ("genuine", "old"):
        (root / folder).mkdir()
    for number, summary in ((1, "桥下积水"), (2, "路灯损坏")):
        add_calls(register, person, [("城关镇", summary)])
        made[number] = write_archive(register, root / "genuine")
    register.close()
    made["key1"] = public_key(root / "desk.sqlite3")
    for suffix in ("", ".key"):
        shutil.copy(root / f"desk.sqlite3{suffix}", root / f"old.sqlite3{suffix}")
    old, person = _reopen(root / "old.sqlite3", "2026-11-23T12:00")
    add_calls(old, person, [("新华街道", "用旧密钥伪造")])
    made["old3"] = write_archive(old, root / "old")
    old.close()
    key_path(root / "desk.sqlite3").rename(root / "key1.retired")  # a new computer: a new key
    desk, person = _reopen(root / "desk.sqlite3", "2026-11-23T12:00")
    add_calls(desk, person, [("新华街道", "真的记录")])
    made[3] = write_archive(desk, root / "genuine")
    desk.close()
    made["key2"] = public_key(root / "desk.sqlite3")
    made["office"] = json.loads((made[1] / "manifest.json").read_text())["office_id"]
    return made


def _key1(url: str, made: dict) -> None:  # noqa: F811
    enrol_key(url, made["office"], made["key1"], "王主任", "首次登记")


def _key2(url: str, made: dict) -> None:  # noqa: F811
    enrol_key(url, made["office"], made["key2"], "王主任", "更换电脑", from_number=3)


def _statuses(url: str, folders: list, work) -> list[str]:  # noqa: ANN001, F811
    return [o.status for o in ingest_paths(url, folders, work)]


def _stored(url: str) -> tuple[int, int, int]:  # noqa: F811
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT (SELECT count(*) FROM archive), (SELECT count(*) FROM "
                           "quarantine), (SELECT count(*) FROM desk_key)").fetchone()  # fmt: skip
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def test_the_fixture_signs_with_two_keys(rotated):
    signer = {n: json.loads((rotated[n] / SIGNATURE).read_text())["public_key"] for n in (1, 2, 3)}
    assert signer[1] == signer[2] == rotated["key1"] != signer[3] == rotated["key2"]
    old = json.loads((rotated["old3"] / SIGNATURE).read_text())["public_key"]
    assert old == rotated["key1"]


def test_an_archive_signed_with_the_old_key_before_the_rotation_is_taken_late(
    url,  # noqa: F811
    rotated,
    tmp_path,
):
    _key1(url, rotated)
    assert _statuses(url, [rotated[1]], tmp_path) == ["ingested"]
    _key2(url, rotated)
    assert _statuses(url, [rotated[3]], tmp_path) == ["quarantined"]  # 2 not arrived yet
    late = ingest_paths(url, [rotated[2]], tmp_path)  # signed with key 1, before the rotation
    assert [o.status for o in late] == ["ingested", "released"], [o.reasons for o in late]
    (status,) = desk_status(url)
    assert status.newest_number == 3 and not status.held
    assert status.key is not None and status.key.fingerprint == fingerprint(rotated["key2"])
    assert status.key.from_number == 3


def test_the_old_key_after_the_rotation_is_refused_with_nothing_stored(url, rotated, tmp_path):  # noqa: F811
    _key1(url, rotated)
    assert _statuses(url, [rotated[1], rotated[2]], tmp_path) == ["ingested", "ingested"]
    _key2(url, rotated)
    (refused,) = ingest_paths(url, [rotated["old3"]], tmp_path)
    assert refused.status == "refused"
    reason = refused.reasons[0]
    assert fingerprint(rotated["key1"]) in reason and fingerprint(rotated["key2"]) in reason
    assert _stored(url) == (2, 0, 2)
    assert _statuses(url, [rotated[3]], tmp_path) == ["ingested"]  # not held as a conflict


def test_held_archives_are_released_each_against_the_key_of_its_number(url, rotated, tmp_path):  # noqa: F811
    assert _statuses(url, [rotated[2], rotated[3]], tmp_path) == ["quarantined"] * 2
    _key1(url, rotated)
    _key2(url, rotated)
    first = ingest_paths(url, [rotated[1]], tmp_path)
    assert [o.status for o in first] == ["ingested", "released", "released"]
    assert [o.number for o in first] == [1, 2, 3]


def test_a_retired_key_is_refused_from_the_number_stated(url, rotated, tmp_path):  # noqa: F811
    _key1(url, rotated)
    assert _statuses(url, [rotated[1]], tmp_path) == ["ingested"]
    retired = retire_key(url, rotated["office"], fingerprint(rotated["key1"]), 2, "王主任",
                         "旧电脑丢失")  # fmt: skip
    assert retired.kind == "retired" and retired.from_number == 2
    (refused,) = ingest_paths(url, [rotated[2]], tmp_path)
    assert refused.status == "refused" and fingerprint(rotated["key1"]) in refused.reasons[0]
    assert "2" in refused.reasons[0] and _stored(url)[:2] == (1, 0)
    _key2_from_2 = enrol_key(url, rotated["office"], rotated["key2"], "王主任", "换新密钥",
                             from_number=2)  # fmt: skip
    assert _key2_from_2.from_number == 2
    assert _statuses(url, [rotated[2]], tmp_path) == ["refused"]  # still signed by key 1


def _cli(*args: str):  # noqa: ANN202
    from dutydesk.cli.main import build_app

    return CliRunner().invoke(build_app(), ["--lang", "en", "central", *args])


def test_a_second_key_without_from_is_a_usage_error_and_stores_nothing(url, rotated):  # noqa: F811
    _key1(url, rotated)
    common = ["--url", url, "--office", rotated["office"], "--by", "王主任", "--reason", "更换"]
    for extra, text in (
        (["--key", rotated["key2"]], "--from N"),
        (["--key", rotated["key2"], "--from", "0"], "--from"),
        (["--key", rotated["key2"], "--from", "2", "--unsigned-until", "2"], "--unsigned-until 2"),
        (["--from", "3"], "--key"),
        ([], "--unsigned-until N"),
    ):
        done = _cli("enrol", *common, *extra)
        assert done.exit_code == 2 and text in done.output, (extra, done.output)
    retired = _cli("retire", *common, "--key", "0123456789abcdef", "--from", "2")
    assert retired.exit_code == 1 and "No key enrolled" in retired.output
    assert _stored(url)[2] == 1
    done = _cli("enrol", *common, "--key", rotated["key2"], "--from", "3", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["from_number"] == 3


def test_a_desks_first_key_applies_from_archive_one(server, rotated):  # noqa: F811
    """No --from for a first key: from archive 1 (as a row enrolled before c0010 reads)."""
    made = server.create_database(f"central_{uuid.uuid4().hex[:12]}")
    init_central(made)
    _key1(made, rotated)
    with psycopg.connect(made) as conn:
        assert conn.execute("SELECT from_number, kind FROM desk_key").fetchall() == [(1, "key")]
    assert release_enrolled(made, rotated["office"], rotated["root"] / "w") == []


def test_the_desk_shows_from_which_number_its_new_key_signs(rotated):
    shown = _cli("key", "--db", str(rotated["root"] / "desk.sqlite3"), "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["key"] == rotated["key2"] and data["from_number"] == 3
    plain = _cli("key", "--db", str(rotated["root"] / "desk.sqlite3"))
    assert "--from 3" in plain.output, plain.output
