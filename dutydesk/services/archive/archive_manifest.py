"""What an archive's manifest says about itself, so that it can be read without the register it
came from (docs/archive-format.md): the office's stable id, the schema and program versions,
the profile, the chain range it covers and the head it ends at, its number and the SHA-256 of
the previous archive's manifest."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dutydesk.errors import DutyError

FORMAT = "dutydesk-archive/2"
LEGACY_FORMATS = ("dutydesk-archive/1",)
MANIFEST = "manifest.json"
FULL = "full_snapshot"
PACK = "pack"
MANIFEST_CAP = 64 * 1024 * 1024
SIGNATURE_CAP = 4 * 1024


def read_bounded(path: Path, cap: int) -> bytes:
    """The bytes of an archive's small file: only a regular file (no symlink, device or fifo:
    a manifest linked to /dev/zero would be read without end) of at most `cap` bytes. A missing
    or unreadable file raises OSError as before; a hostile one is refused with a message."""
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):
        raise DutyError("fix9_fixarch.not_regular", path=str(path))
    if info.st_size > cap:
        raise DutyError("fix9_fixarch.too_big", path=str(path), cap=cap // 1024)
    with path.open("rb") as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:  # grew while being read
        raise DutyError("fix9_fixarch.too_big", path=str(path), cap=cap // 1024)
    return data


def office_id(conn: sqlite3.Connection, schema: str = "main") -> str | None:
    """The office's stable id: the hash of the register's first audit link. It is in the chain
    by construction, differs between any two registers, and survives a restore (a restored
    register continues the same chain)."""
    row = conn.execute(f"SELECT hash FROM {schema}.audit_link WHERE seq = 1").fetchone()
    return f"chain:{row[0]}" if row else None


def schema_versions(conn: sqlite3.Connection, schema: str = "main") -> list[str]:
    try:
        rows = conn.execute(f"SELECT version_num FROM {schema}.alembic_version").fetchall()
    except sqlite3.Error:
        return []
    return sorted(str(row[0]) for row in rows)


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Archive:
    """One archive folder and its manifest, as read."""

    path: Path
    manifest: dict[str, Any]
    sha256: str  # of its manifest file

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def legacy(self) -> bool:
        return self.manifest.get("format") in LEGACY_FORMATS

    @property
    def number(self) -> int | None:
        value = self.manifest.get("archive_number")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def content(self) -> str:
        return str(self.manifest.get("content", FULL))

    @property
    def previous(self) -> str | None:
        """The SHA-256 of the previous manifest (a legacy manifest held it in a dict)."""
        value = self.manifest.get("previous_manifest")
        if isinstance(value, dict):
            value = value.get("sha256")
        return value if isinstance(value, str) else None

    @property
    def head(self) -> dict[str, Any] | None:
        value = self.manifest.get("chain_head") or self.manifest.get("audit_chain_head")
        return value if isinstance(value, dict) else None

    @property
    def base(self) -> dict[str, Any] | None:
        value = self.manifest.get("base_head")
        return value if isinstance(value, dict) else None

    @property
    def office_id(self) -> str | None:
        value = self.manifest.get("office_id")
        return value if isinstance(value, str) else None

    @property
    def office_label(self) -> str:
        """The office as named in messages: its name and the start of its stable id."""
        return f"{self.manifest.get('office', '—')} ({(self.office_id or '—')[:22]}…)"

    def file_of(self, role: str) -> Path | None:
        for entry in self.manifest.get("files", []):
            if isinstance(entry, dict) and entry.get("role") == role:
                return self.path / str(entry.get("name", ""))
        return None


def read_archive(folder: Path) -> Archive | None:
    """The archive in `folder`, or None if it has no readable manifest of a known format."""
    path = folder / MANIFEST
    try:
        data = read_bounded(path, MANIFEST_CAP)
        manifest = json.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") not in (FORMAT, *LEGACY_FORMATS):
        return None
    return Archive(folder, manifest, sha256_bytes(data))


def archives_in(root: Path, skip_refused: bool = False) -> list[Archive]:
    """The finished archives in a folder of archives (hidden and unreadable ones left out). A
    manifest that is not a plain file or is past the cap is refused (DutyError), unless
    `skip_refused`: then that folder is left out too (the export's look at whose archives share
    the folder: one odd folder beside them must not stop every handover's export)."""
    found = []
    try:
        children = sorted(root.iterdir())
    except OSError:
        return []
    for child in children:
        if child.name.startswith(".") or not child.is_dir():
            continue
        try:
            archive = read_archive(child)
        except DutyError:
            if not skip_refused:
                raise
            continue
        if archive is not None:
            found.append(archive)
    return found


def by_office(archives: list[Archive]) -> dict[str | None, list[Archive]]:
    """The archives of each office (its stable id; None for a format-1 archive, which has none),
    the office with the most archives first."""
    groups: dict[str | None, list[Archive]] = {}
    for archive in archives:
        groups.setdefault(archive.office_id, []).append(archive)
    return dict(sorted(groups.items(), key=lambda item: -len(item[1])))


def describe_offices(groups: dict[str | None, list[Archive]]) -> str:
    """ "A (chain:…, 5 archives); B (chain:…, 2 archives)" for a message."""
    return "; ".join(f"{found[0].office_label}: {len(found)}" for found in groups.values())
