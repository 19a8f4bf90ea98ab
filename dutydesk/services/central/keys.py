"""Desks' signing keys at the city (issue 20, breaker #4): `dutydesk central enrol --office ID
--key KEY --by NAME --reason TEXT`, by the city's administrator (the schema's owner: the ingest
role may only read `desk_key`), with the public key the desk gave out of band (`dutydesk
central key --db R` prints it). Ingest then refuses an archive of that desk whose manifest is
unsigned or not signed by the key in force (the newest enrolled); a desk never enrolled is
taken unsigned, as before, and `status` says so."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.i18n import t
from dutydesk.services.archive.archive_manifest import MANIFEST
from dutydesk.services.archive.desk_key import (
    SIGNATURE,
    check_signature,
    fingerprint,
    valid_public_key,
)
from dutydesk.services.central.connection import connect
from dutydesk.services.core.validation import check_name, check_text

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

REASON_MAX = 1000


@dataclass(frozen=True)
class Enrolled:
    office_id: str
    fingerprint: str
    enrolled_by: str
    enrolled_at: str

    def to_json(self) -> dict[str, str]:
        return {"office_id": self.office_id, "fingerprint": self.fingerprint,
                "enrolled_by": self.enrolled_by, "enrolled_at": self.enrolled_at}  # fmt: skip


def enrol_key(url: str, office_id: str, key: str, enrolled_by: str, reason: str) -> Enrolled:
    """Record the desk's public key (a new row; the newest is in force)."""
    import psycopg

    office_id, key = office_id.strip(), key.strip()
    if not office_id.startswith("chain:") or len(office_id) != len("chain:") + 64:
        raise DutyError("central.enrol_bad_office", office=office_id)
    if not valid_public_key(key):
        raise DutyError("central.enrol_bad_key")
    problems: list[FieldProblem] = []  # the desk's rules: no control characters, no bidi marks
    check_name(
        problems, "central_enrolled_by", enrolled_by, required=True, max_length=50, person=True
    )
    check_text(problems, "central_enrol_reason", reason, required=True, max_length=REASON_MAX)
    if problems:
        raise ValidationFailed(problems)
    conn = connect(url)
    try:
        with conn.transaction():
            row = conn.execute(
                "INSERT INTO desk_key (office_id, public_key, enrolled_by, reason) "
                "VALUES (%s, %s, %s, %s) RETURNING to_char(enrolled_at, 'YYYY-MM-DD HH24:MI')",
                (office_id, key, enrolled_by.strip(), reason.strip()),
            ).fetchone()
    except psycopg.errors.InsufficientPrivilege as exc:
        raise DutyError("central.enrol_not_allowed") from exc
    finally:
        conn.close()
    assert row is not None
    return Enrolled(office_id, fingerprint(key), enrolled_by.strip(), str(row[0]))


def key_in_force(conn: Conn, office_id: str) -> str | None:
    """The desk's newest enrolled public key, None if it was never enrolled."""
    row = conn.execute(
        "SELECT public_key FROM desk_key WHERE office_id = %s ORDER BY id DESC LIMIT 1",
        (office_id,),
    ).fetchone()
    return str(row[0]) if row else None


def enrolment(conn: Conn, office_id: str) -> Enrolled | None:
    """The enrolment in force for the desk (status shows it), None if never enrolled."""
    row = conn.execute(
        "SELECT public_key, enrolled_by, to_char(enrolled_at, 'YYYY-MM-DD HH24:MI') "
        "FROM desk_key WHERE office_id = %s ORDER BY id DESC LIMIT 1",
        (office_id,),
    ).fetchone()
    if row is None:
        return None
    return Enrolled(office_id, fingerprint(str(row[0])), str(row[1]), str(row[2]))


def signature_problem(conn: Conn, office_id: str, folder: Path) -> str | None:
    """Why the archive may not be taken for an enrolled desk (in the user's language), or None
    (a good signature by the key in force, or a desk never enrolled)."""
    expected = key_in_force(conn, office_id)
    if expected is None:
        return None
    signed = check_signature(folder, (folder / MANIFEST).read_bytes(), expected)
    if signed.problem is None:
        return None
    return t(signed.problem, signer=signed.signer, enrolled=fingerprint(expected))


def keep_signature(conn: Conn, sha256: str, folder: Path) -> None:
    """Keep the signature a held archive came with (central_migrations c0007), to be checked
    again against the key in force when the archive is released."""
    path = folder / SIGNATURE
    if path.is_file():
        conn.execute("SELECT central_hold_signature(%s, %s)", (sha256, path.read_bytes()))


def restore_signature(conn: Conn, sha256: str, folder: Path) -> None:
    """Write the kept signature of a held archive back beside its manifest, if it had one."""
    row = conn.execute(
        "SELECT signature FROM quarantine_signature WHERE manifest_sha = %s", (sha256,)
    ).fetchone()
    if row is not None:
        (folder / SIGNATURE).write_bytes(bytes(row[0]))


def held_signature_problem(conn: Conn, office_id: str, sha256: str) -> str | None:
    """Why a held archive may not be released for an enrolled desk (its kept signature checked
    against the key in force), or None; status shows it instead of the reason it was held."""
    import tempfile

    if key_in_force(conn, office_id) is None:
        return None
    row = conn.execute(
        "SELECT data FROM archive_file WHERE manifest_sha = %s AND name = %s", (sha256, MANIFEST)
    ).fetchone()
    if row is None:
        return None
    with tempfile.TemporaryDirectory(prefix="dutydesk-central-") as name:
        folder = Path(name)
        (folder / MANIFEST).write_bytes(bytes(row[0]))
        restore_signature(conn, sha256, folder)
        return signature_problem(conn, office_id, folder)
