"""QA, session 11: a file named manifest.json in the exports folder that is not an archive's
(junk, half-copied) made `verify` headline the register as changed outside the desk. It is still
a failure (a genuine manifest made unreadable takes its anchor away), said as what it is."""

from __future__ import annotations

import pytest

from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401  (fixture)


@pytest.fixture
def exported(ready):  # noqa: F811
    """A signed register, closed, its archive in exports/ beside it."""
    from dutydesk.services.archive.export import export_handover

    tick_all(ready)
    signed = _sign(ready, leader=True)
    archive = export_handover(ready, signed.handover.id).path
    ready.close()
    return ready.path, archive


def test_a_clean_register_with_its_archive_verifies(cli, exported):
    path, _archive = exported
    result = cli("verify", "--db", str(path), lang="en")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_junk_manifest_beside_the_archives_is_not_called_tampering(cli, exported, lang):
    path, archive = exported
    junk = archive.parent / "copied-by-hand"
    junk.mkdir()
    (junk / "manifest.json").write_text("{ not json", encoding="utf-8")
    result = cli("verify", "--db", str(path), lang=lang)
    assert result.exit_code == 1, result.output
    changed = "在值班台之外被改动" if lang == "zh" else "changed outside"
    cannot = "无法读取" if lang == "zh" else "cannot be read"
    first = result.output.splitlines()[0]
    assert changed not in first and cannot in first, result.output
    assert str(junk / "manifest.json") in result.output


def test_a_junk_manifest_beside_a_changed_register_still_says_changed(cli, exported):
    import sqlite3

    path, archive = exported
    (archive.parent / "junk").mkdir()
    (archive.parent / "junk" / "manifest.json").write_text("[]", encoding="utf-8")
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    conn.execute(f'DROP TRIGGER "{names[0]}"')
    conn.commit()
    conn.close()
    result = cli("verify", "--db", str(path), lang="en")
    assert result.exit_code == 1
    assert "changed outside" in result.output.splitlines()[0], result.output


@pytest.mark.parametrize("kind", ["symlink", "folder", "fifo"])
def test_a_manifest_that_is_not_a_regular_file_is_not_vouched_for(cli, exported, tmp_path, kind):
    """Breaker, session 12: `verify --archives DIR` passed a copy whose manifest.json was a
    symlink to the genuine one (restore refuses it), and said nothing of a folder or fifo."""
    import os
    import shutil

    path, archive = exported
    copy = tmp_path / "copies" / "ex7"
    shutil.copytree(archive, copy)
    manifest = copy / "manifest.json"
    manifest.unlink()
    if kind == "symlink":
        manifest.symlink_to(archive / "manifest.json")
    elif kind == "folder":
        manifest.mkdir()
    else:
        os.mkfifo(manifest)
    result = cli("verify", "--db", str(path), "--archives", str(copy.parent), lang="en")
    assert result.exit_code == 1, result.output
    said = result.output.splitlines()[0]
    assert "cannot be read" in said or "not a regular file" in said, result.output
    assert str(manifest) in result.output and "changed outside" not in result.output
