# ruff: noqa: F811  (pytest fixtures imported from other test modules)
"""Fix9 breaker on the city's keys: `central enrol --unsigned-until N` released a forgery held
unsigned after the desk's signed archives, and took any number; `enrol --from` and `retire
--from` turned archives already stored, signed with the desk's key, into forgeries; one
public key could be enrolled for two desks. Each is now a usage error that records nothing."""

from __future__ import annotations

import psycopg

from dutydesk.services.central import ingest_paths
from dutydesk.services.central.enrolment import release_enrolled
from dutydesk.services.central.keys import enrol_key
from tests.test_central import server  # noqa: F401  (fixture)
from tests.test_central_keys_rotation import _cli, _statuses, _stored, rotated  # noqa: F401
from tests.test_central_keys_unenrolled import _unsigned, strict  # noqa: F401


def _enrol(url: str, office: str, *args: str):  # noqa: ANN202
    return _cli("enrol", "--url", url, "--office", office, "--by", "王主任", "--reason", "登记",
                *args)  # fmt: skip


def test_an_unsigned_range_may_not_reach_the_desks_first_signed_archive(strict, rotated, tmp_path):
    forged = _unsigned(rotated["old3"], tmp_path)  # a copy of the register without the key
    held = _statuses(strict, [rotated[1], rotated[2], forged], tmp_path / "w")
    assert held == ["quarantined"] * 3
    for until, text in (("1000", "reaches archive 1"), ("1", "reaches archive 1"),
                        ("2147483648", "--unsigned-until")):  # fmt: skip
        refused = _enrol(strict, rotated["office"], "--key", rotated["key1"],
                         "--unsigned-until", until, "--work", str(tmp_path / "w"))  # fmt: skip
        assert refused.exit_code == 2 and text in refused.output, refused.output
    assert _stored(strict) == (0, 3, 0)
    done = _enrol(strict, rotated["office"], "--key", rotated["key1"], "--work", str(tmp_path))
    assert done.exit_code == 0, done.output
    assert _stored(strict)[0] == 2 and "Refused" in done.output, done.output


def test_an_unsigned_range_may_not_pass_what_the_city_has_seen(strict, rotated, tmp_path):
    unsigned = _unsigned(rotated[1], tmp_path)
    assert _statuses(strict, [unsigned], tmp_path / "w") == ["quarantined"]
    refused = _enrol(strict, rotated["office"], "--unsigned-until", "2")
    assert refused.exit_code == 2 and "(1)" in refused.output, refused.output
    assert _stored(strict) == (0, 1, 0)
    done = _enrol(strict, rotated["office"], "--unsigned-until", "1", "--work", str(tmp_path))
    assert done.exit_code == 0 and _stored(strict)[0] == 1, done.output


def test_an_unsigned_held_archive_after_a_signed_one_is_never_released(strict, rotated, tmp_path):
    forged = _unsigned(rotated["old3"], tmp_path)
    assert (
        _statuses(strict, [rotated[1], rotated[2], forged], tmp_path / "w") == ["quarantined"] * 3
    )
    with psycopg.connect(strict) as conn:  # a range recorded before the city checked it
        conn.execute("INSERT INTO desk_key (office_id, kind, public_key, from_number, "
                     "until_number, enrolled_by, reason) VALUES (%s, 'unsigned', NULL, 1, 1000, "
                     "'王主任', '旧版')", (rotated["office"],))  # fmt: skip
    released = release_enrolled(strict, rotated["office"], tmp_path / "w")
    assert [(o.number, o.status) for o in released] == [
        (1, "released"), (2, "released"), (3, "refused")]  # fmt: skip
    assert "已签名的第 1 号" in released[2].reasons[0], released[2].reasons


def test_a_new_key_or_a_retirement_may_not_disown_stored_archives(strict, rotated, tmp_path):
    enrol_key(strict, rotated["office"], rotated["key1"], "王主任", "首次登记")
    stored = [rotated[1], rotated[2], rotated["old3"]]  # all three signed with key 1
    assert _statuses(strict, stored, tmp_path / "w") == ["ingested"] * 3
    refused = _enrol(strict, rotated["office"], "--key", rotated["key2"], "--from", "2")
    assert refused.exit_code == 2, refused.output
    assert f"2 ({rotated[2].name}), 3 ({rotated['old3'].name})" in refused.output, refused.output
    retired = _cli("retire", "--url", strict, "--office", rotated["office"], "--key",
                   rotated["key1"], "--from", "1", "--by", "王主任", "--reason", "失密")  # fmt: skip
    assert retired.exit_code == 2 and f"1 ({rotated[1].name})" in retired.output, retired.output
    other = _enrol(strict, "chain:" + "0" * 64, "--key", rotated["key1"])
    assert other.exit_code == 2 and rotated["office"] in other.output, other.output
    assert _stored(strict) == (3, 0, 1)
    done = _cli("retire", "--url", strict, "--office", rotated["office"], "--key",
                rotated["key1"], "--from", "4", "--by", "王主任", "--reason", "失密")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert _enrol(strict, rotated["office"], "--key", rotated["key2"], "--from", "4").exit_code == 0
    assert [o.status for o in ingest_paths(strict, [rotated[3]], tmp_path / "w")] == ["refused"]


def test_status_lists_every_key_row_of_a_desk(strict, rotated, tmp_path):
    import json

    from dutydesk.services.archive.desk_key import fingerprint
    from dutydesk.services.central.keys import retire_key

    unsigned = _unsigned(rotated[1], tmp_path)
    assert _statuses(strict, [unsigned, rotated[2]], tmp_path / "w") == ["quarantined"] * 2
    enrol_key(strict, rotated["office"], rotated["key1"], "王主任", "登记", unsigned_until=1)
    retire_key(strict, rotated["office"], rotated["key1"], 3, "王主任", "失密")
    enrol_key(strict, rotated["office"], rotated["key2"], "王主任", "换电脑", from_number=3)
    shown = _cli("status", "--url", strict)
    assert shown.exit_code == 0, shown.output
    one, two = fingerprint(rotated["key1"]), fingerprint(rotated["key2"])
    for line in (f"key {one}: signs from archive 2 on", f"key {one}: retired from archive 3 on",
                 f"key {two}: signs from archive 3 on", "archives 1 to 1 may come unsigned"):  # fmt: skip
        assert line in shown.output, shown.output
    listed = _cli("status", "--url", strict, "--json")
    assert listed.exit_code == 0, listed.output
    (desk,) = json.loads(listed.output)
    assert [(k["kind"], k["from_number"], k["until_number"]) for k in desk["keys"]] == [
        ("unsigned", 1, 1), ("key", 2, None), ("retired", 3, None), ("key", 3, None)]  # fmt: skip
