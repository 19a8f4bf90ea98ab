"""An archive's forms and CSVs rendered again from its rows and compared with its files.

The register copy replayed up to the archive's head (services/archive/archive_folder.py) is
opened as a desk at the archive's own time, language and form style, each subject of the manifest (a
handover, or the shift as it stood) is rendered exactly as the export did
(services/archive/export_files.py), and every file must equal the one in the archive: a CSV
edited and its SHA-256 recomputed in the manifest is caught here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dutydesk.clock import FrozenClock
from dutydesk.errors import DutyError
from dutydesk.i18n import LANGUAGES, language, set_language
from dutydesk.services.archive.archive_manifest import Archive
from dutydesk.services.archive.archive_replay import Problem
from dutydesk.services.archive.export_files import render, same_content, source_of
from dutydesk.services.handover import FORM_STYLES

RENDERED_ROLES = frozenset(
    {"handover_form", "handover_form_docx", "calls", "incident_register", "spotcheck_table",
     "document_register"}
)  # fmt: skip


def check_rendered(archive: Archive, copy: Path) -> list[Problem]:
    from dutydesk.services.core import open_desk

    manifest = archive.manifest
    lang = manifest.get("lang")
    subjects = manifest.get("subjects")
    style = manifest.get("form_style", 1)  # archives before the field: the first style
    if lang not in LANGUAGES or not isinstance(subjects, list) or style not in FORM_STYLES:
        return [Problem(archive.name, "archive_check.not_renderable")]
    was = language()
    desk = None
    try:
        desk = open_desk(copy)
        desk.clock = FrozenClock(str(manifest.get("created_at")), desk.timezone)
        set_language(lang)
        return _compare(archive, desk, subjects, style)
    except (DutyError, ValueError, TypeError, KeyError) as exc:
        return [Problem(archive.name, "archive_check.not_renderable_detail", {"detail": str(exc)})]
    finally:
        set_language(was)
        if desk is not None:
            desk.close()


def _compare(archive: Archive, desk: Any, subjects: list[Any], style: int) -> list[Problem]:
    listed = {
        str(entry.get("name")): entry
        for entry in archive.manifest.get("files", [])
        if isinstance(entry, dict) and entry.get("role") in RENDERED_ROLES
    }
    problems: list[Problem] = []
    for subject in subjects:
        source = source_of(desk, subject.get("handover_id"), subject.get("shift_id"), style)
        rendered, _omitted = render(desk, source, str(subject.get("prefix", "")), style)
        for item in rendered:
            path = archive.path / item.name
            entry = listed.pop(item.name, None)
            if entry is None or not path.is_file():
                problems.append(Problem(str(path), "archive_check.rendered_missing"))
            elif not same_content(item.role, path.read_bytes(), item.data):
                problems.append(Problem(str(path), "archive_check.rendered_differs"))
    for name in listed:
        problems.append(Problem(str(archive.path / name), "archive_check.rendered_extra"))
    from dutydesk.services.archive.archive_attachments import check_attached

    return problems + check_attached(archive, Path(desk.path))  # by SHA-256, not rendered
