"""Issue 16 breaker findings, item 1: an archive whose manifest was set back to the old format
"dutydesk-archive/1" (hashes recomputed) no longer escapes every check: among new-format
archives, carrying new-format fields, or alone, it fails `verify`; restore refuses it rather
than leaving it out; a genuine old-format archive is said to be unchecked, never counted."""

from __future__ import annotations

import shutil

import pytest

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.restore import restore_archive
from tests.support_packs import rewrite_manifest
from tests.test_archive_packs import folder  # noqa: F401  (fixture)
from tests.test_handover_domain import ready  # noqa: F401  (fixture)

LEGACY = "dutydesk-archive/1"
NEW_FIELDS = ("archive_number", "office_id", "content", "base_head", "chain_range")


def _as_legacy(manifest: dict, *, strip: bool = False) -> None:
    manifest["format"] = LEGACY
    if strip:  # as a careful forger would: only what format 1 had
        for name in NEW_FIELDS:
            manifest.pop(name, None)
        manifest["previous_manifest"] = None


@pytest.mark.parametrize("strip", [False, True], ids=["format only", "new fields removed"])
@pytest.mark.parametrize("which", [0, 1, 2])
def test_an_archive_set_back_to_the_old_format_fails_verify_naming_it(folder, which, strip):  # noqa: F811
    _desk, archives = folder
    rewrite_manifest(archives[which], lambda m: _as_legacy(m, strip=strip))
    report = verify_archives(archives[0].parent)
    assert not report.ok
    named = [p for p in report.problems if p.key == "archive_check.legacy_among_new"]
    assert [p.where for p in named] == [archives[which].name]
    assert str(archives[which]) not in report.archives  # never counted as verified


def test_the_newest_archive_set_back_and_checked_alone_fails(folder, cli):  # noqa: F811
    _desk, archives = folder
    rewrite_manifest(archives[2], _as_legacy)
    result = cli("verify", str(archives[2]), lang="en")
    assert result.exit_code == 1, result.stdout
    assert archives[2].name in result.stdout and "old format" in result.stdout


def test_restore_refuses_a_folder_with_an_archive_set_back(folder, tmp_path):  # noqa: F811
    _desk, archives = folder
    rewrite_manifest(archives[2], _as_legacy)
    target = tmp_path / "restored.sqlite3"
    with pytest.raises(DutyError) as refused:
        restore_archive(archives[0].parent, target)
    assert archives[2].name in refused.value.message()
    assert not target.exists()


def test_a_genuine_old_archive_alone_is_said_unchecked_not_counted(folder, tmp_path):  # noqa: F811
    _desk, archives = folder
    alone = tmp_path / "old" / archives[0].name
    shutil.copytree(archives[0], alone)
    (alone / "manifest.sig").unlink(missing_ok=True)
    rewrite_manifest(alone, lambda m: _as_legacy(m, strip=True))
    report = verify_archives(alone)
    assert report.ok, [p.message() for p in report.problems]
    assert report.archives == []
    assert [n.key for n in report.notes] == ["archive_check.legacy_unchecked"]
