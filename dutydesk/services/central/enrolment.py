"""After the administrator acts on a desk's keys: the archives held for it (a desk not enrolled,
a gap behind one) go through the normal check again, in number order, against the key now in
force for each (`dutydesk central enrol` runs it; a forged one stays held, refused with the
reason). And the city's explicit choice for desks it has no key for (`central init
--accept-unenrolled` / `--hold-unenrolled`, with who and why): an insert-only setting row."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError
from dutydesk.services.central.connection import connect, driver
from dutydesk.services.central.ingest import INGESTED, RELEASED, Outcome, ingest_one
from dutydesk.services.central.key_rules import ACCEPT, HOLD
from dutydesk.services.central.keys import check_who, restore_signature
from dutydesk.services.central.replica import materialise

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

HELD = (
    "SELECT q.manifest_sha, q.name FROM quarantine q WHERE q.office_id = %s AND NOT EXISTS "
    "(SELECT 1 FROM archive a WHERE a.manifest_sha = q.manifest_sha) ORDER BY q.number, q.id"
)


def release_enrolled(url: str, office_id: str, work: Path) -> list[Outcome]:
    """Every archive held for the desk, checked again in number order as if it arrived now:
    released, refused (its signature, say), or still held (a gap, a conflict)."""
    work.mkdir(mode=0o700, parents=True, exist_ok=True)  # replicas hold the desks' rows
    conn = connect(url)
    try:
        return [_again(conn, office_id, str(sha), str(name), work)
                for sha, name in conn.execute(HELD, (office_id,)).fetchall()]  # fmt: skip
    finally:
        conn.close()


def _again(conn: Conn, office_id: str, sha256: str, name: str, work: Path) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="dutydesk-central-") as folder:
        archive = materialise(conn, sha256, name, Path(folder))
        restore_signature(conn, archive.sha256, archive.path)  # as it came
        outcome = ingest_one(conn, archive.path, archive, work)
    if outcome.status == INGESTED:
        outcome.status = RELEASED
    return outcome


def set_unenrolled(url: str, accept: bool, set_by: str, reason: str) -> str:
    """Record the city's choice for archives of desks it has no key for: held until the desk is
    enrolled (the default), or taken unsigned (a city whose desks predate signing). Returns
    when it was recorded."""
    driver()  # the plain message when the extra is missing, not an ImportError
    import psycopg

    check_who(set_by, reason)
    conn = connect(url)
    try:
        with conn.transaction():
            row = conn.execute(
                "INSERT INTO central_setting (name, value, set_by, reason) "
                "VALUES ('unenrolled', %s, %s, %s) "
                "RETURNING to_char(set_at, 'YYYY-MM-DD HH24:MI')",
                (ACCEPT if accept else HOLD, set_by.strip(), reason.strip()),
            ).fetchone()
    except psycopg.errors.InsufficientPrivilege as exc:
        raise DutyError("central.enrol_not_allowed") from exc
    finally:
        conn.close()
    return str(row[0]) if row else ""
