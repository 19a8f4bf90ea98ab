"""Two registers in one folder (QA fix9 #1): the exports/ folder beside them holds the other
office's archives. `verify --db` of a register anchored by its own recorded archives skips the
other office's archives found in a folder nobody named, with a note; named with --archives,
only that folder is read and another office's archive there stays a problem; a register its
own archives do not anchor (no export record, as after a rewrite of its records) still fails."""

from __future__ import annotations

import pytest

from dutydesk.services.archive.export import write_archive
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.core.desk import init_database
from tests.support_packs import add_call

OTHER = "邻区人民政府总值班室"


@pytest.fixture
def beside(desk, clock, tmp_path):
    """Another office's register beside ours, exporting to the shared exports/ folder."""
    other = init_database(tmp_path / "other.sqlite3", OTHER, "tianjin", clock)
    try:
        write_archive(other)
        write_archive(other)
    finally:
        other.close()
    assert (tmp_path / "exports").is_dir() and desk.path.parent == tmp_path
    return tmp_path / "exports"


def codes(items):  # noqa: ANN001, ANN201
    return [item.code for item in items]


def test_another_offices_archives_beside_are_skipped_with_a_note(desk, beside, tmp_path):
    add_call(desk)
    (tmp_path / "oursB").mkdir()
    write_archive(desk, tmp_path / "oursB")
    report = verify_register(desk.path)
    assert report.ok, codes(report.problems)
    skipped = [w for w in report.warnings if w.code == "other_offices_skipped"]
    assert skipped and skipped[0].args["count"] == 2


def test_with_archives_named_only_they_are_read(desk, beside, tmp_path):
    add_call(desk)
    (tmp_path / "oursB").mkdir()
    write_archive(desk, tmp_path / "oursB")
    report = verify_register(desk.path, archive_dirs=[tmp_path / "oursB"])
    assert report.ok, codes(report.problems)
    assert "other_offices_skipped" not in codes(report.warnings)


def test_another_office_in_a_named_folder_stays_a_problem(desk, beside, tmp_path):
    add_call(desk)
    (tmp_path / "oursB").mkdir()
    write_archive(desk, tmp_path / "oursB")
    report = verify_register(desk.path, archive_dirs=[beside])
    assert not report.ok
    assert codes(report.problems).count("other_office") == 2


def test_unanchored_register_still_fails_on_another_offices_archives(desk, beside):
    report = verify_register(desk.path)  # no archive of its own: a rewrite cannot be ruled out
    assert not report.ok
    assert codes(report.problems).count("other_office") == 2
