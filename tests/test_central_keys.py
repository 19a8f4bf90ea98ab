"""Issue 20, breaker #4: each desk signs its archives' manifests with a key kept beside its
register (never in it, never in an archive); the city enrols the desk's public key out of band
and then refuses an archive of that desk that is unsigned, signed by another key, or whose
manifest changed after signing, with the reason and nothing stored. A fabricated continuation
written from a copy of the register (without the key file) is refused, so the genuine pack
that follows is ingested, not held as a conflict."""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat

import psycopg
import pytest
from typer.testing import CliRunner

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_manifest import read_archive
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.desk_key import SIGNATURE, fingerprint, key_path, public_key
from dutydesk.services.archive.export import write_archive
from dutydesk.services.central import desk_status, ingest_paths
from dutydesk.services.central.keys import enrol_key
from tests.support_central import add_calls, at, new_desk
from tests.test_central import server, url  # noqa: F401  (fixtures)
from tests.test_central_security import as_ingest  # noqa: F401  (fixture)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """A desk's archive 1; then a copy of its register (no key file: the key stays with the
    desk) writes a fabricated archive 2, and the genuine desk its own archive 2."""
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.roster.people import find_person

    root = tmp_path_factory.mktemp("keys")
    register, person = new_desk(root / "desk.sqlite3", "测试值班室", "tianjin")
    add_calls(register, person, [("城关镇", "桥下积水")])
    for folder in ("genuine", "forged"):
        (root / folder).mkdir()
    first = write_archive(register, root / "genuine")
    register.close()
    shutil.copy(root / "desk.sqlite3", root / "copy.sqlite3")
    shutil.copytree(first, root / "forged" / first.name)
    made = {"root": root, "first": first, "register": root / "desk.sqlite3"}
    for name, path, summary in (("forged", "copy.sqlite3", "伪造的记录"),
                                ("genuine", "desk.sqlite3", "真的记录")):  # fmt: skip
        opened = open_desk(root / path, FrozenClock(at("2026-11-23T12:00")))
        add_calls(opened, find_person(opened, "张伟"), [("新华街道", summary)])
        made[name] = write_archive(opened, root / name)
        opened.close()
    return made


def _office_id(folder) -> str:  # noqa: ANN001
    archive = read_archive(folder)
    assert archive is not None
    return str(archive.manifest["office_id"])


def _enrol(url: str, desk: dict) -> None:  # noqa: F811
    enrol_key(url, _office_id(desk["first"]), public_key(desk["register"]), "王主任", "首次登记")


def _stored(url: str) -> tuple[int, int]:  # noqa: F811
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT (SELECT count(*) FROM archive), "
                           "(SELECT count(*) FROM quarantine)").fetchone()  # fmt: skip
    assert row is not None
    return int(row[0]), int(row[1])


def test_the_key_is_kept_beside_the_register_and_every_manifest_is_signed(desk):
    key = key_path(desk["register"])
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600
    signed = json.loads((desk["genuine"] / SIGNATURE).read_text())
    assert signed["algorithm"] == "ed25519"
    assert signed["public_key"] == public_key(desk["register"])
    assert key.read_bytes() not in (desk["genuine"] / SIGNATURE).read_bytes()
    assert verify_archives(desk["root"] / "genuine").ok  # the signature is no unexpected file
    copy_signed = json.loads((desk["forged"] / SIGNATURE).read_text())
    assert copy_signed["public_key"] != signed["public_key"]  # the copy made its own key


def test_a_fabricated_continuation_is_refused_and_the_genuine_one_taken(url, desk, tmp_path):  # noqa: F811
    _enrol(url, desk)
    first = ingest_paths(url, [desk["first"]], tmp_path)
    assert [o.status for o in first] == ["ingested"]
    forged = ingest_paths(url, [desk["forged"]], tmp_path)
    assert [o.status for o in forged] == ["refused"]
    enrolled = fingerprint(public_key(desk["register"]))
    signer = fingerprint(json.loads((desk["forged"] / SIGNATURE).read_text())["public_key"])
    assert enrolled in forged[0].reasons[0] and signer in forged[0].reasons[0]
    assert _stored(url) == (1, 0)  # nothing of it stored, not even in quarantine
    genuine = ingest_paths(url, [desk["genuine"]], tmp_path)
    assert [o.status for o in genuine] == ["ingested"]  # not held as a conflict
    (status,) = desk_status(url)
    assert status.newest_number == 2 and not status.conflicts


def _copy(folder, tmp_path, name: str):  # noqa: ANN001, ANN202
    target = tmp_path / name / folder.name
    shutil.copytree(folder, target)
    return target


def test_unsigned_and_badly_signed_packs_are_refused_with_the_reason(url, desk, tmp_path):  # noqa: F811
    _enrol(url, desk)
    assert [o.status for o in ingest_paths(url, [desk["first"]], tmp_path / "w")] == ["ingested"]
    unsigned = _copy(desk["genuine"], tmp_path, "unsigned")
    (unsigned / SIGNATURE).unlink()
    flipped = _copy(desk["genuine"], tmp_path, "flipped")
    signed = json.loads((flipped / SIGNATURE).read_text())
    raw = bytearray(base64.b64decode(signed["signature"]))
    raw[0] ^= 1
    signed["signature"] = base64.b64encode(bytes(raw)).decode()
    (flipped / SIGNATURE).write_text(json.dumps(signed))
    for folder, key in ((unsigned, "manifest.sig"), (flipped, fingerprint(signed["public_key"]))):
        (outcome,) = ingest_paths(url, [folder], tmp_path / "w")
        assert outcome.status == "refused" and key in outcome.reasons[0], outcome.reasons
    assert _stored(url) == (1, 0)


def test_a_desk_never_enrolled_is_taken_unsigned_where_the_city_chose_so(url, desk, tmp_path):  # noqa: F811
    """`url` records `--accept-unenrolled` (tests/test_central.py); the default holds them:
    tests/test_central_keys_unenrolled.py."""
    unsigned = _copy(desk["first"], tmp_path, "unsigned")
    (unsigned / SIGNATURE).unlink()
    assert [o.status for o in ingest_paths(url, [unsigned], tmp_path / "w")] == ["ingested"]


def test_only_the_administrator_may_enrol_and_bad_input_changes_nothing(url, as_ingest, desk):  # noqa: F811
    office, key = _office_id(desk["first"]), public_key(desk["register"])
    for target, args, error in (
        (as_ingest, (office, key, "王主任", "首次登记"), "central.enrol_not_allowed"),
        (url, ("chain:abc", key, "王主任", "首次登记"), "central.enrol_bad_office"),
        (url, (office, "bm90IGEga2V5", "王主任", "首次登记"), "central.enrol_bad_key"),
    ):
        with pytest.raises(DutyError) as raised:
            enrol_key(target, *args)
        assert raised.value.key == error
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM desk_key").fetchone() == (0,)
        with pytest.raises(psycopg.errors.RaiseException):
            conn.execute("TRUNCATE desk_key")


def test_the_cli_shows_the_desks_key_and_the_city_enrols_it(url, desk):  # noqa: F811
    from dutydesk.cli.main import build_app

    runner = CliRunner()
    shown = runner.invoke(build_app(), ["central", "key", "--db", str(desk["register"]), "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["office_id"] == _office_id(desk["first"])
    assert data["key"] == public_key(desk["register"]) and os.path.isfile(data["path"])
    plain = runner.invoke(build_app(), ["--lang", "en", "central", "key", "--db",
                                        str(desk["register"])])  # fmt: skip
    assert plain.exit_code == 0 and f"Public key: {data['key']}" in plain.output
    enrolled = runner.invoke(build_app(), ["central", "enrol", "--url", url, "--office",
                                           data["office_id"], "--key", data["key"], "--by",
                                           "王主任", "--reason", "首次登记", "--json"])  # fmt: skip
    assert enrolled.exit_code == 0, enrolled.output
    assert json.loads(enrolled.output)["fingerprint"] == data["fingerprint"]
