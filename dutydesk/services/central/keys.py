"""Desks' signing keys at the city (issue 20, breaker #4): `dutydesk central enrol --office ID
--key KEY --by NAME --reason TEXT`, by the city's administrator (the schema's owner: the ingest
role may only read `desk_key`), with the public key the desk gave out of band (`dutydesk
central key --db R` prints it). Each key applies from an archive number on (`--from N`, needed
once the desk has a key: a rotation); a key can be retired from a number (`central retire`); a
legacy desk's archives made before signing existed may be let in unsigned (`--unsigned-until N`).
Ingest refuses an archive not signed by the key in force for its number (services/central/
key_rules.py), and holds one it has no key for unless the city chose to accept them."""

from __future__ import annotations

import json
from collections.abc import Callable
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
from dutydesk.services.central.connection import connect, driver
from dutydesk.services.central.key_guards import (
    check_new_key,
    check_retirement,
    check_unsigned_range,
    signed_below,
)
from dutydesk.services.central.key_rules import (
    ANY,
    HOLD,
    KEY,
    NO_KEY,
    REFUSE,
    RETIRED,
    UNSIGNED,
    key_rows,
    ruling,
    unenrolled_policy,
)
from dutydesk.services.central.placing import Reason
from dutydesk.services.core.validation import check_name, check_text

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

REASON_MAX = 1000
NUMBER_MAX = 2**31 - 1  # the central schema's archive numbers are integer


@dataclass(frozen=True)
class Enrolled:
    office_id: str
    fingerprint: str  # "" for a legacy desk's unsigned range
    enrolled_by: str
    enrolled_at: str
    kind: str = KEY
    from_number: int = 1
    until_number: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"office_id": self.office_id, "fingerprint": self.fingerprint,
                "enrolled_by": self.enrolled_by, "enrolled_at": self.enrolled_at,
                "kind": self.kind, "from_number": self.from_number,
                "until_number": self.until_number}  # fmt: skip


def check_office(office_id: str) -> str:
    office_id = office_id.strip()
    if not office_id.startswith("chain:") or len(office_id) != len("chain:") + 64:
        raise DutyError("central.enrol_bad_office", office=office_id)
    return office_id


def check_who(enrolled_by: str, reason: str) -> None:
    """The desk's rules for names and texts: no control characters, no bidi marks."""
    problems: list[FieldProblem] = []
    check_name(
        problems, "central_enrolled_by", enrolled_by, required=True, max_length=50, person=True
    )
    check_text(problems, "central_enrol_reason", reason, required=True, max_length=REASON_MAX)
    if problems:
        raise ValidationFailed(problems)


def check_number(number: int | None, option: str) -> None:
    if number is not None and not 1 <= number <= NUMBER_MAX:
        raise DutyError("central.enrol_bad_number", option=option, number=number)


def insert_rows(url: str, plan: Callable[[Conn], list[tuple[Any, ...]]]) -> str:
    """Insert the `desk_key` rows (office, kind, key, from, until, by, reason) that `plan`
    makes (it may refuse, seeing the desk's rows) in one transaction; returns when."""
    driver()  # the plain message when the extra is missing, not an ImportError
    import psycopg

    conn = connect(url)
    try:
        with conn.transaction():
            allowed = conn.execute("SELECT has_table_privilege('desk_key', 'INSERT')").fetchone()
            if not (allowed and allowed[0]):  # before `plan` refuses for another reason
                raise DutyError("central.enrol_not_allowed")
            at = ""
            for row in plan(conn):
                found = conn.execute(
                    "INSERT INTO desk_key (office_id, kind, public_key, from_number, "
                    "until_number, enrolled_by, reason) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                    "RETURNING to_char(enrolled_at, 'YYYY-MM-DD HH24:MI')",
                    row,
                ).fetchone()
                at = str(found[0]) if found else ""
    except psycopg.errors.InsufficientPrivilege as exc:
        raise DutyError("central.enrol_not_allowed") from exc
    finally:
        conn.close()
    return at


def enrol_key(
    url: str,
    office_id: str,
    key: str | None,
    enrolled_by: str,
    reason: str,
    *,
    from_number: int | None = None,
    unsigned_until: int | None = None,
) -> Enrolled:
    """Record the desk's public key from archive `from_number` on (1 for a desk's first key; a
    desk that has one must say from which number the new key signs), and/or a legacy desk's
    unsigned archives 1..`unsigned_until`: new rows, nothing ever replaced."""
    office_id = check_office(office_id)
    key = key.strip() if key is not None else None
    if key is None and unsigned_until is None:
        raise DutyError("central.enrol_nothing")
    if key is not None and not valid_public_key(key):
        raise DutyError("central.enrol_bad_key")
    check_number(from_number, "--from")
    check_number(unsigned_until, "--unsigned-until")
    if key is None and from_number is not None:
        raise DutyError("central.enrol_from_without_key")
    if unsigned_until is not None and from_number is not None and from_number <= unsigned_until:
        raise DutyError("central.enrol_from_overlap", start=from_number, until=unsigned_until)
    check_who(enrolled_by, reason)
    who, why = enrolled_by.strip(), reason.strip()

    def plan(conn: Conn) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        known = key_rows(conn, office_id)
        if unsigned_until is not None:
            check_unsigned_range(conn, office_id, known, unsigned_until)
            rows.append((office_id, UNSIGNED, None, 1, unsigned_until, who, why))
        if key is not None:
            if from_number is None and any(r.kind == KEY for r in known):
                raise DutyError("central.enrol_from_needed")
            start = from_number or (unsigned_until or 0) + 1
            check_new_key(conn, office_id, known, key, start)
            rows.append((office_id, KEY, key, start, None, who, why))
        return rows

    at = insert_rows(url, plan)
    if key is None:
        return Enrolled(office_id, "", who, at, UNSIGNED, 1, unsigned_until)
    start = from_number or (unsigned_until or 0) + 1
    return Enrolled(office_id, fingerprint(key), who, at, KEY, start)


def retire_key(
    url: str, office_id: str, key: str, from_number: int, retired_by: str, reason: str
) -> Enrolled:
    """Refuse the desk's enrolled key (given whole or by its fingerprint) for its archives from
    `from_number` on (a compromised key): a new row."""
    office_id, given = check_office(office_id), key.strip()
    check_number(from_number, "--from")
    check_who(retired_by, reason)
    found: list[str] = []

    def plan(conn: Conn) -> list[tuple[Any, ...]]:
        known = key_rows(conn, office_id)
        keys = {r.public_key for r in known if r.kind == KEY}
        found.extend(k for k in keys if k and given in (k, fingerprint(k)))
        if len(found) != 1:
            raise DutyError("central.retire_unknown_key", given=given)
        check_retirement(conn, office_id, known, found[0], from_number)
        return [(office_id, RETIRED, found[0], from_number, None, retired_by.strip(),
                 reason.strip())]  # fmt: skip

    at = insert_rows(url, plan)
    return Enrolled(office_id, fingerprint(found[0]), retired_by.strip(), at, RETIRED, from_number)


def enrolment(conn: Conn, office_id: str) -> Enrolled | None:
    """The key the desk's newest archives are checked against (status shows it), None if the
    desk never had a key enrolled."""
    keys = [r for r in key_rows(conn, office_id) if r.kind == KEY]
    if not keys:
        return None
    row = max(keys, key=lambda r: (r.from_number, r.id))
    assert row.public_key is not None
    return Enrolled(office_id, fingerprint(row.public_key), row.enrolled_by, row.enrolled_at,
                    KEY, row.from_number)  # fmt: skip


def key_history(conn: Conn, office_id: str) -> list[Enrolled]:
    """Every row the city recorded for the desk's keys, oldest first: keys, retirements and
    unsigned ranges (status lists them all, not only the key in force)."""
    return [
        Enrolled(office_id, fingerprint(r.public_key) if r.public_key else "", r.enrolled_by,
                 r.enrolled_at, r.kind, r.from_number, r.until_number)
        for r in key_rows(conn, office_id)
    ]  # fmt: skip


def _number(manifest: bytes) -> int:
    try:
        number = json.loads(manifest).get("archive_number")
    except (ValueError, AttributeError):
        return 0
    return number if isinstance(number, int) else 0


def signature_problem(conn: Conn, office_id: str, folder: Path) -> str | None:
    """Why the archive may not be taken (in the user's language), or None: a good signature by
    the key in force for its number, a legacy desk's unsigned range, or no key for its number
    (`enrolment_hold` decides whether that holds it)."""
    manifest = (folder / MANIFEST).read_bytes()
    number = _number(manifest)
    rows = key_rows(conn, office_id)
    rule = ruling(rows, number)
    if rule.demand == ANY and not (folder / SIGNATURE).is_file():
        first = signed_below(conn, office_id, rows, number)
        if first is not None:  # the desk signed from then on: this is a copy without the key
            return t("central.unsigned_after_signed", number=number, first=first)
    if rule.demand in (ANY, NO_KEY):
        return None
    assert rule.key is not None
    if rule.demand == REFUSE:
        return t("central.key_retired", fingerprint=fingerprint(rule.key), number=number,
                 start=rule.retired_from)  # fmt: skip
    signed = check_signature(folder, manifest, rule.key)
    if signed.problem is None:
        return None
    return t(signed.problem, signer=signed.signer, enrolled=fingerprint(rule.key))


def enrolment_hold(conn: Conn, office_id: str, number: int | None) -> Reason | None:
    """Why an archive the city has no key for is held ("desk not enrolled"), or None: the desk
    has a key (or a legacy range) for its number, or the city chose to accept such archives."""
    if ruling(key_rows(conn, office_id), number or 0).demand != NO_KEY:
        return None
    if unenrolled_policy(conn) != HOLD:
        return None
    return Reason("q_not_enrolled", {"number": number})


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
