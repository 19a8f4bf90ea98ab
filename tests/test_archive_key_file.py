"""Issue 16 breaker findings, item 4: the signing key file at export. A key file gone from a
register that has signed archives before is not replaced silently (the export says loudly that
a new key was made and the city must enrol it); a key file others may read, or a symlink, is
warned about, in Chinese and English."""

from __future__ import annotations

import os

from dutydesk.services.archive.desk_key import key_path
from dutydesk.services.archive.export import write_archive, write_archive_noted
from tests.support_reliability import fill


def test_a_first_export_says_where_its_new_key_is_to_back_it_up_and_enrol_it(desk, officer):
    fill(desk, officer)
    _written, notes = write_archive_noted(desk, lang="en")
    assert key_path(desk.path).is_file() and len(notes) == 1, notes
    assert str(key_path(desk.path)) in notes[0] and "Back the key file up" in notes[0]
    assert "enrol" in notes[0] and "a NEW key" not in notes[0]
    _written, notes = write_archive_noted(desk, lang="en")
    assert notes == []  # said once, when the key is made


def test_a_key_file_gone_after_exports_is_said_loudly_in_the_cli(cli, desk, officer):
    fill(desk, officer)
    write_archive(desk)
    key_path(desk.path).unlink()
    desk.close()
    done = cli("export", db=desk.path, lang="en")
    assert done.exit_code == 0, done.output
    assert "a NEW key was made" in done.output and "enrol" in done.output
    assert key_path(desk.path).is_file()


def test_the_new_key_note_names_its_fingerprint_in_chinese(desk, officer):
    fill(desk, officer)
    write_archive(desk)
    key_path(desk.path).unlink()
    _written, notes = write_archive_noted(desk, lang="zh")
    assert len(notes) == 1 and "新生成一把密钥" in notes[0] and "市级登记" in notes[0]


def test_a_key_file_others_may_read_is_warned_about(desk, officer):
    fill(desk, officer)
    write_archive(desk)
    os.chmod(key_path(desk.path), 0o644)
    _written, notes = write_archive_noted(desk, lang="en")
    assert len(notes) == 1 and "mode 644" in notes[0] and "chmod 600" in notes[0]


def test_a_key_file_that_is_a_symlink_is_warned_about(desk, officer, tmp_path):
    fill(desk, officer)
    write_archive(desk)
    real = tmp_path / "elsewhere.key"
    key_path(desk.path).rename(real)
    key_path(desk.path).symlink_to(real)
    _written, notes = write_archive_noted(desk, lang="zh")
    assert any("符号链接" in note and str(real) in note for note in notes), notes
