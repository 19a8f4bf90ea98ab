"""Other desks' archives (archive lane, item 3): a folder mixing the archives of two offices is
never verified, restored from or written into silently; each message names the offices."""

from __future__ import annotations

import shutil

import pytest

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import write_archive
from dutydesk.services.archive.restore import restore_archive
from dutydesk.services.core.desk import init_database
from tests.support_packs import add_call

OTHER = "邻区人民政府总值班室"


@pytest.fixture
def two_offices(desk, clock, tmp_path):
    """Our register with three archives, and another office's register with two, each in its
    own folder."""
    ours = tmp_path / "ours"
    ours.mkdir()
    for _ in range(3):
        add_call(desk)
        write_archive(desk, ours)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    other = init_database(tmp_path / "other.sqlite3", OTHER, "tianjin", clock)
    try:
        write_archive(other, theirs)
        write_archive(other, theirs)
    finally:
        other.close()
    return desk, ours, theirs


def _mix(ours, theirs):  # noqa: ANN001, ANN202
    for archive in theirs.iterdir():
        shutil.copytree(archive, ours / f"{archive.name}-copied")


def test_a_folder_of_one_office_verifies(two_offices):
    _desk, ours, theirs = two_offices
    assert verify_archives(ours).ok and verify_archives(theirs).ok


def test_a_mixed_folder_fails_naming_the_other_office(two_offices):
    _desk, ours, theirs = two_offices
    _mix(ours, theirs)
    report = verify_archives(ours)
    messages = [p.message() for p in report.problems]
    assert len(messages) == 1, messages  # the mix; no fork or gap from numbers 1 and 2 twice
    assert OTHER in messages[0] and "测试区人民政府总值班室" in messages[0]


def test_restore_from_a_mixed_folder_is_refused_unless_an_archive_is_named(two_offices, tmp_path):
    desk, ours, theirs = two_offices
    _mix(ours, theirs)
    target = tmp_path / "restored.sqlite3"
    with pytest.raises(DutyError) as refused:
        restore_archive(ours, target)
    assert OTHER in refused.value.message() and not target.exists()
    newest_ours = sorted(p for p in ours.iterdir() if not p.name.endswith("-copied"))[-1]
    restored = restore_archive(newest_ours, target)
    assert restored.report.ok and target.exists()


def test_export_into_another_offices_folder_is_refused(two_offices):
    desk, _ours, theirs = two_offices
    before = sorted(theirs.iterdir())
    with pytest.raises(DutyError) as refused:
        write_archive(desk, theirs)
    assert OTHER in refused.value.message()
    assert sorted(theirs.iterdir()) == before
