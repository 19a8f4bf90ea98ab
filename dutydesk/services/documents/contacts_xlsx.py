"""The phone list as a spreadsheet: exported as XLSX (every typed cell through safe_cell), and
imported from CSV or XLSX with every row checked before anything is written: one bad row and
nothing is imported, the message naming each row and field."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.db import with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.i18n import catalogue, t
from dutydesk.services.core.private_files import write_private
from dutydesk.services.core.spreadsheet import safe_cell
from dutydesk.services.documents.contacts import (
    FIELDS,
    KINDS,
    ContactInput,
    check_contact,
    current_contacts,
    insert_contact,
    same_entry,
)

if TYPE_CHECKING:
    from dutydesk.models import Person
    from dutydesk.services.core import Desk

MAX_ROWS = 10_000
IMPORT_REASON = "import"  # the reason recorded for a change that came by a file
_SHOWN_PROBLEMS = 10
FORMULAS_SHOWN = 5  # formula cells named in the refusal; the rest are counted


def _header_names() -> dict[str, str]:
    """Column heading → field: the field names and their labels in both languages."""
    names = {name: name for name in FIELDS}
    for lang in ("zh", "en"):
        names.update({t(f"field.contact_{name}", lang=lang).lower(): name for name in FIELDS})
    return names


def _kind_names() -> dict[str, str]:
    """A kind as a file may give it: its code, or its name in either language, now or as an
    earlier export wrote it (单位值班电话, the catalogue's contact_kind_former)."""
    names = {kind: kind for kind in KINDS}
    formers = [kind for kind in KINDS if f"contact_kind_former.{kind}" in catalogue("zh")]
    for lang in ("zh", "en"):
        names.update({t(f"contact_kind.{kind}", lang=lang).lower(): kind for kind in KINDS})
        names.update({t(f"contact_kind_former.{k}", lang=lang).lower(): k for k in formers})
    return names


def contacts_xlsx(desk: Desk, path: Path) -> int:
    """Write the list in force to `path` (XLSX); the number of entries written."""
    from openpyxl import Workbook

    rows = current_contacts(desk)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("contact.sheet")[:31]
    sheet.append([t(f"field.contact_{name}") for name in FIELDS])
    for row in rows:
        cells = [t(f"contact_kind.{row.kind}"), *(getattr(row, n) for n in FIELDS[1:])]
        sheet.append([safe_cell(cell) for cell in cells])
    for letter, width in zip("ABCDEFG", (14, 24, 24, 16, 18, 16, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    write_private(path, out.getvalue())  # 0600, as the register: it lists people's phones
    return len(rows)


def _raw_rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as handle:
                return [list(row) for row in csv.reader(handle)]
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=False)  # formulas as written
            try:
                return _xlsx_cells(book.worksheets[0])
            finally:
                book.close()
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise DutyError("contact.file_unreadable", path=str(path), reason=str(exc)) from exc
    except DutyError:  # the formula cells, named
        raise
    except Exception as exc:  # openpyxl raises its own (zipfile.BadZipFile, InvalidFileException)
        raise DutyError(
            "contact.file_unreadable", path=str(path), reason=type(exc).__name__
        ) from exc
    raise DutyError("contact.file_kind", path=str(path))


def _xlsx_cells(sheet: Any) -> list[list[str]]:
    """The sheet's cells as text. A formula cell is refused, naming its row and column: read
    for its value it came out empty (a file saved by a program that keeps no computed values),
    and stored as empty text the entry lost its phone unseen."""
    cells: list[list[str]] = []
    formulas: list[str] = []
    for row in sheet.iter_rows():
        line = []
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                formulas.append(t("contact_import.cell", row=cell.row, column=cell.column_letter))
            line.append("" if cell.value is None else str(cell.value))
        cells.append(line)
    if formulas:
        shown = "、".join(formulas[:FORMULAS_SHOWN]) + (
            "…" if len(formulas) > FORMULAS_SHOWN else ""
        )
        raise DutyError("contact.file_formulas", count=len(formulas), cells=shown)
    return cells


def _unquoted(cell: str) -> str:
    """A cell as exported: safe_cell's apostrophe before a formula character taken off again."""
    text = cell.strip()
    if text.startswith("'") and len(text) > 1 and not text[1].isalnum():
        return text[1:]
    return text


def read_contact_file(path: Path) -> list[ContactInput]:
    """Every entry of a CSV or XLSX file, each row checked; refused whole if any row is wrong."""
    rows = [row for row in _raw_rows(path) if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise DutyError("contact.file_empty", path=str(path))
    headings, columns = _header_names(), dict[str, int]()
    for index, heading in enumerate(rows[0]):
        field = headings.get(heading.strip().lower())
        if field is not None:
            columns.setdefault(field, index)
    missing = [t(f"field.contact_{name}") for name in ("kind", "name") if name not in columns]
    if missing:
        raise DutyError("contact.file_header", missing="、".join(missing))
    if len(rows) - 1 > MAX_ROWS:
        raise DutyError(
            "contact.file_problems", count=len(rows) - 1 - MAX_ROWS, problems=f"> {MAX_ROWS}"
        )
    kinds, entries = _kind_names(), list[ContactInput]()
    problems: list[tuple[int, FieldProblem]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        values = {name: _unquoted(row[i]) if i < len(row) else "" for name, i in columns.items()}
        values["kind"] = kinds.get(values["kind"].lower(), values["kind"])
        entry = ContactInput(**values).cleaned()
        found = check_contact(entry)
        key = (entry.kind, entry.name, entry.unit)
        if not found and key in seen:
            found = [FieldProblem("contact_name", "contact_import.twice", row=seen[key])]
        seen.setdefault(key, number)
        problems.extend((number, problem) for problem in found)
        entries.append(entry)
    if problems:
        raise DutyError("contact.file_problems", count=len(problems), problems=_listed(problems))
    return entries


def _listed(problems: list[tuple[int, FieldProblem]]) -> str:
    shown = [
        t(
            "contact.row_problem",
            row=number,
            field=t(f"field.{p.field}"),
            problem=t(p.key, **p.params),
        )  # fmt: skip
        for number, p in problems[:_SHOWN_PROBLEMS]
    ]
    more = len(problems) - _SHOWN_PROBLEMS
    return t("error.separator").join(shown) + (" …" if more > 0 else "")


@dataclass(frozen=True)
class Imported:
    added: int
    changed: int
    same: int


def import_contacts(desk: Desk, recorder: Person, path: Path) -> Imported:
    """Import a file: a new entry is added, an entry whose phones or post differ is changed (a
    new row replacing it, reason "import"), an identical one is left. All or nothing."""
    entries = read_contact_file(path)

    def _save() -> Imported:
        added = changed = same = 0
        with write_session(desk.engine) as session:
            for entry in entries:
                existing = same_entry(session, entry)
                if existing is None:
                    insert_contact(session, desk, recorder, entry)
                    added += 1
                elif ContactInput.of(existing) == entry:
                    same += 1
                else:
                    insert_contact(session, desk, recorder, entry, replaces=existing.id,
                                   reason=IMPORT_REASON)  # fmt: skip
                    changed += 1
        return Imported(added, changed, same)

    return with_lock_retry(_save, desk.path)
