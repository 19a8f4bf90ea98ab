"""Issue 16 (breaker #6): the desk's own `verify DIR` refuses a manifest whose identity fields
were edited with its file hashes recomputed, naming the field: the same check the central
archive makes at ingest (services/archive/archive_identity.py, used by both)."""

from __future__ import annotations

import pytest

from dutydesk.i18n import t
from dutydesk.services.archive.archive_verify import verify_archives
from tests.support_packs import rewrite_manifest
from tests.test_archive_packs import folder  # noqa: F401  (fixture)
from tests.test_handover_domain import ready  # noqa: F401  (fixture)

EDITS = {
    "office": lambda m: m.update(office="伪造值班室"),
    "profile.id": lambda m: m.update(profile={**m["profile"], "id": "henan"}),
    "profile.name": lambda m: m.update(profile={**m["profile"], "name": "河南省"}),
    "schema": lambda m: m.update(schema=["0001"]),
    "shift.starts_at": lambda m: m.update(shift={**m["shift"], "starts_at": "2026-11-22T08:30:00+08:00"}),
    "handovers[0].signed_at": lambda m: m.update(
        handovers=[{**m["handovers"][0], "signed_at": "2026-11-22T08:30:00+08:00"}]),
}  # fmt: skip


@pytest.mark.parametrize("field", sorted(EDITS))
@pytest.mark.parametrize("which", [0, 2], ids=["full snapshot", "newest pack"])
def test_an_edited_identity_field_fails_verify_naming_it(folder, field, which):  # noqa: F811
    _desk, archives = folder
    if field.startswith("handovers") and which == 2:
        pytest.skip("the newest pack is on demand: it covers no handover")
    rewrite_manifest(archives[which], EDITS[field])
    report = verify_archives(archives[0].parent)
    assert not report.ok
    messages = [problem.message() for problem in report.problems]
    assert any(archives[which].name in m and f"的 {field} 与归档自身的记录不符" in m
               for m in messages), messages  # fmt: skip


@pytest.mark.parametrize("which", [0, 2], ids=["full snapshot", "newest pack"])
def test_an_edited_office_id_fails_verify(folder, which):  # noqa: F811
    """Grouped as another office's archive, its own office's chain then has a gap."""
    _desk, archives = folder
    rewrite_manifest(archives[which], lambda m: m.update(office_id="chain:" + "0" * 64))
    report = verify_archives(archives[0].parent)
    assert not report.ok
    assert any("混有不同办公室" in p.message() for p in report.problems)


def test_the_cli_says_it_in_english_and_exits_1(folder, cli):  # noqa: F811
    _desk, archives = folder
    rewrite_manifest(archives[2], EDITS["office"])
    result = cli("verify", str(archives[0].parent), lang="en")
    assert result.exit_code == 1
    assert "the manifest's office does not match the archive's own rows" in result.stdout
    assert "伪造值班室" in result.stdout


def test_an_untouched_folder_still_verifies(folder):  # noqa: F811
    _desk, archives = folder
    report = verify_archives(archives[0].parent)
    assert report.ok, [p.message() for p in report.problems]
    assert t("archive_check.identity_mismatch", lang="en")  # the key exists in both catalogues
