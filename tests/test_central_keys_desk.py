"""The desk side of signing (QA leftovers of issue 16). The app's handover export says what the
CLI says about the signing key (a key made: where it is, to back it up, to have the city enrol
it). `dutydesk restore` brings the key that signed the archives (found beside the source
register, or given with --key FILE, checked against the archives' signer), so the restored
register signs on with the same key; without it, it says plainly that a new key will be made
and must be enrolled; a key file that is not the signer restores nothing."""

from __future__ import annotations

import shutil
import stat

from dutydesk.services.archive import ExportResult, export_handover
from dutydesk.services.archive.desk_key import key_path, public_key
from dutydesk.services.archive.export import write_archive
from dutydesk.services.archive.key_files import signer_of, signs_from
from tests.support_reliability import fill


def test_a_handover_export_carries_the_note_of_the_key_it_made(desk, officer):
    fill(desk, officer)
    first = export_handover(desk, None)  # type: ignore[arg-type]  # an export of no handover
    assert first.ok and len(first.notes) == 1, first
    assert str(key_path(desk.path)) in first.notes[0] and "市级登记" in first.notes[0]
    again = export_handover(desk, None)  # type: ignore[arg-type]
    assert again.ok and again.notes == ()


async def test_the_handover_screen_shows_the_key_notes_loudly(desk, clock, officer, tmp_path):
    from dutydesk.app import make_app

    app = make_app(desk.path, clock=clock)
    note = "注意：已为本登记簿生成签名密钥：/x/desk.sqlite3.key"
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f5")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        done = ExportResult(True, tmp_path / "a", None, 1, (note,))
        app.screen._export_done([done], None, "")  # type: ignore[attr-defined]
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any(message.startswith(note) for message in shown), shown
        assert all("Esc" in message for message in shown)  # and how to put it away
        status = str(app.screen.query_one("#handover-status").render())
        assert "签名密钥" in status and str(tmp_path / "a") in status


def _archive(desk, officer):  # noqa: ANN001, ANN202
    fill(desk, officer)
    return write_archive(desk)  # into exports/ beside the register, as the desk does


def test_restore_brings_the_key_found_beside_the_source_register(cli, desk, officer, tmp_path):
    archive = _archive(desk, officer)
    desk.close()
    target = tmp_path / "new" / "restored.sqlite3"
    target.parent.mkdir()
    done = cli("restore", str(archive), "--to", str(target), lang="en")
    assert done.exit_code == 0, done.output
    assert "Signing key brought" in done.output and str(key_path(target)) in done.output
    assert public_key(target) == public_key(desk.path) == signer_of(archive)
    assert stat.S_IMODE(key_path(target).stat().st_mode) == 0o600
    from dutydesk.services.core.desk import open_desk

    restored = open_desk(target, cli.clock)
    try:
        following = write_archive(restored)
    finally:
        restored.close()
    assert signer_of(following) == signer_of(archive)  # no change of signer for verify
    assert signs_from(target, public_key(target)) == 1


def test_restore_without_the_key_says_a_new_key_will_be_made(cli, desk, officer, tmp_path):
    archive = _archive(desk, officer)
    desk.close()
    carried = tmp_path / "usb" / "media" / archive.name  # the archive alone, on other media
    shutil.copytree(archive, carried)
    target = tmp_path / "restored.sqlite3"
    done = cli("restore", str(carried), "--to", str(target), lang="en")
    assert done.exit_code == 0, done.output
    assert "NEW key" in done.output and "enrol" in done.output
    assert target.is_file() and not key_path(target).exists()


def test_restore_with_the_key_given_brings_it_and_a_wrong_one_restores_nothing(
    cli, desk, officer, tmp_path
):
    archive = _archive(desk, officer)
    desk.close()
    carried = tmp_path / "usb" / "media" / archive.name
    shutil.copytree(archive, carried)
    public_key(tmp_path / "other.sqlite3")  # another register's key file
    target = tmp_path / "restored.sqlite3"
    wrong = cli("restore", str(carried), "--to", str(target), "--key",
                str(key_path(tmp_path / "other.sqlite3")), lang="en")  # fmt: skip
    assert wrong.exit_code == 1 and "is not the key that signed" in wrong.output, wrong.output
    assert not target.exists() and not key_path(target).exists()
    given = cli("restore", str(carried), "--to", str(target), "--key",
                str(key_path(desk.path)), lang="zh")  # fmt: skip
    assert given.exit_code == 0 and "已把签名密钥" in given.output, given.output
    assert public_key(target) == signer_of(archive)
