"""Manifest fields that the folder's archives themselves give (issue 16, breaker finding 3):
`full_base` is the archive's own number and time for a full snapshot, else the previous
archive's; `kind` is "handover" exactly when the manifest names a handover, and `handover` is
the last of `handovers`. Fields no other part of the folder gives (`full_snapshot_days`,
`omitted`, a handover's signers, `previous_archive`: archives may be renamed) are held only by the signature (README, "Data safety")."""

from __future__ import annotations

from typing import Any

from dutydesk.services.archive.archive_manifest import FULL, Archive
from dutydesk.services.archive.archive_replay import Problem

DERIVED = "archive_check.identity_derived_mismatch"


def _expected(archive: Archive, before: Archive | None) -> list[tuple[str, Any, Any]]:
    manifest = archive.manifest
    fields: list[tuple[str, Any, Any]] = []
    full_base = manifest.get("full_base")
    if archive.content == FULL:
        own = {"archive_number": archive.number, "created_at": manifest.get("created_at")}
        fields.append(("full_base", full_base, own))
    elif before is not None:
        fields.append(("full_base", full_base, before.manifest.get("full_base")))
    handovers = manifest.get("handovers")
    handovers = handovers if isinstance(handovers, list) else []
    last = handovers[-1] if handovers else None
    fields.append(("handover", manifest.get("handover"), last))
    kind = "handover" if last is not None else "on_demand"
    fields.append(("kind", manifest.get("kind"), kind))
    return fields


def derived_problems(archives: list[Archive]) -> list[Problem]:
    """Each new-format archive's fields that its neighbours and itself do not bear out."""
    by_sha = {a.sha256: a for a in archives}
    problems = []
    for archive in archives:
        if archive.legacy or archive.number is None:
            continue
        before = by_sha.get(archive.previous or "")
        for name, given, expected in _expected(archive, before):
            if given != expected:
                problems.append(Problem(archive.name, DERIVED, {"field": name,
                                "manifest": str(given), "rows": str(expected)}))  # fmt: skip
    return problems
