"""The files of an archive besides its data: the handover form (值班交接表, Markdown and DOCX),
the shift's call register (电话记录) and, when those registers exist, the incident register
(突发事件信息登记表), the spot-check table (值班抽查表) and the document register
(收发文登记簿) as CSV (UTF-8 with BOM, CRLF).

Rendered to bytes from the register's rows, so that verify can render them again from an
archive's rows (a restored copy) and compare them with the files byte for byte. A subject is
one handover, or the open shift as it stands (an export on demand)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import language, t
from dutydesk.models import Handover, Shift, ShiftClosure
from dutydesk.services.calls import CALL_COLUMNS, call_rows
from dutydesk.services.handover import (
    FORM_STYLE,
    FormHeader,
    build_form,
    handover_sources,
    render_docx,
    render_markdown,
)

if TYPE_CHECKING:
    from dutydesk.services.core import Desk
    from dutydesk.services.handover import Signature

FORM_ROLES = ("handover_form", "handover_form_docx")


@dataclass(frozen=True)
class Source:
    """What one archive file set is about: a signed handover, or the shift as it stands."""

    shift: Shift | None
    handover: Handover | None
    checklist: dict[str, Any] | None
    signed: list[Signature]
    incoming: str | None


@dataclass(frozen=True)
class Rendered:
    name: str
    role: str
    data: bytes


def source_of(desk: Desk, handover_id: int | None, shift_id: int | None = None,
              style: int = FORM_STYLE) -> Source:  # fmt: skip
    """A handover's sign-off; without one, the shift `shift_id` (default: the newest open one)
    with its checklist as it stands now, its items' text as the form of `style` has it."""
    from dutydesk.services.handover import build_checklist, checklist_to_json, signatures

    if handover_id is not None:
        with read_session(desk.engine) as session:
            row = session.get(Handover, handover_id)
            if row is None:
                raise DutyError("handover_export.unknown_handover", id=handover_id)
            shift = session.get(Shift, row.shift_id)
        signed = signatures(desk, handover_id)
        incoming = next((s.name for s in signed if s.role == "incoming"), None)
        return Source(shift, row, json.loads(row.checklist), signed, incoming)
    with read_session(desk.engine) as session:
        if shift_id is not None:
            shift = session.get(Shift, shift_id)
        else:
            closed = select(ShiftClosure.shift_id)
            shift = session.exec(
                select(Shift)
                .where(col(Shift.id).not_in(closed))
                .order_by(col(Shift.id).desc())
                .limit(1)
            ).first()
    checklist = build_checklist(desk, shift) if shift else None
    data = checklist_to_json(checklist, desk.timezone, style) if checklist else None
    return Source(shift, None, data, [], None)


def text_bytes(text: str) -> bytes:
    """UTF-8 with BOM so that Excel opens Chinese correctly."""
    return text.encode("utf-8-sig")


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    from dutydesk.services.core import safe_rows

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(safe_rows([header, *rows]))  # no cell runs as a formula
    return text_bytes(buffer.getvalue())


def render(
    desk: Desk, source: Source, prefix: str = "", style: int = FORM_STYLE
) -> tuple[list[Rendered], list[dict[str, str]]]:
    """The subject's files (names prefixed with `prefix`) and the ones left out, as manifest
    entries; the form drawn in `style` (the archive's, handover_form.FORM_STYLE)."""
    written: list[Rendered] = []
    omitted: list[dict[str, str]] = []
    if source.checklist is not None:
        header = FormHeader(desk.office.name, desk.profile.name(language()),
                            source.handover.signed_at if source.handover else None,
                            source.incoming)  # fmt: skip
        form = build_form(desk, source.checklist, header, source.signed, style)
        name = prefix + t("handover_export.form_file")
        written.append(Rendered(name, "handover_form", text_bytes(render_markdown(form))))
        name = prefix + t("handover_export.form_docx_file")
        written.append(Rendered(name, "handover_form_docx", render_docx(form)))
    else:
        omitted.append({"role": "handover_form", "reason": "no_shift"})
    header_row = [t("handover_csv." + column) for column in CALL_COLUMNS]
    calls = csv_bytes(header_row, call_rows(desk, source.shift))
    written.append(Rendered(prefix + t("handover_export.calls_file"), "calls", calls))
    for role, reader in (
        ("incident_register", handover_sources.incident_register),
        ("spotcheck_table", handover_sources.spotcheck_table),
        ("document_register", handover_sources.document_register),
    ):
        table = reader(desk, source.shift) if source.shift is not None else None
        if table is None:
            omitted.append({"role": role, "reason": "register_not_available"})
            continue
        name = prefix + t(f"handover_export.{role}_file")
        written.append(Rendered(name, role, csv_bytes(table.header, table.rows)))
    return written, omitted


def same_content(role: str, stored: bytes, rendered: bytes) -> bool:
    """Byte for byte; a DOCX (a zip whose entries carry the time it was written) part by part:
    the same parts, each byte for byte."""
    if role != "handover_form_docx" or stored == rendered:
        return stored == rendered
    try:
        with (
            zipfile.ZipFile(io.BytesIO(stored)) as one,
            zipfile.ZipFile(io.BytesIO(rendered)) as two,
        ):
            names = one.namelist()
            if names != two.namelist():
                return False
            return all(one.read(name) == two.read(name) for name in names)
    except (zipfile.BadZipFile, KeyError, ValueError):
        return False
