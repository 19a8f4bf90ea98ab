"""Issue 20, breaker #3: an archive held in quarantine before its desk was enrolled keeps its
signature (manifest.sig) at the city and is checked again, against the key in force, when it
is released: a pack a copy of the register signed with its own key, held for a gap before the
city enrolled the desk's real key, stays refused with the reason (status shows it) once the
missing genuine pack arrives; the genuine desk's own held pack is released."""

from __future__ import annotations

import json

import psycopg

from dutydesk.services.archive.desk_key import SIGNATURE, fingerprint, public_key
from dutydesk.services.central import desk_status, ingest_paths
from tests.test_central import server, url  # noqa: F401  (fixtures)
from tests.test_central_keys import _enrol, desk  # noqa: F401  (fixture)
from tests.test_central_security import as_ingest  # noqa: F401  (fixture)


def _archives(url: str) -> int:  # noqa: F811
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM archive").fetchone()
    assert row is not None
    return int(row[0])


def test_a_forged_pack_held_before_enrolment_is_refused_when_released(url, desk, tmp_path):  # noqa: F811
    held = ingest_paths(url, [desk["forged"]], tmp_path)
    assert [o.status for o in held] == ["quarantined"]  # nothing before it yet: held for a gap
    _enrol(url, desk)
    first = ingest_paths(url, [desk["first"]], tmp_path)
    assert [o.status for o in first] == ["ingested", "refused"]
    signer = fingerprint(json.loads((desk["forged"] / SIGNATURE).read_text())["public_key"])
    enrolled = fingerprint(public_key(desk["register"]))
    assert signer in first[1].reasons[0] and enrolled in first[1].reasons[0], first[1].reasons
    assert _archives(url) == 1  # the forged pack was not taken
    (status,) = desk_status(url)
    assert status.newest_number == 1
    assert [h.number for h in status.held] == [2] and signer in status.held[0].reason
    genuine = ingest_paths(url, [desk["genuine"]], tmp_path)
    assert [o.status for o in genuine] == ["ingested"]
    assert _archives(url) == 2


def test_a_genuine_held_pack_is_released_by_its_kept_signature(url, as_ingest, desk, tmp_path):  # noqa: F811
    held = ingest_paths(as_ingest, [desk["genuine"]], tmp_path)  # as the ingest role
    assert [o.status for o in held] == ["quarantined"]
    with psycopg.connect(url) as conn:
        kept = conn.execute("SELECT signature FROM quarantine_signature").fetchall()
    assert [bytes(row[0]) for row in kept] == [(desk["genuine"] / SIGNATURE).read_bytes()]
    _enrol(url, desk)
    first = ingest_paths(as_ingest, [desk["first"]], tmp_path)
    assert [o.status for o in first] == ["ingested", "released"], [o.reasons for o in first]
    (status,) = desk_status(url)
    assert status.newest_number == 2 and not status.held


def test_a_held_pack_without_a_signature_is_refused_once_the_desk_is_enrolled(url, desk, tmp_path):  # noqa: F811
    import shutil

    unsigned = tmp_path / "unsigned" / desk["genuine"].name
    shutil.copytree(desk["genuine"], unsigned)
    (unsigned / SIGNATURE).unlink()
    assert [o.status for o in ingest_paths(url, [unsigned], tmp_path / "w")] == ["quarantined"]
    _enrol(url, desk)
    first = ingest_paths(url, [desk["first"]], tmp_path / "w")
    assert [o.status for o in first] == ["ingested", "refused"]
    assert SIGNATURE in first[1].reasons[0]
    assert _archives(url) == 1
