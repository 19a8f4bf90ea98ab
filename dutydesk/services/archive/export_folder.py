"""The folder a failed handover export is retried into, as the app's retry dialog offers it:
where the newest failed attempt aimed (else the configured or default folder), and a folder
typed there checked before anything is written (it exists, is a folder, may be written in)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.errors import DutyError
from dutydesk.services.archive.export import default_root, export_root, unexported

if TYPE_CHECKING:
    from dutydesk.services.core import Desk


@dataclass(frozen=True)
class RetryPlan:
    handovers: int  # handovers whose archive is still to be written
    folder: Path  # where the retry writes unless another folder is chosen


def retry_plan(desk: Desk) -> RetryPlan | None:
    """What a retry would do now, or None when every handover has its archive."""
    missing = unexported(desk)
    if not missing:
        return None
    last = missing[-1][1]
    return RetryPlan(len(missing), Path(last) if last else export_root(desk))


def check_export_folder(desk: Desk, typed: str) -> Path:
    """The folder typed for the archive, refused with a plain reason when it cannot take one:
    blank, missing (the default folder aside: it is made on first use), not a folder, or not
    writable by this user. A relative path is taken from the register's folder."""
    text = typed.strip()
    if not text:
        raise DutyError("export_retry.folder_needed")
    try:
        return _checked(desk, text)
    except (OSError, RuntimeError, ValueError) as exc:  # too long, NUL, ~nouser: a name, refused
        shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
        raise DutyError("export_retry.unusable", path=shown[:80]) from exc


def _checked(desk: Desk, text: str) -> Path:
    folder = Path(text).expanduser()
    if not folder.is_absolute():
        folder = desk.path.parent / folder
    if folder.resolve() == default_root(desk).resolve() and not folder.exists():
        return folder
    if not folder.exists():
        raise DutyError("export_retry.missing", path=str(folder))
    if not folder.is_dir():
        raise DutyError("export_retry.not_a_folder", path=str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DutyError("export_retry.not_writable", path=str(folder))
    return folder
