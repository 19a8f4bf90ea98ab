"""Every field of a manifest that says whose archive it is and what it is about, checked against
the archive's own rows as replayed to its head (issue 16 item 6, breaker #6; issue 20 item 2).

A manifest's files are hashed in it, but the manifest itself is only pinned by the next
archive and the register's export record: the newest manifest's `office` could be edited, its
hashes recomputed, and `verify DIR` said ok. Here each identity field must equal what the rows
say: the office's stable id (its chain's first link), its name and profile as of the head
(the newest office setting, else the office row), the profile's display name (the program's
for that id), the schema versions, and the shift and handover(s) the forms are about. Used by
`dutydesk verify DIR` (archive_folder.replay) and by the central archive's ingest."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pendulum

from dutydesk.db import connect_readonly_file
from dutydesk.services.archive.archive_manifest import Archive, office_id, schema_versions
from dutydesk.services.archive.archive_replay import Problem

MISMATCH = "archive_check.identity_mismatch"


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


def _instant(value: Any) -> Any:
    """A time as an instant (a stored UTC text or a manifest's zoned text), or as given."""
    try:
        return pendulum.parse(str(value)).in_timezone("UTC")  # type: ignore[union-attr]  # a datetime
    except (ValueError, TypeError, AttributeError):
        return value


def _one(conn: sqlite3.Connection, query: str, key: Any) -> tuple[Any, ...] | None:
    try:
        row = conn.execute(query, (key,)).fetchone()
    except sqlite3.Error:
        return None
    return tuple(row) if row is not None else None


def _profile_name(profile_id: str) -> str | None:
    from dutydesk.profiles import load_profile

    try:
        return load_profile(profile_id).name("zh")
    except Exception:  # an unknown profile id: its name cannot be checked, the id is
        return None


def _subject_fields(
    conn: sqlite3.Connection, manifest: dict[str, Any]
) -> list[tuple[str, Any, Any]]:
    """The shift and handovers the manifest says the forms are about, against their rows."""
    fields: list[tuple[str, Any, Any]] = []
    shift = manifest.get("shift")
    if isinstance(shift, dict):
        row = _one(conn, "SELECT starts_at, ends_at, slot_code FROM shift WHERE id = ?",
                   shift.get("id"))  # fmt: skip
        for index, name in enumerate(("starts_at", "ends_at")):
            found = _instant(row[index]) if row else None
            fields.append((f"shift.{name}", _instant(shift.get(name)), found))
        fields.append(("shift.slot", shift.get("slot"), row[2] if row else None))
    handovers = manifest.get("handovers")
    for number, handover in enumerate(handovers if isinstance(handovers, list) else []):
        if not isinstance(handover, dict):
            fields.append((f"handovers[{number}]", handover, None))
            continue
        row = _one(conn, "SELECT signed_at FROM handover WHERE id = ?", handover.get("id"))
        found = _instant(row[0]) if row else None
        fields.append(
            (f"handovers[{number}].signed_at", _instant(handover.get("signed_at")), found)
        )
    return fields


def identity_fields(archive: Archive, copy: Path) -> list[tuple[str, Any, Any]]:
    """(field, in the manifest, in the rows) for each identity field."""
    manifest = archive.manifest
    conn = connect_readonly_file(copy)
    try:
        settings = _settings(conn)
        fields: list[tuple[str, Any, Any]] = [
            ("office_id", manifest.get("office_id"), office_id(conn)),
            ("schema", manifest.get("schema"), schema_versions(conn)),
        ]
        fields += _subject_fields(conn, manifest)
    finally:
        conn.close()
    profile = manifest.get("profile") if isinstance(manifest.get("profile"), dict) else {}
    if settings is not None:
        fields += [("office", manifest.get("office"), settings[0]),
                   ("profile.id", (profile or {}).get("id"), settings[1])]  # fmt: skip
        shown = _profile_name(settings[1])
        if shown is not None:
            fields.append(("profile.name", (profile or {}).get("name"), shown))
    return fields


def identity_problems(archive: Archive, copy: Path, key: str = MISMATCH) -> list[Problem]:
    """Each identity field of the manifest that its rows do not bear out, named (`key`: the
    catalogue key of the message, which differs between the desk and the central archive)."""
    return [
        Problem(archive.name, key, {"field": name, "manifest": str(given), "rows": str(rows)})
        for name, given, rows in identity_fields(archive, copy)
        if given != rows
    ]
