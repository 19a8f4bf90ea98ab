"""E on the handover screen after a failed archive export (QA session 10): a dialog offers the
folder the failed attempt aimed at, or another typed there, checked first (it exists, is a
folder, may be written in: a plain message in the dialog otherwise, the cursor kept in the
field, nothing written); the failure's message names the register (--db) in its command."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from dutydesk.app import make_app
from dutydesk.i18n import set_language, t
from dutydesk.screens.handover_export import export_outcome
from dutydesk.services.archive import verify_archives
from tests.test_tui_handover import SIZE, _prepare, _ready, _status


def _signed_with_a_failed_export(desk, clock, officer, tmp_path):
    """Signed off; its archive aimed at a folder on a drive that is not there (a file)."""
    from dutydesk.services.archive.export import export_handover
    from dutydesk.services.handover.handover import sign_off
    from dutydesk.services.roster.pins import verify_pin
    from tests.test_handover_domain import tick_all

    _prepare(desk, clock, officer)
    tick_all(desk)
    signed = sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "314159"))
    usb = tmp_path / "usb"
    usb.write_text("not mounted")
    assert not export_handover(desk, signed.handover.id, usb / "archives").ok
    return usb


def _said(app) -> str:
    return str(app.screen.query_one("#retry-status", Static).render())


async def test_the_retry_offers_the_folder_checks_it_and_writes_where_chosen(
    desk, clock, officer, tmp_path, monkeypatch
):
    import dutydesk.services.archive.export_folder as export_folder

    usb = _signed_with_a_failed_export(desk, clock, officer, tmp_path)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("e")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "ExportRetryDialog"
        folder = app.screen.query_one("#retry-folder", Input)
        assert folder.value == str(usb / "archives")  # where the failed attempt aimed
        assert app.focused is folder
        await pilot.press("enter")  # the drive is still not there
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "ExportRetryDialog"
        assert _said(app) == t("export_retry.missing", path=str(usb / "archives"))
        assert app.focused is folder

        folder.value = str(usb)  # a file, not a folder
        await pilot.press("enter")
        await _ready(app, pilot)
        assert _said(app) == t("export_retry.not_a_folder", path=str(usb))

        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        monkeypatch.setattr(export_folder.os, "access", lambda *_args: False)  # tests run as root
        folder.value = str(elsewhere)
        await pilot.press("enter")
        await _ready(app, pilot)
        assert _said(app) == t("export_retry.not_writable", path=str(elsewhere))
        assert app.focused is folder
        assert not any(elsewhere.iterdir())  # nothing written on a refusal
        monkeypatch.undo()

        await pilot.press("enter")  # the folder may be written in now
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "HandoverScreen"
        assert "已导出归档" in _status(app) and str(elsewhere) in _status(app)
        await pilot.press("e")  # nothing left to write: said, no dialog
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "HandoverScreen"
        assert t("handover_screen.retry_none") in _status(app)
    report = verify_archives(elsewhere)
    assert report.ok and len(report.archives) == 1


async def test_escape_leaves_the_retry_undone(desk, clock, officer, tmp_path):
    _signed_with_a_failed_export(desk, clock, officer, tmp_path)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5", "e")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "ExportRetryDialog"
        await pilot.press("escape")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "HandoverScreen"
        await pilot.press("e")  # still to do: the dialog again
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "ExportRetryDialog"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_failure_names_the_register_in_its_command(lang, tmp_path):
    set_language(lang)
    db = tmp_path / "值班 登记簿.sqlite3"  # a space: quoted for the shell
    text, ok, _notes = export_outcome([], t("handover_export.missing_dir", path="/media/usb"), "",
                                      db)  # fmt: skip
    assert not ok
    assert f"dutydesk --db '{db}' export --retry --to" in text


@pytest.mark.parametrize("typed", ["x" * 300, "~no-such-user-dutydesk/x", "a\x00b"])
def test_a_folder_name_no_path_can_hold_is_refused_plainly(desk, typed):
    """Breaker, session 10: a 300-character name, an unknown user's home and a NUL raised
    OSError, RuntimeError and ValueError past the dialog, which catches only refusals."""
    from dutydesk.errors import DutyError
    from dutydesk.services.archive.export_folder import check_export_folder

    with pytest.raises(DutyError) as refused:
        check_export_folder(desk, typed)
    assert refused.value.key == "export_retry.unusable"
    assert "\x00" not in refused.value.message()
