"""Issue 16: `verify --db R --archives DIR` checks the roster files (the filed XLSX/DOCX) in the
archives it finds, as `verify DIR` does: each against its filing row, here in the register."""

from __future__ import annotations

import shutil

from dutydesk.services.archive.verify import verify_register
from tests.support_packs import rewrite_manifest
from tests.test_handover_domain import ready  # noqa: F401  (fixture)
from tests.test_roster_archive import archived  # noqa: F401  (fixture)


def _moved(made, tmp_path):  # noqa: ANN001, ANN202  (the fixture's value)
    """The archive folder moved elsewhere, so only --archives finds it."""
    desk, filed, folder = made
    desk.close()
    root = tmp_path / "elsewhere"
    shutil.move(str(folder.parent), root)
    return desk.path, filed, root / folder.name


def test_an_untouched_archive_with_roster_files_verifies(archived, tmp_path):  # noqa: F811
    register, _filed, folder = _moved(archived, tmp_path)
    report = verify_register(register, archive_dirs=[folder.parent])
    assert report.ok, report.problems


def test_a_replaced_roster_file_fails_verify_db(archived, tmp_path, cli):  # noqa: F811
    """With the manifest as written, and with its hashes recomputed."""
    register, filed, folder = _moved(archived, tmp_path)
    name = f"roster-filing-{filed.filing.id}.docx"
    (folder / name).write_bytes(filed.xlsx.read_bytes())  # another file in its place
    report = verify_register(register, archive_dirs=[folder.parent])
    [differs] = report.problems
    assert differs.code == "roster_file_differs" and differs.args["file"].endswith(name)
    rewrite_manifest(folder, lambda manifest: None)  # the manifest's hashes recomputed too
    report = verify_register(register, archive_dirs=[folder.parent])
    assert "roster_file_differs" in [p.code for p in report.problems]
    result = cli("verify", "--db", str(register), "--archives", str(folder.parent), lang="en")
    assert result.exit_code == 1
    assert name in result.stdout and "filing record" in result.stdout


def test_a_roster_file_removed_from_its_archive_fails_verify_db(archived, tmp_path):  # noqa: F811
    register, filed, folder = _moved(archived, tmp_path)
    name = f"roster-filing-{filed.filing.id}.xlsx"
    (folder / name).unlink()
    report = verify_register(register, archive_dirs=[folder.parent])
    assert "roster_file_missing" in [p.code for p in report.problems]
