"""Moved registers and archives written elsewhere (archive lane, item 4): export records find
their archives by the manifest's SHA-256 wherever they now are, and a full snapshot exported to
another folder (`export --to`) leaves no gap in the normal one."""

from __future__ import annotations

import shutil

from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import default_root, write_archive
from dutydesk.services.archive.verify import verify_register
from tests.support_packs import add_call


def _three_archives(desk):  # noqa: ANN001, ANN202
    for _ in range(3):
        add_call(desk)
        write_archive(desk)
    return default_root(desk)


def test_a_moved_register_with_renamed_archive_folders_still_finds_every_archive(desk, tmp_path):
    exports = _three_archives(desk)
    desk.close()
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.move(desk.path, moved / "register.sqlite3")
    renamed = moved / "归档"
    shutil.move(exports, renamed)
    for number, archive in enumerate(sorted(renamed.iterdir()), 1):
        archive.rename(renamed / f"第{number}份")
    report = verify_register(moved / "register.sqlite3", archive_dirs=[renamed])
    assert report.ok, report.problems
    assert [w.code for w in report.warnings] == []  # none "recorded but not found"
    assert len(report.anchors) == 3


def test_a_copied_register_and_its_exports_verify_in_the_new_place(desk, tmp_path):
    exports = _three_archives(desk)
    desk.close()
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(desk.path, copy / desk.path.name)
    shutil.copytree(exports, copy / "exports")
    shutil.rmtree(exports)  # the old place is gone
    report = verify_register(copy / desk.path.name)
    assert report.ok and report.warnings == [] and len(report.anchors) == 3


def test_a_full_snapshot_exported_elsewhere_leaves_no_gap_in_the_normal_folder(desk, tmp_path):
    exports = _three_archives(desk)
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    add_call(desk)
    write_archive(desk, elsewhere, full=True)  # number 4, on other media
    add_call(desk)
    write_archive(desk)  # number 5, back in exports/
    add_call(desk)
    write_archive(desk)  # number 6
    report = verify_archives(exports)
    assert report.ok, [p.message() for p in report.problems]
    assert [n.key for n in report.notes] == ["archive_check.previous_elsewhere"]
    assert str(elsewhere.resolve()) in report.notes[0].message()
    assert verify_archives(elsewhere).ok
    checked = verify_register(desk.path)
    assert checked.ok and checked.warnings == [] and len(checked.anchors) == 6


def test_a_deleted_archive_is_still_a_gap(desk):
    exports = _three_archives(desk)
    add_call(desk)
    write_archive(desk)
    shutil.rmtree(sorted(exports.iterdir())[2])  # number 3, from the normal folder
    assert not verify_archives(exports).ok
