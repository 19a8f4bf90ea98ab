"""Issue 16 breaker findings, item 2: `verify --db R --archives DIR` compares every manifest it
finds that has the name or the number of an archive the register recorded with the SHA-256
recorded, not only the first copy found (a tampered copy in DIR beside a genuine one in
exports/ fails, naming the copy's path)."""

from __future__ import annotations

import shutil

from dutydesk.services.archive.export import write_archive
from dutydesk.services.archive.verify import verify_register
from tests.support_packs import rewrite_manifest
from tests.support_reliability import fill


def _copy_elsewhere(archive, tmp_path, name=None):  # noqa: ANN001, ANN202
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    copy = elsewhere / (name or archive.name)
    shutil.copytree(archive, copy)
    return elsewhere, copy


def test_a_tampered_copy_in_dir_fails_while_the_genuine_one_is_in_exports(
    cli, desk, officer, tmp_path
):
    fill(desk, officer)
    archive = write_archive(desk)
    desk.close()
    elsewhere, copy = _copy_elsewhere(archive, tmp_path)
    rewrite_manifest(copy, lambda m: m.update(office="伪造值班室"))
    report = verify_register(desk.path, archive_dirs=[elsewhere])
    assert [p.code for p in report.problems] == ["recorded_differs"]
    assert report.problems[0].args["archive"] == str(copy.resolve())
    result = cli("verify", "--db", str(desk.path), "--archives", str(elsewhere), lang="en")
    assert result.exit_code == 1 and str(copy.resolve()) in result.stdout


def test_a_renamed_tampered_copy_is_caught_by_its_number(desk, officer, tmp_path):
    fill(desk, officer)
    archive = write_archive(desk)
    desk.close()
    elsewhere, copy = _copy_elsewhere(archive, tmp_path, name="另存")
    rewrite_manifest(copy, lambda m: m.update(office="伪造值班室"))
    report = verify_register(desk.path, archive_dirs=[elsewhere])
    assert [p.args.get("archive") for p in report.problems] == [str(copy.resolve())]


def test_a_faithful_copy_in_dir_passes(desk, officer, tmp_path):
    fill(desk, officer)
    archive = write_archive(desk)
    desk.close()
    elsewhere, _copy = _copy_elsewhere(archive, tmp_path)
    report = verify_register(desk.path, archive_dirs=[elsewhere])
    assert report.ok, [p.code for p in report.problems]


def test_a_recorded_archive_gone_is_missing_not_changed_beside_another_of_its_name(
    desk, officer, tmp_path
):
    """Two exports in the same second to two places make two archives of the same name, each
    recorded. With the first removed, its record is looked up by name and finds the second:
    that is another recorded archive, not a changed copy of the first (breaker, session 17)."""
    for place in ("one", "two"):
        (tmp_path / place).mkdir()
    fill(desk, officer)
    first = write_archive(desk, tmp_path / "one")
    fill(desk, officer)  # something new, so the second archive's manifest differs
    second = write_archive(desk, tmp_path / "two")
    desk.close()
    assert first.name == second.name  # the same frozen second
    shutil.rmtree(first)
    report = verify_register(desk.path, archive_dirs=[tmp_path / "two"])
    assert report.ok, [(p.code, p.args) for p in report.problems]
    missing = [w.args["archive"] for w in report.warnings if w.code == "recorded_missing"]
    assert missing == [str(first)]


def test_a_manifest_whose_head_was_changed_is_said_once_and_not_taken_as_the_chain(
    desk, officer, tmp_path
):
    """Breaker, session 18: the last hex digit of a manifest's chain head changed by hand was
    reported twice as differing from the export record, and as the register's chain rewritten
    (two equal 16-digit prefixes shown). The manifest differs from the record: said once; a head
    it pins is not taken as the chain's."""
    fill(desk, officer)
    archive = write_archive(desk)
    desk.close()

    def _flip(manifest):  # noqa: ANN001, ANN202
        head = manifest["chain_head"]
        head["hash"] = head["hash"][:-1] + ("0" if head["hash"][-1] != "0" else "1")

    rewrite_manifest(archive, _flip)
    report = verify_register(desk.path)
    assert [p.code for p in report.problems] == ["recorded_differs"], report.problems


def test_two_heads_that_differ_late_are_shown_long_enough_to_differ():
    from dutydesk.services.archive.anchors import _telling_apart

    assert _telling_apart("a" * 64, "a" * 63 + "b") == 64  # to the last digit: all of it
    assert _telling_apart("a" * 64, "a" * 30 + "b" * 34) == 35
    assert _telling_apart("a" * 16, "a" * 15 + "b" * 49) == 16  # a paper head: its 16
    assert _telling_apart("ab" * 32, "ba" * 32) == 16  # the usual 16
