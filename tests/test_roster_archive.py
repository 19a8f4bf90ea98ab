"""The roster's filed 值班表 (XLSX and DOCX) in the handover archive (issue 17): carried as
filed, since they are not byte-stable to render again, and checked by verify by their SHA-256
against the filing row in the archive's own rows."""

from __future__ import annotations

import hashlib

import pytest

from dutydesk.services.archive.archive_attachments import check_attached
from dutydesk.services.archive.archive_manifest import read_archive
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import export_handover
from dutydesk.services.roster import file_roster, generate_month
from dutydesk.services.roster.roster_attachments import filed_folder
from tests.roster_support import PLANNER, staff
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401  (fixture)


@pytest.fixture
def archived(ready, tmp_path):  # noqa: F811
    desk = ready
    staff(desk, leaders=2, officers=4)
    month = desk.now().add(months=2)
    generated = generate_month(desk, month.year, month.month, seed=2, by=PLANNER)
    out = tmp_path / "sent"
    out.mkdir()
    filed = file_roster(desk, generated.roster_id, sent_to="市政府总值班室", channel="fax",
                        by=PLANNER, out_dir=out)  # fmt: skip
    tick_all(desk)
    result = export_handover(desk, _sign(desk, leader=True).handover.id)
    assert result.ok, result.error
    return desk, filed, result.path


def test_the_filed_roster_files_are_in_the_archive_and_verify_passes(archived, monkeypatch):
    from dutydesk.services.archive import archive_attachments

    desk, filed, folder = archived
    row = filed.filing
    entries = {e["name"]: e for e in read_archive(folder).manifest["files"]}
    for suffix, digest in (("xlsx", row.xlsx_sha256), ("docx", row.docx_sha256)):
        name = f"roster-filing-{row.id}.{suffix}"
        assert entries[name]["role"] == f"roster_filing_{suffix}"
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        assert (folder / name).read_bytes() == (filed_folder(desk.path) / name).read_bytes()
    assert (folder / f"roster-filing-{row.id}.xlsx").read_bytes() == filed.xlsx.read_bytes()
    checked = []
    real = archive_attachments.check_attached
    monkeypatch.setattr(archive_attachments, "check_attached",
                        lambda archive, copy: checked.append(copy) or real(archive, copy))  # fmt: skip
    report = verify_archives(folder.parent)
    assert report.ok, report
    assert checked  # against the archive's replayed rows


def test_an_archived_roster_file_that_differs_from_its_filing_row_is_caught(archived):
    desk, filed, folder = archived
    name = f"roster-filing-{filed.filing.id}.docx"
    assert check_attached(read_archive(folder), desk.path) == []
    (folder / name).write_bytes(filed.xlsx.read_bytes())  # another file put in its place
    [problem] = check_attached(read_archive(folder), desk.path)
    assert problem.key == "roster.attachment_differs" and problem.where.endswith(name)
    assert not verify_archives(folder.parent).ok


def test_the_apps_roster_folder_beside_the_archives_is_not_taken_for_an_archive(ready):  # noqa: F811
    """QA: filing from the app writes the 值班表 into exports/rosters/; `verify exports` then
    said "rosters/manifest.json: manifest missing" (exit 1) after every filing."""
    from dutydesk.archive_places import ROSTER_FOLDER, archive_roots

    desk = ready
    staff(desk, leaders=2, officers=4)
    month = desk.now().add(months=2)
    generated = generate_month(desk, month.year, month.month, seed=2, by=PLANNER)
    out = archive_roots(desk.path)[0] / ROSTER_FOLDER
    out.mkdir(parents=True)
    file_roster(desk, generated.roster_id, sent_to="市政府总值班室", channel="fax",
                by=PLANNER, out_dir=out)  # fmt: skip
    tick_all(desk)
    result = export_handover(desk, _sign(desk, leader=True).handover.id)
    assert result.ok, result.error
    assert list(out.glob("*.xlsx"))
    report = verify_archives(result.path.parent)
    assert report.ok, report.problems
    assert len(report.archives) == 1
