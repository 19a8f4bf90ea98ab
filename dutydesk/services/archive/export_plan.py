"""What an export is about to write: its number, whether a full snapshot or a pack, the
previous archive it continues, and the subjects of its forms."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pendulum
from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.models import ExportRecord
from dutydesk.services.archive.archive_manifest import Archive, read_archive, schema_versions
from dutydesk.services.archive.export_files import Source, source_of

if TYPE_CHECKING:
    from dutydesk.services.core import Desk


@dataclass(frozen=True)
class Plan:
    root: Path
    name: str
    number: int
    full: bool
    previous: Archive | None  # the previous archive, when it is in this folder
    previous_sha: str | None  # its manifest's SHA-256, as the register recorded it
    previous_elsewhere: str | None  # the folder it went to, when not this one (`export --to`)
    subjects: list[tuple[Source, str]]  # what the forms are about, and their file name prefix
    handover_ids: list[int]


def last_record(desk: Desk) -> ExportRecord | None:
    with read_session(desk.engine) as session:
        return session.exec(
            select(ExportRecord)
            .where(ExportRecord.ok == True, col(ExportRecord.manifest_sha256).is_not(None))  # noqa: E712
            .order_by(col(ExportRecord.id).desc())
            .limit(1)
        ).first()


def _archive_number(desk: Desk) -> int:
    """Archives are numbered 1, 2, 3... per register: one more than those it recorded."""
    with read_session(desk.engine) as session:
        recorded = session.exec(
            select(ExportRecord.manifest_sha256).where(ExportRecord.ok == True)  # noqa: E712
        ).all()
    return len({sha for sha in recorded if sha}) + 1


def _full_due(desk: Desk, previous: Archive) -> bool:
    since = previous.manifest.get("full_base", {}).get("created_at")
    if not isinstance(since, str):
        return True
    try:
        made = pendulum.parse(since)
    except (ValueError, pendulum.parsing.exceptions.ParserError):
        return True
    assert isinstance(made, pendulum.DateTime)
    return desk.now() >= made.add(days=desk.profile.handover.full_snapshot_days)


def _schema_changed(desk: Desk, previous: Archive) -> bool:
    """A register migrated since the previous archive gets a full snapshot: a pack's rows are
    read into the tables of the archive before it, which a migration may have changed."""
    from dutydesk.db import connect_readonly_file

    conn = connect_readonly_file(desk.path)
    try:
        now = schema_versions(conn)
    finally:
        conn.close()
    return previous.manifest.get("schema") != now


def refuse_other_offices(desk: Desk, root: Path) -> None:
    """A folder holding another office's archives is never written into: mixed, neither
    office's chain could be verified or restored from it."""
    from dutydesk.db import connect_readonly_file
    from dutydesk.errors import DutyError
    from dutydesk.services.archive.archive_manifest import (
        archives_in,
        by_office,
        describe_offices,
        office_id,
    )

    conn = connect_readonly_file(desk.path)
    try:
        ours = office_id(conn)
    finally:
        conn.close()
    others: dict[str | None, list[Archive]] = {
        office: found for office, found in by_office(archives_in(root, skip_refused=True)).items()
              if office is not None and office != ours}  # fmt: skip
    if ours is not None and others:
        raise DutyError("archive_office.foreign_target", path=str(root),
                        offices=describe_offices(others))  # fmt: skip


def make_plan(
    desk: Desk, root: Path, handover_ids: list[int], *, full: bool, temp_prefix: str
) -> Plan:
    refuse_other_offices(desk, root)
    record = last_record(desk)
    previous = None
    if record is not None and record.archive:
        found = read_archive(root / record.archive)
        if found is not None and found.sha256 == record.manifest_sha256:
            previous = found
    continues = previous is not None and not previous.legacy and previous.head is not None
    full = (
        full
        or previous is None
        or not continues
        or _full_due(desk, previous)
        or _schema_changed(desk, previous)
    )
    subjects = [(source_of(desk, h), f"{h}-" if len(handover_ids) > 1 else "")
                for h in handover_ids] or [(source_of(desk, None), "")]  # fmt: skip
    name = _archive_name(desk, root, subjects[-1][0], temp_prefix)
    sha = record.manifest_sha256 if record is not None else None
    elsewhere = _elsewhere(record, root) if previous is None else None
    return Plan(root, name, _archive_number(desk), full, previous, sha, elsewhere, subjects,
                handover_ids)  # fmt: skip


def _elsewhere(record: ExportRecord | None, root: Path) -> str | None:
    """Where the previous archive went, when it was written to another folder (so this
    folder's chain of manifests has no gap there: it continues in that folder)."""
    if record is None or not record.target:
        return None
    try:
        other = Path(record.target).resolve() != root.resolve()
    except OSError:
        return None
    return record.target if other else None


def _archive_name(desk: Desk, root: Path, source: Source, temp_prefix: str) -> str:
    now = desk.now()
    shift = source.shift
    base = f"{now.format('YYYYMMDD-HHmmss')}-{shift.slot_code if shift else 'none'}"
    name, counter = base, 1
    while (root / name).exists() or any(root.glob(f"{temp_prefix}{name}-*")):
        counter += 1
        name = f"{base}-{counter}"
    return name
