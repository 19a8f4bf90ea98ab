"""Every field of a manifest that names whose archive it is, checked against the archive's own
rows (issue 20 item 2): a manifest whose `office` was edited (its file digests recomputed, so
the archive verifies in itself) was accepted, and then blocked the desk's genuine next archive
for good, whose `previous_manifest` names the genuine manifest. Checked on the register as
replayed to the archive's head, before anything is stored; a mismatch refuses it whole."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from dutydesk.db import connect_readonly_file
from dutydesk.services.archive.archive_manifest import Archive
from dutydesk.services.archive.archive_replay import Problem

MISMATCH = "central.identity_mismatch"


def _settings(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """The office's name and profile as of the head: the newest setting, else the office row."""
    for query in ("SELECT name, profile_id FROM office_setting ORDER BY id DESC LIMIT 1",
                  "SELECT name, profile_id FROM office ORDER BY id LIMIT 1"):  # fmt: skip
        try:
            row = conn.execute(query).fetchone()
        except sqlite3.Error:
            row = None
        if row is not None:
            return str(row[0]), str(row[1])
    return None


def _office_id(conn: sqlite3.Connection) -> str | None:
    """The office's stable id: its chain's first link."""
    first = conn.execute("SELECT hash FROM audit_link WHERE seq = 1").fetchone()
    return f"chain:{first[0]}" if first else None


def identity_problems(archive: Archive, copy: Path) -> list[Problem]:
    """Each identity field of the manifest that its rows do not bear out, named."""
    conn = connect_readonly_file(copy)
    try:
        settings = _settings(conn)
        office_id = _office_id(conn)
    finally:
        conn.close()
    manifest = archive.manifest
    profile = manifest.get("profile") if isinstance(manifest.get("profile"), dict) else {}
    # previous_manifest is checked against the export record by the folder's own checks
    # (archive_folder._check_recorded_previous); the profile's display name is the program's
    fields: list[tuple[str, Any, Any]] = [("office_id", manifest.get("office_id"), office_id)]
    if settings is not None:
        fields += [("office", manifest.get("office"), settings[0]),
                   ("profile.id", (profile or {}).get("id"), settings[1])]  # fmt: skip
    return [
        Problem(archive.name, MISMATCH, {"field": name, "manifest": str(given), "rows": str(rows)})
        for name, given, rows in fields
        if given != rows
    ]
