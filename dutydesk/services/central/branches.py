"""Which branch of a conflict the desk's own register holds (issue 20): `central status --db R`
and `dutydesk verify --db R --central URL`. A branch is the register's when the register's link
at the branch's head seq has the branch's head hash, and when the register recorded exporting
that manifest (its export_record): the desk that wrote it. A copy of the register that wrote the
other branch holds neither of this one's."""

from __future__ import annotations

from pathlib import Path

from dutydesk.db import connect_readonly_file
from dutydesk.services.central.forks import Conflict

HOLDS, DIFFERS, SHORTER = "holds", "differs", "shorter"


def mark_branches(register: Path, conflicts: list[Conflict]) -> None:
    """Set each branch's "register" to holds / differs / shorter (the register has no link at
    the branch's head seq) and "exported" (the register recorded writing that manifest)."""
    conn = connect_readonly_file(register)
    try:
        for conflict in conflicts:
            for branch in conflict.branches:
                head = branch.get("head") or {}
                row = conn.execute(
                    "SELECT hash FROM audit_link WHERE seq = ?", (head.get("seq"),)
                ).fetchone()
                state = SHORTER if row is None else HOLDS if row[0] == head.get("hash") else DIFFERS
                exported = conn.execute(
                    "SELECT 1 FROM export_record WHERE manifest_sha256 = ? AND ok = 1",
                    (branch["manifest_sha"],),
                ).fetchone()
                branch["register"] = state
                branch["exported"] = exported is not None
    finally:
        conn.close()


def held_branch(conflict: Conflict) -> str | None:
    """The manifest SHA-256 of the branch the register holds, None if it holds neither."""
    held = [b["manifest_sha"] for b in conflict.branches if b.get("register") == HOLDS]
    return held[0] if len(held) == 1 else None
