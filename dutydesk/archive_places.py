"""Where a register's archives are, and the message for a register that cannot be read.

Below the services on purpose: the store (db.translate) and the desk's start-up checks name
the latest archive when a register is damaged, and neither may import the services."""

from __future__ import annotations

from pathlib import Path

from dutydesk.errors import DutyError
from dutydesk.paths import configured_export_dir

EXPORTS_DIR = "exports"  # the archive folder beside the database (services/export.py)
SNAPSHOT_NAME = "database.sqlite3"
SNAPSHOT_SUFFIXES = (".sqlite3", ".sqlite", ".db")
MANIFEST_NAME = "manifest.json"
ROSTER_FOLDER = "rosters"  # filed rosters' working copies, beside the archives (not an archive)


def archive_roots(db_path: Path) -> list[Path]:
    roots = [db_path.parent / EXPORTS_DIR]
    exports = configured_export_dir()  # the same override services/export.py honours
    if exports is not None:
        roots.append(exports)
    return roots


def snapshot_in(folder: Path) -> Path | None:
    preferred = folder / SNAPSHOT_NAME
    if preferred.is_file():
        return preferred
    try:
        found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in SNAPSHOT_SUFFIXES)
    except OSError:
        return None
    return found[0] if len(found) == 1 else None


def latest_archive(db_path: Path) -> Path | None:
    """The newest archive (folder or snapshot file) in the archive folders of `db_path`;
    unfinished exports (hidden `.tmp-` folders) are ignored. Never raises."""
    candidates: list[tuple[int, str, Path]] = []
    for root in archive_roots(db_path):
        try:
            entries = list(root.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    snapshot = snapshot_in(entry)
                    if snapshot is not None:
                        candidates.append((snapshot.stat().st_mtime_ns, entry.name, entry))
                elif entry.suffix in SNAPSHOT_SUFFIXES:
                    candidates.append((entry.stat().st_mtime_ns, entry.name, entry))
            except OSError:
                continue
    return max(candidates)[2] if candidates else None


def damaged_error(db_path: Path) -> DutyError:
    """The message for a register that cannot be read: names the latest archive, if any."""
    archive = latest_archive(db_path)
    if archive is None:
        return DutyError("db.damaged", path=str(db_path))
    return DutyError("reliability.damaged_archive", path=str(db_path), archive=str(archive))
