"""Checking archives: every file against its SHA-256 in the manifest, no file missing or added,
`PRAGMA integrity_check` of the snapshot or pack, and the chain of manifests (each names the
SHA-256 of the previous archive's manifest in the same folder). A folder of archives is then
checked end to end (services/archive/archive_folder.py, archive_render.py): the numbered
chain, every archive's rows against the chain, its forms and CSVs rendered again."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutydesk.archive_places import ROSTER_FOLDER
from dutydesk.db import connect_readonly_file
from dutydesk.services.archive.archive_derived import derived_problems
from dutydesk.services.archive.archive_legacy import legacy_problems, lone_legacy_problems
from dutydesk.services.archive.archive_manifest import (
    FORMAT,
    LEGACY_FORMATS,
    MANIFEST,
    Archive,
    archives_in,
)
from dutydesk.services.archive.archive_replay import Problem
from dutydesk.services.archive.archive_signatures import (
    lone_signature_problems,
    signature_problems,
)
from dutydesk.services.archive.desk_key import SIGNATURE
from dutydesk.services.archive.export import TEMP_PREFIX, sha256_file
from dutydesk.services.archive.verify_integrity import integrity_lines

__all__ = ["Problem", "Report", "is_archive", "verify_archive", "verify_archives"]


@dataclass
class Report:
    archives: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # said, but not failures
    newest: Archive | None = None  # the highest-numbered archive of a folder

    @property
    def ok(self) -> bool:
        return not self.problems


def _load_manifest(folder: Path, report: Report) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.is_file():
        report.problems.append(Problem(str(path), "handover_verify.manifest_missing"))
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        report.problems.append(Problem(str(path), "handover_verify.manifest_unreadable"))
        return None
    if not isinstance(manifest, dict) or manifest.get("format") not in (FORMAT, *LEGACY_FORMATS):
        report.problems.append(Problem(str(path), "handover_verify.manifest_unreadable"))
        return None
    return manifest


def _integrity(path: Path) -> str:
    """PRAGMA integrity_check of a snapshot or pack, read as verify reads a register (mapped, with
    a cache for the audit_link hash index: verify_integrity.py)."""
    try:
        connection = connect_readonly_file(path, immutable=True)
        try:
            lines = integrity_lines(connection)
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return str(exc)
    result = "; ".join(lines)
    return "ok" if result == "ok" else result


def _check_files(folder: Path, manifest: dict[str, Any], report: Report) -> None:
    listed: set[str] = set()
    for entry in manifest.get("files", []):
        name = str(entry.get("name", ""))
        path = folder / name
        listed.add(name)
        if not name or Path(name).name != name:
            report.problems.append(Problem(str(path), "handover_verify.bad_entry"))
            continue
        if not path.is_file():
            report.problems.append(Problem(str(path), "handover_verify.file_missing"))
            continue
        if sha256_file(path) != entry.get("sha256"):
            report.problems.append(Problem(str(path), "handover_verify.file_changed"))
            continue
        if entry.get("role") in ("snapshot", "pack"):
            result = _integrity(path)
            if result != "ok":
                report.problems.append(
                    Problem(str(path), "handover_verify.snapshot_damaged", {"detail": result})
                )
    for path in sorted(folder.iterdir()):
        if path.name not in (MANIFEST, SIGNATURE) and path.name not in listed:
            report.problems.append(Problem(str(path), "handover_verify.file_unexpected"))


def _check_link(folder: Path, manifest: dict[str, Any], report: Report, *, strict: bool) -> None:
    previous = manifest.get("previous_manifest")
    if not isinstance(previous, dict):  # a numbered archive: checked with its folder
        return
    before = folder.parent / str(previous.get("archive", ""))
    link = f"{folder.name} → {before.name}"
    if not (before / MANIFEST).is_file():
        target = report.problems if strict else report.notes
        target.append(Problem(link, "handover_verify.previous_missing"))
        return
    if sha256_file(before / MANIFEST) != previous.get("sha256"):
        report.problems.append(Problem(link, "handover_verify.chain_broken"))


def verify_archive(path: Path, report: Report | None = None, *, strict: bool = False) -> Report:
    """Check one archive folder. Its link to the previous archive is checked when that archive
    sits beside it (and must, with `strict`, as in a folder of archives)."""
    report = report or Report()
    path = Path(path)
    report.archives.append(str(path))
    manifest = _load_manifest(path, report)
    if manifest is None:
        return report
    if manifest.get("format") in LEGACY_FORMATS:  # its rows are never checked: not counted
        report.archives.remove(str(path))
    _check_files(path, manifest, report)
    _check_link(path, manifest, report, strict=strict)
    return report


def is_archive(path: Path) -> bool:
    return (Path(path) / MANIFEST).is_file()


def verify_archives(path: Path) -> Report:
    """Check an archive, or every archive in a folder of them and the chain between them."""
    path = Path(path)
    report = Report()
    if not path.is_dir():
        report.problems.append(Problem(str(path), "handover_verify.not_found"))
        return report
    if is_archive(path):
        verify_archive(path, report)
        problems, notes = lone_legacy_problems(path)
        report.problems += problems
        report.notes += notes
        if report.ok:
            _check_alone(path, report)
        report.problems += lone_signature_problems(path)
        return report
    folders = sorted(
        child
        for child in path.iterdir()
        if child.is_dir() and not child.name.startswith(TEMP_PREFIX) and child.name != ROSTER_FOLDER
    )
    if not folders:
        report.problems.append(Problem(str(path), "handover_verify.none_found"))
    for folder in folders:
        verify_archive(folder, report, strict=True)
    _end_to_end(path, report, replayed=not report.problems)
    return report


def _check_alone(path: Path, report: Report) -> None:
    """A lone archive's rows: a full snapshot is replayed and rendered as in a folder; a pack's
    rows against its own links from its manifest's base head. What needs the archive before it
    (that the base head is that archive's head, the forms rendered again) is said as a note."""
    from dutydesk.services.archive.archive_folder import pinned_head
    from dutydesk.services.archive.archive_manifest import FULL, read_archive
    from dutydesk.services.archive.archive_replay import check_pack
    from dutydesk.services.archive.export_pack import PACK

    archive = read_archive(path)
    if archive is None or archive.legacy:
        return
    if archive.content == FULL:
        _replay_and_render([archive], report)
        return
    report.problems += check_pack(
        path / PACK, pinned_head(archive.base), pinned_head(archive.head), path.name
    )
    report.notes.append(Problem(path.name, "archive_check.alone_pack"))


def _replay_and_render(archives: list[Archive], report: Report) -> None:
    """The archives' rows replayed in order, and each one's files rendered again from them."""
    from dutydesk.services.archive.archive_folder import replay
    from dutydesk.services.archive.archive_render import check_rendered

    for archive, copy, problems in replay(archives):
        report.problems += problems
        if copy is not None:
            report.problems += check_rendered(archive, copy)


def _end_to_end(root: Path, report: Report, *, replayed: bool) -> None:
    """The folder's numbered archives: their chain, their rows replayed, their files rendered."""
    from dutydesk.services.archive.archive_folder import check_manifest_chain
    from dutydesk.services.archive.archive_manifest import by_office, describe_offices

    found = archives_in(root)
    problems, notes = legacy_problems(found)
    report.problems += problems
    report.notes += notes
    offices = by_office(found)
    if len([office for office in offices if office is not None]) > 1:
        # another desk's archives in this folder: each office's chain checked on its own, and
        # the mix is a failure naming them (a restore from here is refused as well)
        report.problems.append(Problem(str(root), "archive_office.mixed",
                                       {"offices": describe_offices(offices)}))  # fmt: skip
    for archives in offices.values():
        numbered = [a for a in archives if not a.legacy and a.number is not None]
        newest = max(numbered, key=lambda a: a.number or 0, default=None)
        report.newest = report.newest or newest
        report.problems += check_manifest_chain(archives, report.notes)
        report.problems += signature_problems(archives) + derived_problems(archives)
        if replayed:  # files that fail their SHA-256 are not read as rows
            _replay_and_render(archives, report)
