"""A full disk during an export names the disk to clear: the snapshot is made beside the
register, so a full register disk is not blamed on the archive folder; and the cause is said in
the user's language, not the system's English (breaker, session 15)."""

from __future__ import annotations

import errno
import sqlite3

import pytest

from dutydesk.errors import DutyError
from dutydesk.i18n import set_language, t
from dutydesk.services.archive import export_snapshot
from dutydesk.services.archive.export import write_archive
from dutydesk.services.archive.write_reason import reason_of
from tests.support_reliability import fill


def test_a_full_register_disk_is_named_not_the_archive_folder(desk, officer, monkeypatch, tmp_path):
    fill(desk, officer)
    target = tmp_path / "usb"
    target.mkdir()

    def full(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export_snapshot, "redact_pins", full)  # while the copy is written
    with pytest.raises(DutyError) as refused:
        write_archive(desk, target, full=True)
    assert refused.value.key == "handover_export.cannot_snapshot"
    message = refused.value.message()
    assert str(desk.path.parent) in message and str(target) not in message
    assert t("handover_export.disk_full") in message
    assert not list(desk.path.parent.glob(f".{desk.path.name}.*{export_snapshot.SUFFIX}"))
    assert not any(target.iterdir())


@pytest.mark.parametrize(("code", "key"), [(errno.ENOSPC, "disk_full"), (errno.EROFS, "read_only_fs"),
                                           (errno.EACCES, "no_permission")])  # fmt: skip
def test_common_causes_are_said_in_the_users_language(code, key):
    set_language("zh")
    said = reason_of(OSError(code, "English text from the system"))
    assert said == t(f"handover_export.{key}") and "English" not in said
    assert reason_of(OSError(errno.EIO, "Input/output error")) == "Input/output error"
