"""Issue 20: a manifest whose identity fields were edited (its file digests recomputed, so it
verifies in itself) is refused whole, naming the field, and the desk's genuine archive is
then ingested as if the forgery had never come."""

from __future__ import annotations

import shutil

import pytest

from dutydesk.services.central import ingest_paths
from tests.support_packs import rewrite_manifest
from tests.test_central import PROFILES, _counts, desks, server, url  # noqa: F401  (fixtures)

EDITS = {
    "office": lambda m: m.update(office="伪造值班室"),
    "profile.id": lambda m: m.update(profile={**m["profile"], "id": "henan"}),
}


@pytest.mark.parametrize(("field", "number"), [("office", 2), ("profile.id", 2), ("office", 1)])
def test_an_edited_identity_field_is_refused_naming_it(url, desks, tmp_path, field, number):  # noqa: F811
    archives = desks["tianjin"]["archives"]
    forged = tmp_path / "forged" / archives[number - 1].name
    shutil.copytree(archives[number - 1], forged)
    rewrite_manifest(forged, EDITS[field])
    ingest_paths(url, archives[: number - 1], tmp_path / "work")
    before = _counts(url)
    (outcome,) = ingest_paths(url, [forged], tmp_path / "work")
    assert outcome.status == "refused"
    assert any(field in reason and "伪造" not in field for reason in outcome.reasons)
    assert _counts(url) == before, "nothing of it stored"
    rest = ingest_paths(url, archives[number - 1 :], tmp_path / "work")
    assert [o.status for o in rest] == ["ingested"] * len(rest), "the genuine one is not blocked"
    status = __import__("dutydesk.services.central", fromlist=["x"]).desk_status(url)
    assert [d.office for d in status] == [PROFILES["tianjin"]]


def test_an_edited_copy_held_before_the_genuine_one_does_not_block_it(url, desks, tmp_path):  # noqa: F811
    archives = desks["tianjin"]["archives"]
    forged = tmp_path / "forged" / archives[1].name
    shutil.copytree(archives[1], forged)
    rewrite_manifest(forged, EDITS["office"])
    held = ingest_paths(url, [forged, archives[1], archives[2]], tmp_path / "work")
    # the edit breaks the desk's signature on the manifest: refused at once, never held
    assert [o.status for o in held] == ["refused", "quarantined", "quarantined"]
    released = ingest_paths(url, [archives[0]], tmp_path / "work")
    assert [(o.status, o.archive) for o in released] == [
        ("ingested", archives[0].name),
        ("released", archives[1].name), ("released", archives[2].name)]  # fmt: skip
