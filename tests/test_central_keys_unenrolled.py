# ruff: noqa: F811  (pytest fixtures imported from other test modules)
"""Issue 20: an archive from a desk the city has no key for was taken unsigned. By default it is
now held ("desk not enrolled", shown by `central status`) and released through the normal check
once the administrator enrols the key (a forgery held meanwhile stays refused). The city may
choose otherwise, explicitly and on record: `central init --accept-unenrolled --by --reason`
for every desk, or `central enrol --unsigned-until N` for one legacy desk's archives made
before signing existed."""

from __future__ import annotations

import shutil
import uuid

import psycopg
import pytest

from dutydesk.services.archive.desk_key import SIGNATURE
from dutydesk.services.central import desk_status, ingest_paths, init_central
from dutydesk.services.central.enrolment import release_enrolled
from dutydesk.services.central.keys import enrol_key
from tests.test_central import server  # noqa: F401  (fixture)
from tests.test_central_keys_rotation import _cli, _statuses, _stored, rotated  # noqa: F401


@pytest.fixture
def strict(server):  # noqa: F811
    """A new central database as `central init` leaves it: no choice recorded."""
    made = server.create_database(f"central_{uuid.uuid4().hex[:12]}")
    init_central(made)
    return made


def test_an_archive_of_a_desk_never_enrolled_is_held_and_status_says_why(strict, rotated, tmp_path):
    (held,) = ingest_paths(strict, [rotated[1]], tmp_path)
    assert held.status == "quarantined" and "值班台未登记" in held.reasons[0], held.reasons
    assert _stored(strict) == (0, 1, 0)
    (status,) = desk_status(strict)
    assert [h.number for h in status.held] == [1] and status.key is None
    shown = _cli("status", "--url", strict)
    assert shown.exit_code == 0, shown.output
    assert "Desk not enrolled" in shown.output and "held until" in shown.output


def test_enrolling_the_key_releases_the_held_archives_through_the_normal_check(
    strict,
    rotated,
    tmp_path,
):
    assert _statuses(strict, [rotated[1], rotated[2]], tmp_path) == ["quarantined"] * 2
    done = _cli("enrol", "--url", strict, "--office", rotated["office"], "--key",
                rotated["key1"], "--by", "王主任", "--reason", "首次登记", "--work",
                str(tmp_path))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.output.count("Ingested (held until now)") == 2, done.output
    (status,) = desk_status(strict)
    assert status.newest_number == 2 and not status.held


def test_a_forgery_held_before_enrolment_stays_refused(strict, rotated, tmp_path):
    held = _statuses(strict, [rotated[1], rotated[2], rotated["old3"]], tmp_path)
    assert held == ["quarantined"] * 3
    enrol_key(strict, rotated["office"], rotated["key1"], "王主任", "首次登记")
    enrol_key(strict, rotated["office"], rotated["key2"], "王主任", "换电脑", from_number=3)
    released = release_enrolled(strict, rotated["office"], tmp_path)
    assert [(o.number, o.status) for o in released] == [
        (1, "released"), (2, "released"), (3, "refused")]  # fmt: skip
    assert _stored(strict)[0] == 2
    assert _statuses(strict, [rotated[3]], tmp_path) == ["ingested"]


def _unsigned(folder, tmp_path):  # noqa: ANN001, ANN202
    target = tmp_path / "unsigned" / folder.name
    shutil.copytree(folder, target)
    (target / SIGNATURE).unlink()
    return target


def test_a_legacy_desks_unsigned_archives_are_taken_up_to_the_number_stated(
    strict,
    rotated,
    tmp_path,
):
    first, second = _unsigned(rotated[1], tmp_path), _unsigned(rotated[2], tmp_path)
    assert _statuses(strict, [first], tmp_path / "w") == ["quarantined"]  # not enrolled yet
    done = _cli("enrol", "--url", strict, "--office", rotated["office"], "--unsigned-until", "1",
                "--key", rotated["key1"], "--by", "王主任", "--reason", "启用签名前的归档",
                "--work", str(tmp_path / "w"))  # fmt: skip
    assert done.exit_code == 0 and "archives 1 to 1 may come unsigned" in done.output, done.output
    assert "Ingested (held until now)" in done.output, done.output
    (refused,) = ingest_paths(strict, [second], tmp_path / "w")
    assert refused.status == "refused" and SIGNATURE in refused.reasons[0]
    assert _statuses(strict, [rotated[2]], tmp_path / "w") == ["ingested"]


def _choices(url: str) -> list[tuple[str, str]]:  # noqa: F811
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT value, set_by FROM central_setting ORDER BY id").fetchall()
    return [(str(value), str(by)) for value, by in rows]


def test_the_citys_choice_for_unenrolled_desks_is_explicit_and_recorded(strict, rotated, tmp_path):
    for args, text in (
        (["--accept-unenrolled"], "--by NAME"),
        (
            ["--accept-unenrolled", "--hold-unenrolled", "--by", "王主任", "--reason", "x"],
            "not both",
        ),
    ):
        refused = _cli("init", "--url", strict, *args)
        assert refused.exit_code == 2 and text in refused.output, refused.output
    assert _choices(strict) == []
    done = _cli("init", "--url", strict, "--accept-unenrolled", "--by", "王主任", "--reason",
                "各台早于签名功能")  # fmt: skip
    assert done.exit_code == 0 and "taken unsigned" in done.output, done.output
    assert _statuses(strict, [_unsigned(rotated[1], tmp_path)], tmp_path / "w") == ["ingested"]
    done = _cli("init", "--url", strict, "--hold-unenrolled", "--by", "王主任", "--reason", "收紧")
    assert done.exit_code == 0, done.output
    assert _choices(strict) == [("accept", "王主任"), ("hold", "王主任")]
    assert _statuses(strict, [rotated[2]], tmp_path / "w") == ["quarantined"]


def test_only_the_administrator_may_record_the_choice_and_it_is_never_changed(
    strict, server, rotated
):
    from dutydesk.errors import DutyError
    from dutydesk.services.central.enrolment import set_unenrolled
    from dutydesk.services.central.keys import retire_key

    login = f"ingest_{uuid.uuid4().hex[:8]}"
    server.execute(f"CREATE ROLE {login} LOGIN IN ROLE dutydesk_ingest")
    as_ingest = server.url(strict.split("@/")[1].split("?")[0], user=login)
    for attempt in (
        lambda: set_unenrolled(as_ingest, True, "王主任", "采集账号不可"),
        lambda: enrol_key(as_ingest, rotated["office"], None, "王主任", "旧版", unsigned_until=9),
        lambda: retire_key(as_ingest, rotated["office"], rotated["key1"], 1, "王主任", "x"),
    ):
        with pytest.raises(DutyError) as raised:
            attempt()
        assert raised.value.key in ("central.enrol_not_allowed", "central.retire_unknown_key")
    set_unenrolled(strict, False, "王主任", "默认暂存")
    with psycopg.connect(strict) as conn:
        for statement in ("UPDATE central_setting SET value = 'accept'",
                          "DELETE FROM central_setting", "TRUNCATE central_setting"):  # fmt: skip
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute(statement)  # type: ignore[arg-type]
            conn.rollback()
    assert _choices(strict) == [("hold", "王主任")] and _stored(strict)[2] == 0
