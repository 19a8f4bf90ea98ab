"""Restoring from a folder of archives: the newest full snapshot, then every later pack in
order, each checked against the chain before its rows are added (services/archive/restore.py
does the rest: the new file, the checks of the copy, the restore record, the PIN rule).

The archives from the newest one back to the newest full snapshot must form one chain: each
names the SHA-256 of the previous one's manifest, the numbers go down by one, and each pack
starts at the head the one before it ends at."""

from __future__ import annotations

from pathlib import Path

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_legacy import refuse_legacy_among_new
from dutydesk.services.archive.archive_manifest import (
    FULL,
    Archive,
    archives_in,
    by_office,
    describe_offices,
    read_archive,
)
from dutydesk.services.archive.archive_replay import apply_pack, check_pack, register_head
from dutydesk.services.archive.export_pack import PACK, Head


def chain_to(root: Path, newest: Archive | None = None) -> list[Archive]:
    """The archives to restore `newest` (default: the highest number in `root`): from the
    newest full snapshot before it, in order. Raises DutyError naming a gap or a fork."""
    # Restoring the newest of a folder, an archive that cannot be read there may be the newest:
    # refused, named (review, session 11). A named archive's chain is checked link by link.
    every = archives_in(root, skip_refused=newest is not None)
    refuse_legacy_among_new(root, every)
    found = [a for a in every if not a.legacy and a.number is not None]
    if not found:
        raise DutyError("reliability.no_snapshot", path=str(root))
    offices = by_office(found)
    if newest is not None:  # the archive named: its own office's archives only
        found = offices.get(newest.office_id, [newest])
    elif len(offices) > 1:
        raise DutyError("archive_office.mixed_restore", path=str(root),
                        offices=describe_offices(offices))  # fmt: skip
    if newest is None:
        top = max(a.number for a in found if a.number is not None)
        tops = [a for a in found if a.number == top]
        if len(tops) > 1:
            raise DutyError("archive_check.restore_fork", path=str(root), number=top)
        newest = tops[0]
    by_sha = {a.sha256: a for a in found}
    chain = [newest]
    while chain[-1].content != FULL:
        current = chain[-1]
        before = by_sha.get(current.previous or "")
        if before is None or before.number != (current.number or 0) - 1:
            raise DutyError("archive_check.restore_gap", path=str(current.path),
                            number=(current.number or 1) - 1)  # fmt: skip
        chain.append(before)
    return list(reversed(chain))


def locate(archive: Path) -> tuple[Path, Archive | None] | None:
    """A folder of archives, or a pack: (the folder of archives, the archive to restore, None
    for the newest). None for a single full archive or a bare file (restored as they are)."""
    if not archive.is_dir():
        return None
    one = read_archive(archive)
    if one is not None:
        if one.legacy:
            refuse_legacy_among_new(
                archive.parent, archives_in(archive.parent, skip_refused=True) or [one]
            )
            return None
        if one.content == FULL:
            return None
        return archive.parent, one
    if archives_in(archive, skip_refused=True):
        return archive, None
    return None


def apply_packs(temp: Path, packs: list[Archive], pinned_head: str | None, snapshot: Path) -> None:
    """Add each pack's rows to the restored copy at `temp` (a full snapshot whose manifest pins
    `pinned_head`), each pack checked first."""
    from dutydesk.db import SchemaState, schema_state
    from dutydesk.services.archive.export import sha256_file

    if schema_state(temp) is not SchemaState.current:
        raise DutyError("reliability.not_register", path=str(snapshot))
    start = register_head(temp)
    if start is None or start.hash != pinned_head:
        raise DutyError("reliability.head_mismatch", path=str(snapshot))
    for pack in packs:
        data = pack.path / PACK
        listed = pack.file_of("pack")
        if listed is None or not data.is_file():
            raise DutyError("reliability.no_snapshot", path=str(pack.path))
        expected = next(e.get("sha256") for e in pack.manifest["files"] if e.get("role") == "pack")
        if sha256_file(data) != expected:
            raise DutyError("reliability.snapshot_altered", path=str(data))
        base = register_head(temp)
        head = pack.head
        problems = check_pack(
            data, base, Head(head["seq"], head["hash"]) if head else None, pack.name
        )
        if problems:
            raise DutyError("archive_check.restore_refused", detail=problems[0].message())
        apply_pack(temp, data)
