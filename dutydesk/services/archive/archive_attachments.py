"""Files an archive carries as they were written, not rendered again: the 值班表 of each roster
filing recorded during the subject's shift (services/roster/roster_attachments.py). An XLSX or
DOCX carries the time it was written, so verify checks each by its SHA-256 against its filing
row in the archive's own rows rather than rendering it again. A file the desk no longer holds
as filed (missing or changed) is left out and named in the manifest's `omitted`."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from dutydesk.services.archive.archive_replay import Problem
from dutydesk.services.archive.export_files import Rendered
from dutydesk.services.roster.roster_attachments import ROLES, filed_between, recorded_digest

if TYPE_CHECKING:
    from pathlib import Path

    from dutydesk.services.archive.archive_manifest import Archive
    from dutydesk.services.archive.export_files import Source
    from dutydesk.services.core import Desk

ATTACHED_ROLES = frozenset(ROLES.values())


def attached(desk: Desk, source: Source, prefix: str = "") -> tuple[list[Rendered],
                                                                      list[dict[str, str]]]:  # fmt: skip
    """The subject's attachments (names prefixed with `prefix`) and those left out."""
    shift = source.shift
    if shift is None:
        return [], []
    files: list[Rendered] = []
    omitted: list[dict[str, str]] = []
    for item in filed_between(desk, shift.starts_at, shift.ends_at):
        if item.intact and item.data is not None:
            files.append(Rendered(prefix + item.name, item.role, item.data))
        else:
            reason = "file_missing" if item.data is None else "file_changed"
            omitted.append({"role": item.role, "reason": reason, "name": prefix + item.name})
    return files, omitted


def check_attached(archive: Archive, copy: Path) -> list[Problem]:
    """Each attachment the manifest lists: present, and its SHA-256 the one its filing row in
    `copy` (the archive's rows replayed) holds."""
    problems: list[Problem] = []
    for entry in archive.manifest.get("files", []):
        if not isinstance(entry, dict) or entry.get("role") not in ATTACHED_ROLES:
            continue
        path = archive.path / str(entry.get("name"))
        if not path.is_file():
            problems.append(Problem(str(path), "archive_check.rendered_missing"))
            continue
        digest = recorded_digest(copy, path.name)
        if digest is None or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(Problem(str(path), "roster.attachment_differs"))
    return problems
