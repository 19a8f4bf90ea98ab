"""Where an archive that checks out on its own belongs in the desk's chain as the city holds
it: it continues the newest archive held (the next number, naming that archive's manifest,
starting at its head), or it is held in quarantine with the reason: a gap before it, a fork
(a number already held, another manifest), or a chain that does not continue the head."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dutydesk.db import connect_readonly_file
from dutydesk.i18n import t
from dutydesk.services.archive.archive_folder import pinned_head
from dutydesk.services.archive.archive_manifest import FULL, Archive
from dutydesk.services.central.replica import Known


@dataclass(frozen=True)
class Reason:
    """Why an archive is held in quarantine: a key of [central] and its values."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """In the user's language; a gap of one archive named as one (not "2 to 2")."""
        if self.key == "q_gap" and self.params.get("first") == self.params.get("last"):
            return t("central.q_gap_one", number=self.params.get("first"))
        return t(f"central.{self.key}", **self.params)


def _holds(archive: Archive, known: Known) -> bool:
    """A full snapshot's chain holds the city's head (the same link at the same place)."""
    snapshot = archive.file_of("snapshot")
    if snapshot is None or not snapshot.is_file():
        return False
    conn = connect_readonly_file(snapshot, immutable=True)
    try:
        row = conn.execute(
            "SELECT hash FROM audit_link WHERE seq = ?", (known.head.seq,)
        ).fetchone()
    finally:
        conn.close()
    return row is not None and row[0] == known.head.hash


def place(archive: Archive, known: Known | None) -> Reason | None:
    """None if the archive continues the desk's chain; else why it is held."""
    number = archive.number or 0
    if known is None:
        return None if archive.content == FULL else Reason("q_no_start", {"number": number})
    if number <= known.number:
        return Reason("q_fork", {"number": number})
    if number > known.number + 1:
        return Reason("q_gap", {"first": known.number + 1, "last": number - 1})
    if archive.previous != known.sha256:
        return Reason("q_not_continuing", {"number": number, "previous": known.number})
    if archive.content == FULL:
        continues = _holds(archive, known)
    else:
        continues = pinned_head(archive.base) == known.head
    if not continues:
        return Reason("q_rewritten", {"seq": known.head.seq, "hash": known.head.hash[:16]})
    return None
