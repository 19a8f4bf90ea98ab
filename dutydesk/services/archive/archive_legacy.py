"""Old-format archives (dutydesk-archive/1) among new ones (issue 16, breaker finding 1).

A format-1 archive's rows are never replayed: only its files' hashes are checked. Setting a new
archive's `format` back to "dutydesk-archive/1" (its file hashes recomputed) would so turn off
every other check of it, and restore would leave it out. Format 1 came before numbering, office
ids and packs, and every export since writes format 2: an old-format archive that sits among
new-format ones, carries a field only format 2 has, or names a new-format manifest as its
previous one is refused, and a genuine one is said to be unchecked, never counted verified."""

from __future__ import annotations

from pathlib import Path

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_manifest import Archive, archives_in, read_archive
from dutydesk.services.archive.archive_replay import Problem

# fields only a format-2 manifest has
_NEW_FIELDS = ("archive_number", "office_id", "content", "base_head", "chain_range")


def poses_as_legacy(archive: Archive, beside: list[Archive]) -> bool:
    """An old-format manifest that cannot be one: new fields, a new-format previous manifest,
    or new-format archives beside it."""
    if not archive.legacy:
        return False
    manifest = archive.manifest
    if any(name in manifest for name in _NEW_FIELDS):
        return True
    if isinstance(manifest.get("previous_manifest"), str):
        return True  # format 1 held the previous manifest as {archive, sha256}
    return any(not other.legacy for other in beside)


def _previous_is_new(archive: Archive) -> bool:
    previous = archive.manifest.get("previous_manifest")
    if not isinstance(previous, dict):
        return False
    before = read_archive(archive.path.parent / str(previous.get("archive", "")))
    return before is not None and not before.legacy


def legacy_problems(archives: list[Archive]) -> tuple[list[Problem], list[Problem]]:
    """(problems, notes) for the old-format archives of a folder of archives."""
    problems, notes = [], []
    for archive in archives:
        if not archive.legacy:
            continue
        if poses_as_legacy(archive, archives) or _previous_is_new(archive):
            problems.append(Problem(archive.name, "archive_check.legacy_among_new"))
        else:
            notes.append(Problem(archive.name, "archive_check.legacy_unchecked"))
    return problems, notes


def lone_legacy_problems(folder: Path) -> tuple[list[Problem], list[Problem]]:
    """The same for one archive checked alone (its neighbours are its folder's archives)."""
    archive = read_archive(folder)
    if archive is None or not archive.legacy:
        return [], []
    beside = [a for a in archives_in(folder.parent) if a.path != archive.path]
    if poses_as_legacy(archive, beside) or _previous_is_new(archive):
        return [Problem(archive.name, "archive_check.legacy_among_new")], []
    return [], [Problem(archive.name, "archive_check.legacy_unchecked")]


def refuse_legacy_among_new(root: Path, archives: list[Archive]) -> None:
    """Restore never leaves an old-format archive out silently: among new ones it is refused."""
    posing = [a.name for a in archives if poses_as_legacy(a, archives)]
    if posing:
        raise DutyError("archive_check.legacy_restore", path=str(root), names=", ".join(posing))
