"""`dutydesk central status`: each desk the city holds archives of: its office and profile (as
its newest archive says), the archives received, the newest head and when it was written,
and what is held in quarantine with what is missing before it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.services.central.branches import mark_branches
from dutydesk.services.central.connection import connect
from dutydesk.services.central.forks import Conflict, desk_conflicts
from dutydesk.services.central.keys import (
    Enrolled,
    enrolment,
    held_signature_problem,
    key_history,
)
from dutydesk.services.central.placing import Reason

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]


@dataclass
class Held:
    number: int | None
    name: str
    reason: str  # in the user's language

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "archive": self.name, "reason": self.reason}


@dataclass
class DeskStatus:
    office_id: str
    office: str
    profile: str
    archives: int
    newest_number: int | None
    head_seq: int | None
    head_hash: str | None
    head_at: str | None
    held: list[Held] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)  # archive numbers not received
    conflicts: list[Conflict] = field(default_factory=list)
    key: Enrolled | None = None  # the signing key in force, if the desk is enrolled
    keys: list[Enrolled] = field(default_factory=list)  # every key row: retired, unsigned too

    def to_json(self) -> dict[str, Any]:
        return {"office_id": self.office_id, "office": self.office, "profile": self.profile,
                "archives": self.archives, "newest_number": self.newest_number,
                "head": {"seq": self.head_seq, "hash": self.head_hash, "at": self.head_at},
                "quarantined": [h.to_json() for h in self.held], "missing": self.missing,
                "conflicts": [c.to_json() for c in self.conflicts],
                "key": self.key.to_json() if self.key else None,
                "keys": [k.to_json() for k in self.keys]}  # fmt: skip


def _reason(text: str) -> str:
    try:
        data = json.loads(text)
        return Reason(str(data["key"]), dict(data["params"])).text()
    except (ValueError, KeyError, TypeError):
        return text


DESKS = """
SELECT d.office_id, n.office, n.profile_name, n.count, n.number, n.head_seq, n.head_hash,
       n.created_at, q.office
FROM (SELECT office_id FROM desk UNION SELECT office_id FROM quarantine) d
LEFT JOIN LATERAL (
    SELECT a.office, a.profile_name, a.number, a.head_seq, a.head_hash,
           to_char(a.created_at, 'YYYY-MM-DD HH24:MI:SSOF') AS created_at,
           (SELECT count(*) FROM archive b WHERE b.office_id = d.office_id) AS count
    FROM archive a WHERE a.office_id = d.office_id  -- the head: a branch set aside is not
      AND a.manifest_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s)
    ORDER BY a.number DESC LIMIT 1
) n ON true
LEFT JOIN LATERAL (
    SELECT office FROM quarantine WHERE office_id = d.office_id ORDER BY id DESC LIMIT 1
) q ON true
"""

HELD = """
SELECT q.number, q.name, q.reason, q.manifest_sha FROM quarantine q
WHERE q.office_id = %s AND NOT EXISTS (
    SELECT 1 FROM archive a WHERE a.manifest_sha = q.manifest_sha)
ORDER BY q.number, q.id
"""


def desk_status(url: str, register: Path | None = None) -> list[DeskStatus]:
    """Every desk; with `register` (a desk's own register), each branch of that desk's
    conflicts marked with whether the register holds it (services/central/branches.py)."""
    office_id = None
    if register is not None:
        from dutydesk.services.central.anchors import register_office_id
        from dutydesk.services.core import check_openable

        check_openable(register)
        office_id = register_office_id(register)
    conn = connect(url)
    try:
        rows = conn.execute(DESKS).fetchall()  # a desk known only by what is held too
        desks = [_desk(conn, row) for row in rows]
    finally:
        conn.close()
    for desk in desks:
        if register is not None and desk.office_id == office_id:
            mark_branches(register, desk.conflicts)
    return sorted(desks, key=lambda d: (d.office, d.office_id))


def _desk(conn: Conn, row: tuple[Any, ...]) -> DeskStatus:
    office_id, office, profile, count, number, seq, digest, at, held_office = row
    status = DeskStatus(str(office_id), str(office or held_office or ""), str(profile or ""),
                        int(count or 0), number, seq, digest, at)  # fmt: skip
    held = conn.execute(HELD, (office_id,)).fetchall()
    status.held = [  # one whose kept signature the key in force refuses shows why
        Held(n, str(name), held_signature_problem(conn, str(office_id), str(sha))
             or _reason(str(reason)))
        for n, name, reason, sha in held
    ]  # fmt: skip
    status.conflicts = desk_conflicts(conn, str(office_id))
    status.key = enrolment(conn, str(office_id))
    status.keys = key_history(conn, str(office_id))
    numbers = {h.number for h in status.held if h.number is not None}
    if numbers:
        start = (number or 0) + 1
        status.missing = [n for n in range(start, max(numbers)) if n not in numbers]
    return status
