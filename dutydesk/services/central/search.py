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


HIT = """(SELECT a.office FROM archive a WHERE a.office_id = d.office_id
        ORDER BY a.number DESC LIMIT 1),
       d.office_id, d.kind, d.record_id,
       coalesce(to_char(d.at, 'YYYY-MM-DD HH24:MI'), ''), d.body"""
NEWEST = "d.at DESC NULLS LAST, d.office_id, d.kind, d.record_id"  # ties too: one answer
LIVE = "d.archive_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s)"

# The plain query: the planner walks doc_at back from the newest text until it has `limit`
# (fast for a common term, the whole table for an absent one) or takes the term's index.
PLAIN = f"SELECT {HIT} FROM doc d WHERE {{where}} AND {LIVE} ORDER BY {NEWEST} LIMIT {{limit}}"
# 1. the newest `window` texts only: enough when the term is common there
RECENT = f"""SELECT {HIT} FROM (SELECT * FROM doc d ORDER BY {NEWEST} LIMIT {{window}}) d
WHERE {{where}} AND {LIVE} ORDER BY {NEWEST} LIMIT {{limit}}"""
# 2. else every match through the GIN indexes (a bitmap, forced), at most `cap`, then sorted
MATCHES = f"""WITH found AS MATERIALIZED (
    SELECT d.office_id, d.kind, d.record_id, d.at, d.body, d.archive_sha FROM doc d
    WHERE {{where}} LIMIT {{cap}} + 1)
SELECT n.total, h.* FROM (SELECT count(*) AS total FROM found) n
LEFT JOIN LATERAL (SELECT {HIT}, d.at AS sort_at FROM found d WHERE {LIVE}
                   ORDER BY {NEWEST} LIMIT {{limit}}) h ON true
ORDER BY h.sort_at DESC NULLS LAST, h.office_id, h.kind, h.record_id"""
WINDOW = 4000  # newest texts walked first (README, Performance: why these two)
CAP = 20000  # matches sorted at most; more, and the ordered walk is the answer


def search_central(url: str, terms: list[str], limit: int = MAX_HITS) -> list[Hit]:
    conn = connect(url)
    try:
        return search_on(conn, terms, limit)
    finally:
        conn.close()


def search_on(conn: Conn, terms: list[str], limit: int = MAX_HITS) -> list[Hit]:
    """Newest first, at most `limit`: every term must occur (in any field of the record)."""
    return search_steps(conn, terms, limit)[0]


def search_steps(
    conn: Conn, terms: list[str], limit: int = MAX_HITS, window: int = WINDOW, cap: int = CAP
) -> tuple[list[Hit], str]:
    """The hits and the step that found them ("recent", "matches" or "walk"): the same hits as
    the plain query, without its walk through the whole table for a rare or absent term."""
    where, values = _where(terms)
    rows = conn.execute(RECENT.format(where=where, window=int(window), limit=int(limit)),
                        values).fetchall()  # fmt: skip
    if len(rows) >= limit:
        return _hits(rows), "recent"
    with conn.transaction():  # SET LOCAL ends with it
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute("SET LOCAL enable_indexscan = off")
        found = conn.execute(MATCHES.format(where=where, cap=int(cap), limit=int(limit)),
                             values).fetchall()  # fmt: skip
    if found[0][0] <= cap:
        return _hits([row[1:-1] for row in found if row[2] is not None]), "matches"
    return search_plain(conn, terms, limit), "walk"


def search_plain(conn: Conn, terms: list[str], limit: int = MAX_HITS) -> list[Hit]:
    """The plain query, as the planner plans it (the last step, and what the tests compare)."""
    where, values = _where(terms)
    return _hits(conn.execute(PLAIN.format(where=where, limit=int(limit)), values).fetchall())


def _where(terms: list[str]) -> tuple[str, list[Any]]:
    words = [word for term in terms for word in term.split()]
    if not words:
        raise DutyError("central.no_terms")
    conditions = [_condition(word) for word in words]
    return " AND ".join(c for c, _ in conditions), [value for _, value in conditions]


def _hits(rows: list[tuple[Any, ...]]) -> list[Hit]:
    return [Hit(str(office or ""), str(oid), str(kind), int(rid), str(at), str(body))
            for office, oid, kind, rid, at, body in rows]  # fmt: skip
