"""Archives (归档导出): at every handover, and on demand, a folder that pins what was handed over.

A folder named by date, time and shift holds a consistent snapshot of the whole register (the
SQLite backup API, never a file copy), the handover form (值班交接表, as Markdown and as a printable A4 DOCX), the shift's call register
(电话记录) and, when those registers exist, the incident register (突发事件信息登记表) and the
spot-check table (值班抽查表) as CSV (UTF-8 with BOM, for Excel), and manifest.json: every file's
SHA-256, the signers, the profile, the program version, the audit chain head and the SHA-256 of
the previous archive's manifest in the same folder, so the archives form a chain.

The snapshot is made and its PIN hashes blanked beside the register (services/
export_snapshot.py), so none ever reaches the export folder. The archive is written into a
temporary folder and renamed into place only when complete. Folders are
0700, files 0600. A failed export never undoes a sign-off: it is recorded, and retried later."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from dutydesk import __version__
from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import ExportRecord, Handover, Shift, ShiftClosure
from dutydesk.paths import configured_export_dir
from dutydesk.services.archive import export_snapshot, export_temp
from dutydesk.services.calls import CALL_COLUMNS, call_rows
from dutydesk.services.core import audit
from dutydesk.services.handover import (
    FormHeader,
    build_form,
    handover_sources,
    render_docx,
    render_markdown,
)

if TYPE_CHECKING:
    from dutydesk.services.core import Desk
    from dutydesk.services.handover import Signature

FORMAT = "dutydesk-archive/1"
SNAPSHOT = "database.sqlite3"
MANIFEST = "manifest.json"
TEMP_PREFIX = ".tmp-"
DEFAULT_DIR = "exports"
DIR_MODE = 0o700
FILE_MODE = 0o600
ERROR_MAX = 1000


@dataclass(frozen=True)
class ExportResult:
    ok: bool
    path: Path | None
    error: str | None  # the message, in the user's language
    handover_id: int | None = None


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
                "handover_export.cannot_write", path=str(root), reason=_reason(exc)
            ) from exc
    if not root.is_dir():
        raise DutyError("handover_export.missing_dir", path=str(root))
    return root.resolve()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return _sha256_handle(handle)


def _sha256_handle(handle: Any) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def _write(path: Path, write: Callable[[Any], None], *, text: bool = True) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    if text:
        # UTF-8 with BOM so that Excel opens Chinese correctly; CSV rows end in CRLF.
        with open(fd, "w", encoding="utf-8-sig", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
    else:
        with open(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
    os.chmod(path, FILE_MODE)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    from dutydesk.services.core import safe_rows

    def _rows(handle: Any) -> None:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerows(safe_rows([header, *rows]))  # no cell runs as a formula

    _write(path, _rows)


@dataclass(frozen=True)
class _Source:
    """What one archive is about: a signed handover, or the shift as it stands."""

    shift: Shift | None
    handover: Handover | None
    checklist: dict[str, Any] | None
    signed: list[Signature]
    incoming: str | None


def _source(desk: Desk, handover_id: int | None) -> _Source:
    from dutydesk.services.handover import build_checklist, checklist_to_json, signatures

    if handover_id is not None:
        with read_session(desk.engine) as session:
            row = session.get(Handover, handover_id)
            if row is None:
                raise DutyError("handover_export.unknown_handover", id=handover_id)
            shift = session.get(Shift, row.shift_id)
        signed = signatures(desk, handover_id)
        incoming = next((s.name for s in signed if s.role == "incoming"), None)
        return _Source(shift, row, json.loads(row.checklist), signed, incoming)
    with read_session(desk.engine) as session:
        closed = select(ShiftClosure.shift_id)
        shift = session.exec(
            select(Shift)
            .where(col(Shift.id).not_in(closed))
            .order_by(col(Shift.id).desc())
            .limit(1)
        ).first()
    data = checklist_to_json(build_checklist(desk, shift), desk.timezone) if shift else None
    return _Source(shift, None, data, [], None)


def _previous(desk: Desk, root: Path) -> dict[str, str] | None:
    with read_session(desk.engine) as session:
        record = session.exec(
            select(ExportRecord)
            .where(ExportRecord.ok == True, ExportRecord.target == str(root))  # noqa: E712
            .order_by(col(ExportRecord.id).desc())
            .limit(1)
        ).first()
    if record is None or not record.archive or not record.manifest_sha256:
        return None
    return {"archive": record.archive, "sha256": record.manifest_sha256}


def _archive_name(desk: Desk, root: Path, shift: Shift | None) -> str:
    now = desk.now()
    base = f"{now.format('YYYYMMDD-HHmmss')}-{shift.slot_code if shift else 'none'}"
    name, counter = base, 1
    while (root / name).exists():
        counter += 1
        name = f"{base}-{counter}"
    return name


def _files(
    desk: Desk, folder: Path, source: _Source
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Write the form and the registers; returns (written, omitted) as manifest entries."""
    written: list[dict[str, str]] = []
    omitted: list[dict[str, str]] = []
    if source.checklist is not None:
        name = t("handover_export.form_file")
        header = FormHeader(desk.office.name, desk.profile.name(_lang()),
                            source.handover.signed_at if source.handover else None,
                            source.incoming)  # fmt: skip
        form = build_form(desk, source.checklist, header, source.signed)
        text = render_markdown(form)
        _write(folder / name, lambda handle: handle.write(text))
        written.append({"name": name, "role": "handover_form"})
        name, document = t("handover_export.form_docx_file"), render_docx(form)
        _write(folder / name, lambda handle: handle.write(document), text=False)
        written.append({"name": name, "role": "handover_form_docx"})
    else:
        omitted.append({"role": "handover_form", "reason": "no_shift"})
    name = t("handover_export.calls_file")
    header_row = [t("handover_csv." + column) for column in CALL_COLUMNS]
    _write_csv(folder / name, header_row, call_rows(desk, source.shift))
    written.append({"name": name, "role": "calls"})
    for role, reader in (
        ("incident_register", handover_sources.incident_register),
        ("spotcheck_table", handover_sources.spotcheck_table),
    ):
        table = reader(desk, source.shift) if source.shift is not None else None
        if table is None:
            omitted.append({"role": role, "reason": "register_not_available"})
            continue
        name = t(f"handover_export.{role}_file")
        _write_csv(folder / name, table.header, table.rows)
        written.append({"name": name, "role": role})
    return written, omitted


def _lang() -> str:
    from dutydesk.i18n import language

    return language()


def write_archive(desk: Desk, target: Path | None = None, handover_id: int | None = None) -> Path:
    """Write one archive and record it. Raises DutyError (nothing left behind) on failure."""
    root = _prepare_root(desk, export_root(desk, target))
    export_temp.remove_leftovers(root, TEMP_PREFIX)  # those of a killed export, once checked
    export_snapshot.remove_leftovers(desk.path)  # and the snapshots it left beside the register
    source = _source(desk, handover_id)
    name = _archive_name(desk, root, source.shift)
    temp = root / f"{TEMP_PREFIX}{name}-{secrets.token_hex(4)}"
    lock, hidden = None, None
    try:
        temp.mkdir(mode=DIR_MODE)
        os.chmod(temp, DIR_MODE)
        lock = export_temp.mark_ours(temp)
        # Made and redacted beside the register: no PIN hash ever reaches the export folder.
        hidden = export_snapshot.take(desk)
        head = hidden.head
        with open(hidden.path, "rb") as reading, ThreadPoolExecutor(max_workers=1) as pool:
            # The snapshot (GBs after years) is hashed while it is synced and the forms are
            # written: hashlib and file reads release the GIL. The open handle follows the move.
            snapshot_sha = pool.submit(_sha256_handle, reading)
            export_snapshot.sync(hidden)
            export_snapshot.move_into(hidden, temp / SNAPSHOT)
            written, omitted = _files(desk, temp, source)
            entries = [{"name": SNAPSHOT, "role": "snapshot"}, *written]
            for entry in entries:
                path = temp / entry["name"]
                is_snapshot = entry["name"] == SNAPSHOT
                entry["sha256"] = snapshot_sha.result() if is_snapshot else sha256_file(path)
                entry["bytes"] = str(path.stat().st_size)
        manifest = _manifest(desk, source, entries, omitted, head, _previous(desk, root))
        data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        _write(temp / MANIFEST, lambda handle: handle.write(data.encode("utf-8")), text=False)
        export_temp.unmark(temp)
        os.rename(temp, root / name)
        _fsync_dir(root)
    except (OSError, sqlite3.Error) as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise DutyError(
            "handover_export.cannot_write", path=str(root), reason=_reason(exc)
        ) from exc
    finally:
        if hidden is not None:
            export_snapshot.discard(hidden)
        export_temp.release(lock)
    manifest_sha = sha256_file(root / name / MANIFEST)
    _record(desk, ExportRecord(handover_id=handover_id, at=desk.now(), ok=True,
                               target=str(root), archive=name,
                               manifest_sha256=manifest_sha))  # fmt: skip
    return root / name


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _manifest(desk: Desk, source: _Source, entries: list[dict[str, str]], omitted: list[dict[str, str]],
              head: dict[str, Any] | None, previous: dict[str, str] | None) -> dict[str, Any]:  # fmt: skip
    zone = desk.timezone
    shift = source.shift
    return {
        "format": FORMAT,
        "program": {"name": "dutydesk", "version": __version__},
        "created_at": desk.now().isoformat(),
        "kind": "handover" if source.handover else "on_demand",
        "office": desk.office.name,
        "profile": {"id": desk.profile.id, "name": desk.profile.name("zh")},
        "shift": None if shift is None else {
            "id": shift.id,
            "slot": shift.slot_code,
            "starts_at": shift.starts_at.in_timezone(zone).isoformat(),
            "ends_at": shift.ends_at.in_timezone(zone).isoformat(),
        },
        "handover": None if source.handover is None else {
            "id": source.handover.id,
            "signed_at": source.handover.signed_at.in_timezone(zone).isoformat(),
            "signers": [
                {"role": s.role, "name": s.name, "signed_at": s.signed_at.in_timezone(zone).isoformat()}
                for s in source.signed
            ],
        },
        "files": [{**e, "bytes": int(e["bytes"])} for e in entries],
        "omitted": omitted,
        "audit_chain_head": head,
        "previous_manifest": previous,
    }  # fmt: skip


def _record(desk: Desk, row: ExportRecord) -> None:
    def _save() -> None:
        with write_session(desk.engine) as session:
            session.add(row)
            session.flush()
            assert row.id is not None
            audit.append(session, "export_record", row.id, desk.now())

    with_lock_retry(_save, desk.path)


def export_handover(desk: Desk, handover_id: int, target: Path | None = None) -> ExportResult:
    """The archive of a sign-off. Never raises for an export problem: the sign-off stands; the
    failure is recorded so that `dutydesk export --retry` can finish it."""
    try:
        return ExportResult(True, write_archive(desk, target, handover_id), None, handover_id)
    except DutyError as error:
        message = error.message()
        root = export_root(desk, target)
        # If the register itself is failing, the record cannot be kept: the message still says so.
        with contextlib.suppress(DutyError):
            _record(desk, ExportRecord(handover_id=handover_id, at=desk.now(), ok=False,
                                       target=str(root), error=message[:ERROR_MAX]))  # fmt: skip
        return ExportResult(False, None, message, handover_id)


def unexported(desk: Desk) -> list[tuple[int, str | None]]:
    """Handovers without a written archive, with the folder their last attempt aimed at."""
    with read_session(desk.engine) as session:
        records = session.exec(select(ExportRecord).order_by(col(ExportRecord.id))).all()
        handover_ids = [h.id for h in session.exec(select(Handover).order_by(col(Handover.id)))]
    done = {r.handover_id for r in records if r.ok}
    last_target = {r.handover_id: r.target for r in records}
    return [(h, last_target.get(h)) for h in handover_ids if h not in done]  # type: ignore[misc]  # stored rows have their ids


def retry_exports(desk: Desk, target: Path | None = None) -> list[ExportResult]:
    """Finish every handover export that failed: to `target`, or where it was meant to go."""
    results = []
    for handover_id, last in unexported(desk):
        where = target if target is not None else (Path(last) if last else None)
        results.append(export_handover(desk, handover_id, where))
    return results
