"""What the city already holds for a desk bounds what the administrator may record about its
keys (fix9 breaker): an unsigned range may not reach a number the desk is known to have signed,
nor past what the city has seen of it; a new key or a retirement may not turn archives already
stored, signed with another key, into forgeries; one public key belongs to one desk. And an
unsigned archive is never taken when the city holds a signed one of the desk with a lower
number (the desk signed from then on: an unsigned later one is a copy without the key)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError
from dutydesk.services.central.key_rules import CHECK, KEY, RETIRED, KeyRow, ruling

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

HELD_SIGNED = (
    "SELECT q.number FROM quarantine q JOIN quarantine_signature s "
    "ON s.manifest_sha = q.manifest_sha WHERE q.office_id = %s AND q.number IS NOT NULL"
)
STORED = "SELECT number, name FROM archive WHERE office_id = %s ORDER BY number, id"
HIGHEST = (
    "SELECT max(n) FROM (SELECT number AS n FROM archive WHERE office_id = %s "
    "UNION ALL SELECT number FROM quarantine WHERE office_id = %s) AS seen"
)


def stored_signers(conn: Conn, office_id: str, rows: list[KeyRow]) -> list[tuple[int, str, str]]:
    """The desk's stored archives the city checked against a key: (number, name, key). A
    retirement recorded since does not change which key an archive was checked against."""
    keys = [row for row in rows if row.kind != RETIRED]
    found: list[tuple[int, str, str]] = []
    for number, name in conn.execute(STORED, (office_id,)).fetchall():
        rule = ruling(keys, int(number))
        if rule.demand == CHECK and rule.key is not None:
            found.append((int(number), str(name), rule.key))
    return found


def signed_numbers(conn: Conn, office_id: str, rows: list[KeyRow]) -> list[int]:
    """Every number of the desk the city holds signed: held with a signature, or stored after
    the check of a key."""
    held = [int(r[0]) for r in conn.execute(HELD_SIGNED, (office_id,)).fetchall()]
    return sorted(held + [number for number, _, _ in stored_signers(conn, office_id, rows)])


def check_unsigned_range(conn: Conn, office_id: str, rows: list[KeyRow], until: int) -> None:
    """Refuse an unsigned range reaching the desk's first signed archive, or past the highest
    number the city has held or stored for it."""
    signed = signed_numbers(conn, office_id, rows)
    if signed and until >= signed[0]:
        raise DutyError("central.unsigned_reaches_signed", until=until, first=signed[0])
    row = conn.execute(HIGHEST, (office_id, office_id)).fetchone()
    highest = int(row[0]) if row is not None and row[0] is not None else 0
    if until > highest:
        raise DutyError("central.unsigned_past_seen", until=until, highest=highest)


def _named(found: list[tuple[int, str, str]]) -> str:
    return ", ".join(f"{number} ({name})" for number, name, _ in found)


def check_new_key(conn: Conn, office_id: str, rows: list[KeyRow], key: str, start: int) -> None:
    """Refuse a key enrolled from a number the city stored signed with another key, or a key
    already enrolled for another desk."""
    others = [s for s in stored_signers(conn, office_id, rows) if s[0] >= start and s[2] != key]
    if others:
        raise DutyError("central.enrol_from_stored", start=start, archives=_named(others))
    row = conn.execute(
        "SELECT office_id FROM desk_key WHERE kind = %s AND public_key = %s AND office_id <> %s "
        "ORDER BY id LIMIT 1",
        (KEY, key, office_id),
    ).fetchone()
    if row is not None:
        raise DutyError("central.enrol_key_of_other_desk", other=str(row[0]))


def check_retirement(conn: Conn, office_id: str, rows: list[KeyRow], key: str, start: int) -> None:
    """Refuse retiring a key from a number the city stored signed with it."""
    stored = [s for s in stored_signers(conn, office_id, rows) if s[0] >= start and s[2] == key]
    if stored:
        raise DutyError("central.retire_from_stored", start=start, archives=_named(stored))


def signed_below(conn: Conn, office_id: str, rows: list[KeyRow], number: int) -> int | None:
    """The lowest number below `number` the city holds signed for the desk, None if none."""
    lower = [n for n in signed_numbers(conn, office_id, rows) if n < number]
    return lower[0] if lower else None
