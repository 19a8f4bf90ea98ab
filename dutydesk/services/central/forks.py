"""Forks (issue 20): two archives that continue the same archive of a desk differently. The
second is held as a conflict (the database notes it: central_note_conflict), neither branch
advances the desk's head past the fork point (central_set_aside), and a person decides which
to keep (`dutydesk central resolve`, an insert-only row), after which the kept branch goes on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dutydesk.services.archive.archive_manifest import Archive
from dutydesk.services.archive.export_pack import Head
from dutydesk.services.central.replica import Known

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

FORK_POINT = """
SELECT f.number, f.manifest_sha, f.head_seq, f.head_hash, f.name FROM archive f
WHERE f.office_id = %(office)s AND f.manifest_sha = %(previous)s AND f.number = %(number)s - 1
  AND f.manifest_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s)
  AND EXISTS (SELECT 1 FROM archive a WHERE a.office_id = f.office_id
              AND a.previous_sha = f.manifest_sha AND a.manifest_sha <> %(sha)s
              AND a.manifest_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s))
"""


def fork_point(conn: Conn, office_id: str, archive: Archive) -> Known | None:
    """The archive this one continues, if the city holds it with another successor in force."""
    if archive.previous is None or archive.number is None:
        return None
    row = conn.execute(FORK_POINT, {"office": office_id, "previous": archive.previous,
                                    "number": archive.number, "sha": archive.sha256}).fetchone()  # fmt: skip
    if row is None:
        return None
    return Known(int(row[0]), str(row[1]), Head(int(row[2]), str(row[3])), str(row[4]))


def undecided(conn: Conn, office_id: str) -> bool:
    return conn.execute("SELECT 1 FROM central_pending(%s)", (office_id,)).fetchone() is not None


@dataclass
class Conflict:
    id: int
    number: int
    fork_sha: str
    branches: list[dict[str, Any]]  # the two manifests, as held: archive, sha, created, head
    kept: str | None = None
    decided_by: str | None = None
    reason: str | None = None
    decided_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        decision = None
        if self.kept is not None:
            decision = {"kept": self.kept, "by": self.decided_by, "reason": self.reason,
                        "at": self.decided_at}  # fmt: skip
        return {"id": self.id, "number": self.number, "fork_point": self.fork_sha,
                "branches": self.branches, "decision": decision}  # fmt: skip


CONFLICTS = """
SELECT c.id, c.number, c.fork_sha, c.first_sha, c.second_sha, r.keep_sha, r.decided_by,
       r.reason, to_char(r.decided_at, 'YYYY-MM-DD HH24:MI:SSOF')
FROM conflict c LEFT JOIN resolution r ON r.conflict_id = c.id
WHERE c.office_id = %s ORDER BY c.id
"""

BRANCH = """
SELECT name, manifest->>'created_at', manifest->>'office', (manifest->'chain_head'->>'seq')::bigint,
       manifest->'chain_head'->>'hash', manifest
FROM (SELECT name, manifest FROM archive WHERE manifest_sha = %(sha)s
      UNION ALL SELECT name, manifest FROM quarantine WHERE manifest_sha = %(sha)s) m LIMIT 1
"""


def _branch(conn: Conn, sha: str) -> dict[str, Any]:
    row = conn.execute(BRANCH, {"sha": sha}).fetchone()
    if row is None:
        return {"manifest_sha": sha}
    name, created, office, seq, digest, manifest = row
    return {"manifest_sha": sha, "archive": name, "created_at": created, "office": office,
            "head": {"seq": seq, "hash": digest}, "manifest": manifest}  # fmt: skip


def desk_conflicts(conn: Conn, office_id: str) -> list[Conflict]:
    found = []
    for cid, number, fork, first, second, kept, by, reason, at in conn.execute(
        CONFLICTS, (office_id,)
    ).fetchall():
        branches = [_branch(conn, str(first)), _branch(conn, str(second))]
        found.append(Conflict(int(cid), int(number), str(fork), branches, kept, by, reason, at))
    return found
