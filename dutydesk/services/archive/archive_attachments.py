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
    from collections.abc import Sequence
    from pathlib import Path

    from dutydesk.services.archive.anchors import AnchorProblem
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


def _faults(archive: Archive, register: Path) -> list[tuple[Path, bool]]:
    """(file, missing) for each attachment the manifest lists that is missing or whose SHA-256
    is not the one its filing row in `register` holds."""
    faults: list[tuple[Path, bool]] = []
    for entry in archive.manifest.get("files", []):
        if not isinstance(entry, dict) or entry.get("role") not in ATTACHED_ROLES:
            continue
        path = archive.path / str(entry.get("name"))
        if not path.is_file():
            faults.append((path, True))
            continue
        digest = recorded_digest(register, path.name)
        if digest is None or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            faults.append((path, False))
    return faults


def check_attached(archive: Archive, copy: Path) -> list[Problem]:
    """Each attachment the manifest lists: present, and its SHA-256 the one its filing row in
    `copy` (the archive's rows replayed) holds."""
    return [
        Problem(
            str(path), "archive_check.rendered_missing" if missing else "roster.attachment_differs"
        )  # fmt: skip
        for path, missing in _faults(archive, copy)
    ]


def register_attachment_problems(
    register: Path, folders: Sequence[Path], office: str | None
) -> list[AnchorProblem]:
    """`verify --db`: the roster files (filed XLSX/DOCX) in every archive of this office found
    in `folders`, each against its filing row in the register itself, as `verify DIR` checks
    them against the archive's rows (filing rows are append-only: the digest is the same)."""
    from dutydesk.services.archive.anchors import AnchorProblem, manifest_paths
    from dutydesk.services.archive.archive_manifest import read_archive

    problems: list[AnchorProblem] = []
    for manifest in manifest_paths(folders):
        archive = read_archive(manifest.parent)
        if archive is None or archive.office_id not in (None, office):
            continue  # another office's archive is named by the anchors' own check
        for path, missing in _faults(archive, register):
            code = "roster_file_missing" if missing else "roster_file_differs"
            problems.append(AnchorProblem(code, {"file": str(path)}))
    return problems
