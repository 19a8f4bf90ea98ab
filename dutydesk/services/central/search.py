"""`dutydesk central search TERMS`: calls and incidents of every desk holding all the terms.

pg_trgm indexes a text by its three-character pieces, so a term of one or two characters
(most Chinese words: 积水, 塌方; a surname) gives it nothing to look up: those go to the
array of single characters and adjacent pairs kept beside each text (the desk's own bigram
index, services/core/search.py grams_for), the longer ones to the trigram index. Measured
in bench/measure/central.py; README, Performance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError
from dutydesk.services.central.connection import connect

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

MAX_HITS = 50
UNIGRAM, BIGRAM, TRIGRAM, OTHER = "unigram", "bigram", "trigram", "other"


@dataclass(frozen=True)
class Hit:
    office: str
    office_id: str
    kind: str  # call_record | incident
    record_id: int
    at: str
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"office": self.office, "office_id": self.office_id, "kind": self.kind,
                "id": self.record_id, "at": self.at, "text": self.text}  # fmt: skip


def term_class(term: str) -> str:
    """Which index answers the term: the gram array for 1 or 2 letters or digits, pg_trgm for
    3 characters or more, a scan (still correct) for a short term with punctuation."""
    if len(term) >= 3:
        return TRIGRAM
    if term.isalnum():
        return UNIGRAM if len(term) == 1 else BIGRAM
    return OTHER


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _condition(term: str) -> tuple[str, Any]:
    if term_class(term) in (UNIGRAM, BIGRAM):
        return "d.grams @> %s::text[]", [term.lower()]
    return "d.body ILIKE %s", _like(term)


QUERY = """
SELECT (SELECT a.office FROM archive a WHERE a.office_id = d.office_id
        ORDER BY a.number DESC LIMIT 1),
       d.office_id, d.kind, d.record_id,
       coalesce(to_char(d.at, 'YYYY-MM-DD HH24:MI'), ''), d.body
FROM doc d WHERE {where}
  AND d.archive_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s)
ORDER BY d.at DESC NULLS LAST LIMIT {limit}
"""


def search_central(url: str, terms: list[str], limit: int = MAX_HITS) -> list[Hit]:
    conn = connect(url)
    try:
        return search_on(conn, terms, limit)
    finally:
        conn.close()


def search_on(conn: Conn, terms: list[str], limit: int = MAX_HITS) -> list[Hit]:
    """Newest first, at most `limit`: every term must occur (in any field of the record)."""
    words = [word for term in terms for word in term.split()]
    if not words:
        raise DutyError("central.no_terms")
    conditions = [_condition(word) for word in words]
    sql = QUERY.format(where=" AND ".join(c for c, _ in conditions), limit=int(limit))
    rows = conn.execute(sql, [value for _, value in conditions]).fetchall()
    return [Hit(str(office or ""), str(oid), str(kind), int(rid), str(at), str(body))
            for office, oid, kind, rid, at, body in rows]  # fmt: skip
