"""Archives (归档导出): at every handover, and on demand, a folder that pins what was handed over.

The first archive of a register, and then one at least every `full_snapshot_days` (an office
setting of the profile, default 91), after a schema change or on demand (`export --full`), holds
a full snapshot of the register (database.sqlite3, the SQLite backup API, never a file copy).
Every other archive is a pack (pack.sqlite3, services/archive/export_pack.py): the audit links
written since the previous archive's chain head and their rows. Both hold the handover form
(值班交接表, Markdown and printable A4 DOCX) and the registers as CSV
(services/archive/export_files.py), and manifest.json (services/archive/archive_manifest.py;
docs/archive-format.md): every file's SHA-256, the archive's number, the chain range and head it
covers, the SHA-256 of the previous archive's manifest, the office's stable id, the schema and
program versions and the profile.

PIN hashes are blanked before any file reaches the export folder. The archive is written into a
temporary folder, recorded in the register (an export_record, chained), and only then renamed
into place: an export killed before the record leaves a temp folder the next export removes; one
killed after it is finished (renamed) by the next export. Folders are 0700, files 0600. A failed
export never undoes a sign-off: it is recorded, and retried later."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import secrets
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from dutydesk.clock import FrozenClock
from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.models import ExportRecord, Handover
from dutydesk.paths import configured_export_dir
from dutydesk.services.archive import export_snapshot, export_temp
from dutydesk.services.archive.archive_manifest import (
    MANIFEST,
    manifest_bytes,
    sha256_bytes,
)
from dutydesk.services.archive.desk_key import sign_manifest
from dutydesk.services.archive.export_files import Rendered, render
from dutydesk.services.archive.export_manifest import build_manifest
from dutydesk.services.archive.export_pack import PACK as PACK_FILE
from dutydesk.services.archive.export_pack import Head, head_of, write_pack
from dutydesk.services.archive.export_plan import Plan, last_record, make_plan
from dutydesk.services.archive.write_reason import reason_of
from dutydesk.services.core import audit

if TYPE_CHECKING:
    from dutydesk.services.archive.verify_pass import Progress
    from dutydesk.services.core import Desk

SNAPSHOT = "database.sqlite3"
TEMP_PREFIX = ".tmp-"
DEFAULT_DIR = "exports"
DIR_MODE = 0o700
FILE_MODE = 0o600
ERROR_MAX = 1000
ATTEMPTS = 3  # an export that finds another one recorded meanwhile plans again


@dataclass(frozen=True)
class ExportResult:
    ok: bool
    path: Path | None
    error: str | None  # the message, in the user's language
    handover_id: int | None = None
    notes: tuple[str, ...] = ()  # about the signing key, to be said loudly (desk_key.key_notes)


def default_root(desk: Desk) -> Path:
    return desk.path.parent / DEFAULT_DIR


def export_root(desk: Desk, explicit: Path | None = None) -> Path:
    if explicit is not None:
        return Path(explicit).expanduser()
    return configured_export_dir() or default_root(desk)


def _prepare_root(desk: Desk, root: Path) -> Path:
    """The default folder is made on first use; a folder given by the user must exist."""
    if root.resolve() == default_root(desk).resolve() and not root.exists():
        try:
            root.mkdir(mode=DIR_MODE)
        except OSError as exc:
            raise DutyError(
                "handover_export.cannot_write", path=str(root), reason=reason_of(exc)
            ) from exc
    if not root.is_dir():
        raise DutyError("handover_export.missing_dir", path=str(root))
    resolved = root.resolve()
    for folder in (resolved, *resolved.parents):  # an archive holds files, never archives
        if (folder / MANIFEST).is_file():
            raise DutyError("handover_export.inside_archive", path=str(root), archive=str(folder))
    return resolved


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return _sha256_handle(handle)


def _sha256_handle(handle: Any) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with open(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, FILE_MODE)


def _render_all(desk: Desk, plan: Plan) -> tuple[list[Rendered], list[dict[str, str]]]:
    from dutydesk.services.archive.archive_attachments import attached

    files: list[Rendered] = []
    omitted: list[dict[str, str]] = []
    for source, prefix in plan.subjects:
        written, left_out = render(desk, source, prefix)
        more, missing = attached(desk, source, prefix)  # filed as they are (the roster's)
        written, left_out = written + more, left_out + missing
        files += written
        omitted += [{**entry, "prefix": prefix} if prefix else entry for entry in left_out]
    return files, omitted


def _write_data(
    desk: Desk,
    held: tuple[Desk, sqlite3.Connection],
    temp: Path,
    plan: Plan,
    progress: Progress | None = None,
) -> tuple[Head | None, list[Rendered], Any]:
    """The snapshot or the pack, and the forms rendered from exactly the rows it ends at: all
    read through `held` (one read transaction: export_view.py), whatever is saved meanwhile."""
    view, connection = held
    hidden = None
    try:
        if plan.full:
            hidden = export_snapshot.take(desk, progress, source=connection)
        head = head_of(connection)
        files, omitted = _render_all(view, plan)
        if hidden is not None:
            export_snapshot.sync(hidden)
            export_snapshot.move_into(hidden, temp / SNAPSHOT)
        else:
            base = plan.previous.head if plan.previous is not None else None
            assert base is not None and head is not None  # a pack continues an archive's head
            write_pack(desk.path, temp / PACK_FILE, Head(base["seq"], base["hash"]), head)
    finally:
        if hidden is not None:
            export_snapshot.discard(hidden)
    return head, files, omitted


def _head(value: dict[str, Any] | None) -> Head | None:
    return Head(value["seq"], value["hash"]) if value else None


def write_archive(
    desk: Desk,
    target: Path | None = None,
    handover_id: int | None = None,
    *,
    full: bool = False,
    handover_ids: list[int] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write one archive (of one handover, of several still without one, or on demand) and
    record it. Raises DutyError (nothing left that verify would count) on failure."""
    root = _prepare_root(desk, export_root(desk, target))
    last = last_record(desk)
    if last is not None and last.archive and last.manifest_sha256:
        export_temp.finish_recorded(root, TEMP_PREFIX, last.archive, last.manifest_sha256)
    export_temp.remove_leftovers(root, TEMP_PREFIX)  # those of a killed export, once checked
    export_snapshot.remove_leftovers(desk.path)  # and the snapshots it left beside the register
    ids = handover_ids if handover_ids is not None else ([handover_id] if handover_id else [])
    for _attempt in range(ATTEMPTS):
        with contextlib.suppress(_Stale):
            return _write_once(desk, root, ids, full=full, progress=progress)
    raise DutyError("handover_export.cannot_write", path=str(root), reason="busy")


def write_archive_noted(
    desk: Desk,
    target: Path | None = None,
    handover_id: int | None = None,
    *,
    full: bool = False,
    handover_ids: list[int] | None = None,
    progress: Progress | None = None,
    lang: str | None = None,
) -> tuple[Path, list[str]]:
    """`write_archive`, with what must be said loudly about the signing key (desk_key.key_notes):
    a key made (where it is, to back it up, to have the city enrol it), a key file others may
    read. The CLI and the app's handover both say them."""
    from dutydesk.services.archive.desk_key import key_notes, said_notes

    notes = key_notes(desk.path, exported_before=last_record(desk) is not None)
    written = write_archive(desk, target, handover_id, full=full, handover_ids=handover_ids,
                            progress=progress)  # fmt: skip
    return written, said_notes(desk.path, notes, lang)


class _Stale(Exception):
    """Another export recorded an archive while this one was written: planned again."""


def _write_once(
    desk: Desk, root: Path, ids: list[int], *, full: bool, progress: Progress | None = None
) -> Path:
    # One moment for the whole archive: its forms, its manifest's created_at and its records,
    # so that verify, rendering at created_at, gets the same forms (an on-demand checklist
    # depends on the time).
    # And one read of the register (export_view.py): the plan (an on-demand checklist counts
    # the calls to follow up), the snapshot or pack and the forms see the same rows.
    from dutydesk.services.archive.export_view import held_view

    desk = dataclasses.replace(desk, clock=FrozenClock(desk.now(), desk.timezone))
    with held_view(desk) as (view, connection):
        plan = make_plan(view, root, ids, full=full, temp_prefix=TEMP_PREFIX)
        return _write_planned(desk, (view, connection), root, plan, progress)


def _write_planned(
    desk: Desk,
    held: tuple[Desk, sqlite3.Connection],
    root: Path,
    plan: Plan,
    progress: Progress | None,
) -> Path:
    """The archive of `plan` written: its data and forms read through `held` (the register at
    one moment), its record written to the register itself."""
    temp = root / f"{TEMP_PREFIX}{plan.name}-{secrets.token_hex(4)}"
    lock, recorded = None, False
    try:
        temp.mkdir(mode=DIR_MODE)
        os.chmod(temp, DIR_MODE)
        lock = export_temp.mark_ours(temp)
        head, files, omitted = _write_data(desk, held, temp, plan, progress)
        entries = _write_files(temp, plan, files)
        data = manifest_bytes(build_manifest(desk, plan, entries, omitted, head))
        _write(temp / MANIFEST, data)
        sign_manifest(desk.path, temp, data)  # the key beside the register: desk_key.py
        _record_ok(desk, plan, sha256_bytes(data))
        recorded = True
        export_temp.unmark(temp)
        os.rename(temp, root / plan.name)
        _fsync_dir(root)
    except (OSError, sqlite3.Error) as exc:
        if not recorded:  # once recorded, the next export finishes the rename
            shutil.rmtree(temp, ignore_errors=True)
        raise DutyError(
            "handover_export.cannot_write", path=str(root), reason=reason_of(exc)
        ) from exc
    except BaseException:
        if not recorded:
            shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        export_temp.release(lock)
    return root / plan.name


def _write_files(temp: Path, plan: Plan, files: list[Rendered]) -> list[dict[str, Any]]:
    data_name = SNAPSHOT if plan.full else PACK_FILE
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The snapshot (GBs after years) is hashed while the forms are written.
        data_sha = pool.submit(sha256_file, temp / data_name)
        entries: list[dict[str, Any]] = []
        for item in files:
            _write(temp / item.name, item.data)
            entries.append({"name": item.name, "role": item.role,
                            "sha256": hashlib.sha256(item.data).hexdigest(),
                            "bytes": len(item.data)})  # fmt: skip
        role = "snapshot" if plan.full else "pack"
        size = (temp / data_name).stat().st_size
        data_entry = {"name": data_name, "role": role, "sha256": data_sha.result(), "bytes": size}
    return [data_entry, *entries]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _record_ok(desk: Desk, plan: Plan, manifest_sha: str) -> None:
    """One export record per handover the archive covers (one without a handover on demand),
    in one transaction, and only if no other export recorded an archive meanwhile (else this
    one's number and previous manifest are stale: _Stale)."""
    at = desk.now()

    def _save() -> None:
        with write_session(desk.engine) as session:
            last = session.exec(
                select(ExportRecord.manifest_sha256)
                .where(ExportRecord.ok == True, col(ExportRecord.manifest_sha256).is_not(None))  # noqa: E712
                .order_by(col(ExportRecord.id).desc())
                .limit(1)
            ).first()
            if last != plan.previous_sha:
                raise _Stale
            covered: list[int | None] = [*plan.handover_ids] or [None]
            for handover_id in covered:
                row = ExportRecord(handover_id=handover_id, at=at, ok=True, target=str(plan.root),
                                   archive=plan.name, manifest_sha256=manifest_sha)  # fmt: skip
                session.add(row)
                session.flush()
                assert row.id is not None
                audit.append(session, "export_record", row.id, at)

    with_lock_retry(_save, desk.path)


def _record(desk: Desk, row: ExportRecord) -> None:
    def _save() -> None:
        with write_session(desk.engine) as session:
            session.add(row)
            session.flush()
            assert row.id is not None
            audit.append(session, "export_record", row.id, desk.now())

    with_lock_retry(_save, desk.path)


def export_handover(
    desk: Desk, handover_id: int, target: Path | None = None, progress: Progress | None = None
) -> ExportResult:
    """The archive of a sign-off. Never raises for an export problem: the sign-off stands; the
    failure is recorded so that `dutydesk export --retry` can finish it."""
    try:
        path, notes = write_archive_noted(desk, target, handover_id, progress=progress)
    except DutyError as error:
        return _failed(desk, [handover_id], target, error)
    return ExportResult(True, path, None, handover_id, tuple(notes))


def _failed(
    desk: Desk, handover_ids: list[int], target: Path | None, error: DutyError
) -> ExportResult:
    message = error.message()
    root = export_root(desk, target)
    # If the register itself is failing, the record cannot be kept: the message still says so.
    with contextlib.suppress(DutyError):
        for handover_id in handover_ids:
            _record(desk, ExportRecord(handover_id=handover_id, at=desk.now(), ok=False,
                                       target=str(root), error=message[:ERROR_MAX]))  # fmt: skip
    return ExportResult(False, None, message, handover_ids[-1] if handover_ids else None)


def unexported(desk: Desk) -> list[tuple[int, str | None]]:
    """Handovers without a written archive, with the folder their last attempt aimed at."""
    with read_session(desk.engine) as session:
        records = session.exec(select(ExportRecord).order_by(col(ExportRecord.id))).all()
        handover_ids = [h.id for h in session.exec(select(Handover).order_by(col(Handover.id)))]
    done = {r.handover_id for r in records if r.ok}
    last_target = {r.handover_id: r.target for r in records}
    return [(h, last_target.get(h)) for h in handover_ids if h not in done]  # type: ignore[misc]  # stored rows have their ids


def retry_exports(
    desk: Desk, target: Path | None = None, progress: Progress | None = None
) -> list[ExportResult]:
    """Finish every handover export that failed, in ONE archive (a pack, unless a full snapshot
    is due) that covers them all: to `target`, or where the newest of them was meant to go."""
    missing = unexported(desk)
    if not missing:
        return []
    ids = [handover_id for handover_id, _last in missing]
    last = missing[-1][1]
    where = target if target is not None else (Path(last) if last else None)
    try:
        path, notes = write_archive_noted(desk, where, handover_ids=ids, progress=progress)
    except DutyError as error:
        failed = _failed(desk, ids, where, error)
        return [ExportResult(False, None, failed.error, h) for h in ids]
    return [ExportResult(True, path, None, h, tuple(notes) if h == ids[-1] else ()) for h in ids]
