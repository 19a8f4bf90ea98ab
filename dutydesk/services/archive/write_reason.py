"""Why a write failed, as the officer is told: in the user's language where the cause is a
common one (a full disk, a read-only file system, no permission), the system's text otherwise
(it came in English inside a Chinese message: breaker, session 15)."""

from __future__ import annotations

import errno
import sqlite3

from dutydesk.i18n import t

_REASONS = {errno.ENOSPC: "handover_export.disk_full", errno.EDQUOT: "handover_export.disk_full",
            errno.EROFS: "handover_export.read_only_fs", errno.EACCES: "handover_export.no_permission",
            errno.EPERM: "handover_export.no_permission"}  # fmt: skip


def reason_of(exc: BaseException) -> str:
    """Why a write failed, in the user's language where the cause is a common one (the
    system's English text otherwise)."""
    if isinstance(exc, OSError) and exc.errno in _REASONS:
        return t(_REASONS[exc.errno])
    if isinstance(exc, sqlite3.Error) and "disk is full" in str(exc).lower():
        return t("handover_export.disk_full")
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
