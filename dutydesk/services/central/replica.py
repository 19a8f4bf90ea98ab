"""A desk's replica: a SQLite copy of its register as of the head the city holds, kept in the
central work folder, so each new pack is checked as `dutydesk verify` checks a folder of
archives (its rows applied to the register before it, its export record, its forms rendered
again) without replaying the desk's whole history each time.

The replica is only a cache: its head is compared with the city's before each use, and
rebuilt from the archives' files kept in the database when it differs (a check that failed
half-way, a folder wiped). Rebuilding checks every archive again, in order."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_folder import _check_full, _copy, copy_head, pinned_head
from dutydesk.services.archive.archive_manifest import FULL, Archive, read_archive
from dutydesk.services.archive.archive_replay import Problem, apply_pack, check_pack
from dutydesk.services.archive.export_pack import PACK, Head
from dutydesk.services.archive.snapshot_onto import snapshot_continues

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]


def check_pack_onto(archive: Archive, copy: Path, replayed: Head | None) -> list[Problem]:
    """As `dutydesk verify` replays a pack (archive_folder._check_pack): checked against its
    links and the head replayed so far, then its rows added to the replica. The desk's call
    search index is not written: the replica is only checked, never searched."""
    data = archive.path / PACK
    if archive.file_of("pack") is None or not data.is_file():
        return [Problem(archive.name, "handover_verify.file_missing")]
    problems = check_pack(data, replayed, pinned_head(archive.head), archive.name)
    if problems:
        return problems
    try:
        apply_pack(copy, data, index_calls=False)
    except sqlite3.Error:
        return [Problem(archive.name, "archive_check.pack_unreadable", {"detail": "apply"})]
    return []


def check_full_onto(archive: Archive, copy: Path, replayed: Head | None) -> list[Problem]:
    """A full snapshot against the replica at the city's head `replayed`: when it continues
    that head, its links up to it and their rows are compared with the replica's (proven when
    they came) and only the links after it walked and hashed (archive/snapshot_onto.py);
    otherwise, or when that does not show it sound, the whole chain checked as `dutydesk
    verify` checks it, whose verdict stands. Either way the replica then becomes the snapshot."""
    snapshot = archive.file_of("snapshot")
    if (
        replayed is not None
        and snapshot is not None
        and snapshot.is_file()
        and copy.is_file()
        and snapshot_continues(snapshot, copy, replayed, pinned_head(archive.head))
    ):
        _copy(snapshot, copy)
        return []
    return _check_full(archive, copy, replayed)


class Known(NamedTuple):
    """The newest archive the city holds for a desk."""

    number: int
    sha256: str
    head: Head
    name: str


def newest(conn: Conn, office_id: str) -> Known | None:
    row = conn.execute(
        "SELECT number, manifest_sha, head_seq, head_hash, name FROM central_head(%s)",
        (office_id,),
    ).fetchone()
    if row is None:
        return None
    return Known(int(row[0]), str(row[1]), Head(int(row[2]), str(row[3])), str(row[4]))


def replica_path(work: Path, office_id: str) -> Path:
    return work / f"{hashlib.sha256(office_id.encode()).hexdigest()[:24]}.sqlite3"


def materialise(conn: Conn, sha256: str, name: str, into: Path) -> Archive:
    """An archive's files, as kept in the database, written out as a folder `into/name`."""
    folder = into / name
    folder.mkdir(parents=True)
    for file_name, data in conn.execute(
        "SELECT name, data FROM archive_file WHERE manifest_sha = %s", (sha256,)
    ):
        (folder / str(file_name)).write_bytes(bytes(data))
    archive = read_archive(folder)
    if archive is None or archive.sha256 != sha256:
        raise DutyError("central.replica_failed", office=name, detail="manifest")
    return archive


def replica_at(conn: Conn, work: Path, office_id: str, known: Known) -> Path:
    """The desk's replica at the city's head, rebuilt if it is not."""
    path = replica_path(work, office_id)
    if path.is_file():
        try:
            if copy_head(path) == known.head:
                return path
        except Exception:  # noqa: BLE001  (any unreadable replica is rebuilt)
            pass
    _rebuild(conn, path, office_id, known)
    return path


def _rebuild(conn: Conn, path: Path, office_id: str, known: Known) -> None:
    rows = conn.execute(
        "SELECT number, content, manifest_sha, name FROM archive WHERE office_id = %s "
        "AND number <= %s AND manifest_sha NOT IN (SELECT s.manifest_sha FROM "
        "central_set_aside() s) ORDER BY number",
        (office_id, known.number),
    ).fetchall()
    start = max((i for i, row in enumerate(rows) if row[1] == FULL), default=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dutydesk-central-") as folder:
        replayed: Head | None = None
        for _number, content, sha256, name in rows[start:]:
            archive = materialise(conn, str(sha256), str(name), Path(folder))
            check = _check_full if content == FULL else check_pack_onto
            problems: list[Problem] = check(archive, path, replayed)
            if problems:
                raise DutyError("central.replica_failed", office=name,
                                detail=problems[0].message())  # fmt: skip
            replayed = pinned_head(archive.head)
            shutil.rmtree(archive.path)
