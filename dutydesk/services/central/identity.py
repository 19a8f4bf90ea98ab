"""Every field of a manifest that names whose archive it is, checked against the archive's own
rows (issue 20 item 2): a manifest whose `office` was edited (its file digests recomputed, so
the archive verifies in itself) was accepted, and then blocked the desk's genuine next archive
for good, whose `previous_manifest` names the genuine manifest. Checked on the register as
replayed to the archive's head, before anything is stored; a mismatch refuses it whole.

The check itself is the desk's own (services/archive/archive_identity.py: `dutydesk verify DIR`
makes it too); only the message is the central archive's."""

from __future__ import annotations

from pathlib import Path

from dutydesk.services.archive.archive_identity import identity_problems as _identity_problems
from dutydesk.services.archive.archive_manifest import Archive
from dutydesk.services.archive.archive_replay import Problem

MISMATCH = "central.identity_mismatch"


def identity_problems(archive: Archive, copy: Path) -> list[Problem]:
    """Each identity field of the manifest that its rows do not bear out, named."""
    return _identity_problems(archive, copy, MISMATCH)
