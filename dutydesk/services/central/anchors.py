"""The heads the city holds anchor each desk's register (issue 20 item 2): `dutydesk verify --db
R --central URL` checks that every archive head the central archive holds for R's office is
a link of R's chain, so a register rewritten before a head the city holds is caught. A head
past an undecided fork is neither: the conflict is reported as such."""

from __future__ import annotations

from pathlib import Path

from dutydesk.db import connect_readonly_file
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.archive.anchors import Anchor
from dutydesk.services.central.connection import connect


def register_office_id(register: Path) -> str | None:
    conn = connect_readonly_file(register)
    try:
        row = conn.execute("SELECT hash FROM audit_link WHERE seq = 1").fetchone()
    finally:
        conn.close()
    return f"chain:{row[0]}" if row else None


def central_anchors(url: str, register: Path) -> list[Anchor]:
    """Each head the city holds for the register's office, named by its archive; refused if
    the city holds nothing for that office (nothing would be checked)."""
    from dutydesk.services.core import check_openable

    check_openable(register)
    office_id = register_office_id(register)
    conn = connect(url)
    try:
        rows = conn.execute(
            "SELECT number, name, head_seq, head_hash FROM archive WHERE office_id = %s "
            "AND manifest_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s) "
            "ORDER BY number",
            (office_id,),
        ).fetchall()
    finally:
        conn.close()
    if not rows:
        raise DutyError("central.office_unknown", office_id=str(office_id))
    return [Anchor(f"central #{n} {name}", int(seq), str(digest)) for n, name, seq, digest in rows]


def central_conflicts(url: str, register: Path) -> list[str]:
    """The undecided conflicts the city holds for the register's office, as messages, each
    with the branch the register holds: the heads past such a fork are neither anchors nor a
    rewrite until a person decides."""
    from dutydesk.services.central.branches import held_branch, mark_branches
    from dutydesk.services.central.forks import desk_conflicts

    office_id = register_office_id(register)
    conn = connect(url)
    try:
        pending = {int(row[0]) for row in conn.execute(
            "SELECT number FROM central_pending(%s)", (office_id,)).fetchall()}  # fmt: skip
        conflicts = [c for c in desk_conflicts(conn, str(office_id)) if c.number in pending
                     and c.kept is None]  # fmt: skip
    finally:
        conn.close()
    mark_branches(register, conflicts)
    messages = []
    for conflict in conflicts:
        messages.append(t("central.verify_conflict", number=conflict.number,
                          fork=conflict.fork_sha[:16]))  # fmt: skip
        held = held_branch(conflict)
        branch = next((b for b in conflict.branches if b["manifest_sha"] == held), None)
        messages.append(t("central.verify_conflict_holds", archive=branch.get("archive", "—"),
                          sha=str(held)[:16]) if branch else t("central.verify_conflict_neither"))  # fmt: skip
    return messages
