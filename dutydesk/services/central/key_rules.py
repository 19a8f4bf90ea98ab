"""Which key an archive of a desk must be signed with (central_migrations c0010): each
`desk_key` row applies from an archive number on, so the key in force is decided per archive
number, never "the newest row" (breaker #8: a genuine archive signed with the old key before a
rotation, arriving late, was refused). And what the city does with a desk it has no key for:
the city's `unenrolled` setting, `hold` unless the administrator chose `accept`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

KEY, RETIRED, UNSIGNED = "key", "retired", "unsigned"
HOLD, ACCEPT = "hold", "accept"
# What a ruling asks of an archive: signed by `key`; anything (a legacy desk's unsigned range);
# nothing the city can check (no key enrolled for this number); refused (the key is retired).
CHECK, ANY, NO_KEY, REFUSE = "check", "any", "no_key", "refuse"


@dataclass(frozen=True)
class KeyRow:
    id: int
    kind: str
    public_key: str | None
    from_number: int
    until_number: int | None
    enrolled_by: str
    enrolled_at: str


@dataclass(frozen=True)
class Ruling:
    demand: str  # CHECK, ANY, NO_KEY or REFUSE
    key: str | None = None  # the public key the archive must be signed with (CHECK, REFUSE)
    retired_from: int | None = None  # REFUSE: the number the key is refused from


ROWS = (
    "SELECT id, kind, public_key, from_number, until_number, enrolled_by, "
    "to_char(enrolled_at, 'YYYY-MM-DD HH24:MI') FROM desk_key WHERE office_id = %s ORDER BY id"
)


def key_rows(conn: Conn, office_id: str) -> list[KeyRow]:
    """Every row the city recorded for the desk, oldest first."""
    return [
        KeyRow(
            int(r[0]),
            str(r[1]),
            None if r[2] is None else str(r[2]),
            int(r[3]),
            None if r[4] is None else int(r[4]),
            str(r[5]),
            str(r[6]),
        )  # fmt: skip
        for r in conn.execute(ROWS, (office_id,))
    ]


def ruling(rows: list[KeyRow], number: int) -> Ruling:
    """What archive `number` of the desk must be: the key (or the legacy unsigned range) with
    the greatest `from_number` not past it, the newest of equal ones; a retired key is refused
    from its retirement number on."""
    applying = [
        row for row in rows
        if row.kind != RETIRED and row.from_number <= number
        and (row.until_number is None or number <= row.until_number)
    ]  # fmt: skip
    if not applying:
        return Ruling(NO_KEY)
    chosen = max(applying, key=lambda row: (row.from_number, row.id))
    if chosen.kind == UNSIGNED:
        return Ruling(ANY)
    retired = [
        row.from_number for row in rows
        if row.kind == RETIRED and row.public_key == chosen.public_key
        and row.from_number <= number
    ]  # fmt: skip
    if retired:
        return Ruling(REFUSE, chosen.public_key, min(retired))
    return Ruling(CHECK, chosen.public_key)


def unenrolled_policy(conn: Conn) -> str:
    """The city's choice for an archive it has no key for: HOLD (the default) or ACCEPT."""
    row = conn.execute(
        "SELECT value FROM central_setting WHERE name = 'unenrolled' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return ACCEPT if row is not None and row[0] == ACCEPT else HOLD


def signs_from(rows: list[KeyRow], public_key: str) -> int | None:
    """The first archive number the key was enrolled for, None if it never was."""
    numbers = [r.from_number for r in rows if r.kind == KEY and r.public_key == public_key]
    return min(numbers) if numbers else None
