"""The 值班表 files of each filing, kept by the desk: every filing writes its own numbered XLSX
and DOCX for the officer to send (a filing never overwrites an earlier one's), and a copy
beside the register named by the filing's row (<register>.roster-files/roster-filing-<id>.xlsx)
that the handover archive carries. The files are not byte-stable to render again (a DOCX and an
XLSX carry the time they were written), so an archive's copy is checked by its SHA-256 against
the filing row (xlsx_sha256, docx_sha256), not rendered again."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.errors import DutyError

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import Desk

SUFFIXES = ("xlsx", "docx")
ROLES = {suffix: f"roster_filing_{suffix}" for suffix in SUFFIXES}  # an archive entry's role
_NAME = re.compile(r"roster-filing-(\d+)\.(xlsx|docx)$")
FOLDER_MODE = 0o700


@dataclass(frozen=True)
class FiledFile:
    """One file of a filing as the desk keeps it: `data` None when the copy is missing."""

    filing_id: int
    suffix: str
    sha256: str
    data: bytes | None

    @property
    def name(self) -> str:
        return f"roster-filing-{self.filing_id}.{self.suffix}"

    @property
    def role(self) -> str:
        return ROLES[self.suffix]

    @property
    def intact(self) -> bool:
        return self.data is not None and hashlib.sha256(self.data).hexdigest() == self.sha256


def filed_folder(register: Path) -> Path:
    return register.with_name(register.name + ".roster-files")


def keep_copies(register: Path, filing_id: int, files: dict[str, bytes]) -> None:
    """The desk's own copy of a filing's files. The filing row is not committed yet: a file of
    that name can only be left by an attempt that was rolled back, so it is replaced."""
    folder = filed_folder(register)
    folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
    for suffix, data in files.items():
        target = folder / f"roster-filing-{filing_id}.{suffix}"
        temp = target.with_suffix(".part")
        temp.write_bytes(data)
        os.replace(temp, target)


def write_new(paths_and_data: list[tuple[Path, bytes]]) -> None:
    """Each file created, never over an existing one (refused, with none of them left)."""
    made: list[Path] = []
    try:
        for path, data in paths_and_data:
            descriptor = os.open(
                path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
            )  # as the register
            with os.fdopen(descriptor, "wb") as handle:
                made.append(path)
                handle.write(data)
    except FileExistsError as exc:
        for path in made:
            path.unlink(missing_ok=True)
        raise DutyError("roster.file_exists", path=str(exc.filename)) from exc
    except BaseException:
        for path in made:
            path.unlink(missing_ok=True)
        raise


def filed_between(desk: Desk, starts_at: DateTime, ends_at: DateTime) -> list[FiledFile]:
    """The files of the filings recorded in [starts_at, ends_at) (a shift's), in order."""
    from sqlmodel import col, select

    from dutydesk.db import read_session
    from dutydesk.models import RosterFiling

    with read_session(desk.engine) as session:
        rows = session.exec(
            select(RosterFiling)
            .where(col(RosterFiling.recorded_at) >= starts_at,
                   col(RosterFiling.recorded_at) < ends_at,
                   col(RosterFiling.change_id).is_(None))
            .order_by(col(RosterFiling.id))
        ).all()  # fmt: skip
    folder = filed_folder(desk.path)
    found: list[FiledFile] = []
    for row in rows:
        for suffix, digest in (("xlsx", row.xlsx_sha256), ("docx", row.docx_sha256)):
            if row.id is None or digest is None:
                continue
            path = folder / f"roster-filing-{row.id}.{suffix}"
            data = path.read_bytes() if path.is_file() else None
            found.append(FiledFile(row.id, suffix, digest, data))
    return found


def recorded_digest(register: Path, name: str) -> str | None:
    """The SHA-256 the filing row of an archived file (named roster-filing-<id>.<suffix>)
    holds in `register` (an archive's replayed copy), None when there is no such row."""
    match = _NAME.search(name)
    if match is None:
        return None
    column = f"{match.group(2)}_sha256"
    uri = f"file:{register}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        row = conn.execute(
            f"SELECT {column} FROM roster_filing WHERE id = ?", (int(match.group(1)),)
        ).fetchone()
    return str(row[0]) if row and row[0] else None
