"""Issue 16 breaker findings, item 3: `verify DIR` checks each archive's manifest.sig, that the
signing key stays the same along the folder, and the manifest fields the rows or the folder
give (shift.slot, kind, handover, full_base)."""

from __future__ import annotations

import pytest

from dutydesk.services.archive.archive_manifest import MANIFEST
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.desk_key import SIGNATURE, sign_manifest
from tests.support_packs import rewrite_manifest
from tests.test_archive_packs import folder  # noqa: F401  (fixture)
from tests.test_handover_domain import ready  # noqa: F401  (fixture)


def _keys(report, key: str) -> list[str]:  # noqa: ANN001
    return [p.where for p in report.problems if p.key == f"archive_check.{key}"]


def _fields(report) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(p.where, p.params.get("field")) for p in report.problems if "field" in p.params]


@pytest.mark.parametrize("which", [0, 1, 2])
def test_a_manifest_edited_after_signing_fails_naming_it(folder, which):  # noqa: F811
    _desk, archives = folder
    rewrite_manifest(archives[which], lambda m: m.update(full_snapshot_days=9999))
    report = verify_archives(archives[0].parent)
    assert _keys(report, "signature_bad") == [archives[which].name]


def test_a_removed_signature_after_signed_ones_fails(folder):  # noqa: F811
    _desk, archives = folder
    (archives[2] / SIGNATURE).unlink()
    rewrite_manifest(archives[2], lambda m: m.update(omitted=[]))
    report = verify_archives(archives[0].parent)
    assert _keys(report, "unsigned_after_signed") == [archives[2].name]


def test_a_change_of_signing_key_is_reported_naming_the_archive(folder, tmp_path):  # noqa: F811
    _desk, archives = folder
    other = tmp_path / "other.sqlite3"  # another register's key file beside it
    sign_manifest(other, archives[2], (archives[2] / MANIFEST).read_bytes())
    report = verify_archives(archives[0].parent)
    assert _keys(report, "signer_changed") == [archives[2].name]
    assert _keys(report, "signature_bad") == []
    lone = verify_archives(archives[2])  # alone, a good signature by any key passes
    assert _keys(lone, "signature_bad") == []


EDITS = {
    "shift.slot": (0, lambda m: m.update(shift={**m["shift"], "slot": "夜班"})),
    "kind": (0, lambda m: m.update(kind="on_demand")),
    "handover": (0, lambda m: m.update(handovers=[])),
    "full_base": (2, lambda m: m.update(full_base={**m["full_base"], "archive_number": 2})),
}  # fmt: skip


@pytest.mark.parametrize("field", sorted(EDITS))
def test_an_edited_field_of_an_unsigned_folder_fails_naming_it(folder, field):  # noqa: F811
    _desk, archives = folder
    for archive in archives:  # a folder from before signing: only the rows and folder say
        (archive / SIGNATURE).unlink()
    which, edit = EDITS[field]
    rewrite_manifest(archives[which], edit)
    report = verify_archives(archives[0].parent)
    assert not report.ok
    assert (archives[which].name, field) in _fields(report), _fields(report)


def test_an_untouched_folder_passes(folder):  # noqa: F811
    _desk, archives = folder
    report = verify_archives(archives[0].parent)
    assert report.ok, [p.message() for p in report.problems]
