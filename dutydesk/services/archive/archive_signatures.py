"""The desk's signatures in `verify DIR` (issue 16, breaker finding 3): each signed archive's
`manifest.sig` must sign its manifest's exact bytes, the key must stay the same along a folder
of one office's archives (a change is reported, naming the archive where it changes), and once
an archive is signed every later one must be (a removed `manifest.sig` next to an edited
manifest is caught). The public key is the one in `manifest.sig`: a folder alone cannot say
which key the city enrolled (`dutydesk central` checks that); it can say the key never changed."""

from __future__ import annotations

import json
from pathlib import Path

from dutydesk.services.archive.archive_manifest import (
    MANIFEST,
    MANIFEST_CAP,
    SIGNATURE_CAP,
    Archive,
    read_archive,
    read_bounded,
)
from dutydesk.services.archive.archive_replay import Problem
from dutydesk.services.archive.desk_key import SIGNATURE, check_signature, fingerprint


def signer_of(folder: Path) -> str | None:
    """The public key `manifest.sig` names, or None if it names none."""
    try:
        signed = json.loads(read_bounded(folder / SIGNATURE, SIGNATURE_CAP))
        return str(signed["public_key"]) if isinstance(signed, dict) else None
    except (OSError, ValueError, KeyError):
        return None


def signature_problem(archive: Archive) -> Problem | None:
    """Whether a signed archive's signature is good (None for an unsigned one or a good one)."""
    if not (archive.path / SIGNATURE).exists():
        return None
    signer = signer_of(archive.path)
    if signer is None:
        return Problem(archive.name, "archive_check.signature_unreadable")
    try:
        data = read_bounded(archive.path / MANIFEST, MANIFEST_CAP)
    except OSError:
        return None  # the manifest itself is reported as unreadable
    found = check_signature(archive.path, data, signer)
    if found.problem is not None:
        return Problem(archive.name, "archive_check.signature_bad", {"signer": fingerprint(signer)})
    return None


def signature_problems(archives: list[Archive]) -> list[Problem]:
    """One office's archives: every signature good, one key throughout, none unsigned after the
    first signed one (in number order)."""
    problems: list[Problem] = []
    before: tuple[str, Archive] | None = None
    numbered = sorted((a for a in archives if not a.legacy), key=lambda a: (a.number or 0, a.name))
    for archive in numbered:
        bad = signature_problem(archive)
        if bad is not None:
            problems.append(bad)
        signer = signer_of(archive.path)
        if signer is None:
            if before is not None and not (archive.path / SIGNATURE).exists():
                problems.append(Problem(archive.name, "archive_check.unsigned_after_signed",
                                        {"previous": before[1].name}))  # fmt: skip
            continue
        if before is not None and signer != before[0]:
            problems.append(Problem(archive.name, "archive_check.signer_changed",
                                    {"previous": before[1].name, "before": fingerprint(before[0]),
                                     "now": fingerprint(signer)}))  # fmt: skip
        before = (signer, archive)
    return problems


def lone_signature_problems(folder: Path) -> list[Problem]:
    archive = read_archive(folder)
    found = signature_problem(archive) if archive is not None and not archive.legacy else None
    return [found] if found is not None else []


def signer_changes(folders: dict[int, Path]) -> list[tuple[int, str, str]]:
    """Along one office's archives (folder by archive number), each number at which the
    signing key changes, with the fingerprints before and from then on. Unsigned archives
    (from before signing) are passed over."""
    changes: list[tuple[int, str, str]] = []
    before: str | None = None
    for number in sorted(folders):
        signer = signer_of(folders[number])
        if signer is None:
            continue
        if before is not None and signer != before:
            changes.append((number, fingerprint(before), fingerprint(signer)))
        before = signer
    return changes
