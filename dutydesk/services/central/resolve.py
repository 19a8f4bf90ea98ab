"""`dutydesk central resolve DESK --keep MANIFEST_SHA --by NAME --reason TEXT`: a person decides
a fork (services/central/forks.py). The decision is an insert-only row written by the
database's `central_resolve`; the kept branch then goes on (held archives released)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.services.central.connection import connect, driver
from dutydesk.services.central.ingest import Outcome, release_held
from dutydesk.services.core.validation import check_name, check_text

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

MIN_PREFIX = 8
REASON_MAX = 1000


def _one(rows: list[tuple[Any, ...]], error: str, **params: str) -> str:
    values = sorted({str(row[0]) for row in rows})
    if len(values) != 1:
        raise DutyError(error, **params)
    return values[0]


def desk_id(conn: Conn, desk: str) -> str:
    """The office id named by its id (or a prefix of it) or by its office's name."""
    rows = conn.execute(
        "SELECT office_id FROM archive WHERE office_id LIKE %s || '%%' OR office = %s",
        (desk, desk),
    ).fetchall()
    return _one(rows, "central.resolve_desk_unknown", desk=desk)


def resolve_conflict(
    url: str, desk: str, keep: str, decided_by: str, reason: str, work: Path
) -> tuple[str, list[Outcome]]:
    """Record the decision; returns the manifest kept and the archives then ingested."""
    driver()  # the plain message when the extra is missing, not an ImportError
    import psycopg

    if not decided_by.strip() or not reason.strip():
        raise DutyError("central.resolve_empty")
    problems: list[FieldProblem] = []  # the desk's rules: no control characters, no bidi marks
    check_name(problems, "central_by", decided_by, required=True, max_length=50, person=True)
    check_text(problems, "central_reason", reason, required=True, max_length=REASON_MAX)
    if problems:
        raise ValidationFailed(problems)
    if len(keep) < MIN_PREFIX:
        raise DutyError("central.resolve_short", keep=keep, count=str(MIN_PREFIX))
    conn = connect(url)
    try:
        office_id = desk_id(conn, desk)
        candidates = conn.execute(
            "SELECT s FROM central_pending(%s) c, unnest(ARRAY[c.first_sha, c.second_sha]) s "
            "WHERE s LIKE %s || '%%'",
            (office_id, keep.lower()),
        ).fetchall()
        kept = _one(candidates, "central.resolve_none", desk=desk, keep=keep)
        try:
            with conn.transaction():
                conn.execute("SELECT central_resolve(%s, %s, %s, %s)",
                             (office_id, kept, decided_by.strip(), reason.strip()))  # fmt: skip
        except psycopg.Error as exc:
            raise DutyError("central.resolve_failed", detail=str(exc).strip()) from exc
        work.mkdir(mode=0o700, parents=True, exist_ok=True)
        return kept, release_held(conn, office_id, work)
    finally:
        conn.close()
