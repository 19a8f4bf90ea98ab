"""`dutydesk central search TERMS`: calls and incidents of every desk holding all the terms.

pg_trgm indexes a text by its three-character pieces, so a term of one or two characters
(most Chinese words: 积水, 塌方; a surname) gives it nothing to look up: those go to the
array of single characters and adjacent pairs kept beside each text (the desk's own bigram
index, services/core/search.py grams_for), indexed with the fortnight of the text's time
before each gram (central migration c0009), so that the newest fortnights are asked first.
A longer word is looked up by its pairs there too (a text holding the word holds its pairs)
when it has no letter with a case; the others go to the trigram index. Measured in
bench/measure/central.py; README, Performance."""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError
from dutydesk.services.central.connection import connect
from dutydesk.services.core.search import grams_for

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
    archive_sha: str = ""  # the archive that brought the text (and its row)
    number: str | None = None  # a call's register number as the desk shows it (2026-000290)

    def to_json(self) -> dict[str, Any]:
        return {"office": self.office, "office_id": self.office_id, "kind": self.kind,
                "id": self.record_id, "number": self.number, "at": self.at,
                "text": self.text}  # fmt: skip


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
    if term.lower() == term.upper():  # no letter with a case (digits, Chinese): LIKE, as
        return "d.body LIKE %s", _like(term)  # exact, without lowering every text it reads
    return "d.body ILIKE %s", _like(term)


HIT = """(SELECT a.office FROM archive a WHERE a.office_id = d.office_id
        ORDER BY a.number DESC LIMIT 1),
       d.office_id, d.kind, d.record_id,
       coalesce(to_char(d.at, 'YYYY-MM-DD HH24:MI'), ''), d.body, d.archive_sha"""
NEWEST = "d.at DESC NULLS LAST, d.office_id, d.kind, d.record_id"  # ties too: one answer
LIVE = "d.archive_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s)"
GIVEN_LIVE = "d.archive_sha <> ALL(%s::text[])"  # the set-aside archives read once a search

# The plain query: the planner walks doc_at back from the newest text until it has `limit`
# (fast for a common term, the whole table for an absent one) or takes the term's index.
PLAIN = f"SELECT {HIT} FROM doc d WHERE {{where}} AND {LIVE} ORDER BY {NEWEST} LIMIT {{limit}}"
# the newest `window` texts, walked newest first until `limit` hits
RECENT = f"""SELECT {HIT} FROM (SELECT * FROM doc d ORDER BY {NEWEST} LIMIT {{window}}) d
WHERE {{where}} AND {GIVEN_LIVE} ORDER BY {NEWEST} LIMIT {{limit}}"""
# the texts of some fortnights holding every word's grams (the dated GIN index: one bitmap
# for each fortnight), every word checked, the newest `limit`. The candidates are a CTE of
# their own: beside the other conditions the planner took the trigram index instead and
# worked the dated grams out again for every text it read (200 ms instead of 1 ms).
DATED_KEY = "central_dated_grams(d.at, d.grams) @> %s::text[]"
DATED = f"""WITH found AS MATERIALIZED (SELECT * FROM doc d WHERE {{dated}})
SELECT {HIT} FROM found d WHERE {{where}} AND {GIVEN_LIVE} ORDER BY {NEWEST} LIMIT {{limit}}"""
# the fortnights holding texts, newest first, whether any text has no time, how many texts,
# and the archives set aside (a hashed subquery in every step: up to 15 ms in a forced plan)
SCOPE = """SELECT central_fortnight(max(d.at)), central_fortnight(min(d.at)),
    EXISTS (SELECT 1 FROM doc n WHERE n.at IS NULL),
    (SELECT greatest(c.reltuples, 0) FROM pg_class c WHERE c.oid = 'doc'::regclass),
    ARRAY(SELECT s.manifest_sha FROM central_set_aside() s
          WHERE EXISTS (SELECT 1 FROM conflict))  -- none without a fork (1.3 ms saved)
FROM doc d"""
# words the dated index cannot answer (a letter with a case in 3 or more characters): the
# texts the trigram index gives for them (a bitmap, forced), at most `cap`, every term checked,
# the newest `limit` sorted out by their keys, then their texts read
MATCHES = f"""WITH found AS MATERIALIZED (
    SELECT d.office_id, d.kind, d.record_id, d.archive_sha, d.at, ({{where}}) AS holds
    FROM doc d WHERE {{indexed}} LIMIT {{cap}} + 1)
SELECT n.total, h.* FROM (SELECT count(*) AS total FROM found) n
LEFT JOIN LATERAL (
    SELECT {HIT}, d.at AS sort_at FROM (
        SELECT d.* FROM found d WHERE d.holds AND {GIVEN_LIVE} ORDER BY {NEWEST} LIMIT {{limit}}
    ) f JOIN doc d USING (office_id, kind, record_id, archive_sha) ORDER BY {NEWEST}) h ON true
ORDER BY h.sort_at DESC NULLS LAST, h.office_id, h.kind, h.record_id"""
# ANALYZE's most common grams of the texts with their shares (the last three shares: the
# least and most listed, and the share of NULLs); read at most once a minute a connection
GRAM_STATS = """SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs FROM pg_stats s
WHERE s.schemaname = current_schema() AND s.tablename = 'doc' AND s.attname = 'grams'"""
STATS_SECONDS = 60.0  # pg_stats cost 3.5-10 ms a search (planning the view); they change at ANALYZE
_read_stats: weakref.WeakKeyDictionary[Any, tuple[float, dict[str, float], float]] = (
    weakref.WeakKeyDictionary()
)
# inside a step's transaction: the plan through the GIN bitmaps, never a walk of the table; no
# JIT or parallel workers (the forced plan's cost, ~10^5, set both off: 28 ms compiling and
# a Gather for a query of 1 ms)
BITMAPS_ONLY = """SELECT set_config('enable_seqscan', 'off', true),
    set_config('enable_indexscan', 'off', true), set_config('jit', 'off', true),
    set_config('max_parallel_workers_per_gather', '0', true)"""
KEYS_A_WORD = 3  # of a longer word's pairs, the rarest looked up (19829488: 7 pairs)
WINDOW = 4000  # newest texts walked for a common term (README, Performance)
CAP = 5000  # texts of the rare terms read at most (trigram index)


@dataclass(frozen=True)
class Scope:
    """What a search reads first: the fortnights to ask, newest first ("n": texts without a
    time, last), how many texts there are (ANALYZE's count) and the archives set aside."""

    fortnights: list[str]
    texts: float
    aside: list[str]


def search_central(url: str, terms: list[str], limit: int = MAX_HITS) -> list[Hit]:
    conn = connect(url)
    try:
        return search_on(conn, terms, limit)
    finally:
        conn.close()


def search_on(conn: Conn, terms: list[str], limit: int = MAX_HITS) -> list[Hit]:
    """Newest first, at most `limit`: every term must occur (in any field of the record);
    each call with its register number."""
    return numbered(conn, search_steps(conn, terms, limit)[0])


# the register number of each call found, from the row its archive brought (one query, after
# the search: the steps' plans stay as measured)
NUMBERS = """SELECT r.office_id, r.record_id, r.archive_sha, r.data->>'number' FROM record r
WHERE r.kind = 'call_record' AND (r.office_id, r.record_id, r.archive_sha) IN (
    SELECT * FROM unnest(%s::text[], %s::bigint[], %s::text[]))"""


def numbered(conn: Conn, hits: list[Hit]) -> list[Hit]:
    """The hits, each call with the register number its row holds (None where no row is
    held for it, or the row holds none)."""
    calls = [hit for hit in hits if hit.kind == "call_record"]
    if not calls:
        return hits
    keys = ([h.office_id for h in calls], [h.record_id for h in calls],
            [h.archive_sha for h in calls])  # fmt: skip
    found = {(str(o), int(r), str(s)): n for o, r, s, n in conn.execute(NUMBERS, keys)}

    def number(hit: Hit) -> str | None:
        value = found.get((hit.office_id, hit.record_id, hit.archive_sha))
        return None if value is None else str(value)

    return [replace(hit, number=number(hit)) if hit.kind == "call_record" else hit for hit in hits]


def search_steps(
    conn: Conn, terms: list[str], limit: int = MAX_HITS, window: int = WINDOW, cap: int = CAP
) -> tuple[list[Hit], str]:
    """The hits and the step that found them: "recent" (the newest `window` texts, walked from
    the newest until `limit` hits: words the gram statistics call common), "dated" (every
    word's grams looked up fortnight by fortnight, newest first, until `limit` hits), for
    words the dated index cannot answer "matches" (the trigram index's texts, at most `cap`)
    or "walk" (the plain query). Each step's answer is exactly the plain query's; the
    statistics only choose the order."""
    words = _words(terms)
    grams = gram_shares(conn, words)
    shares = _word_shares(words, grams)
    share = math.prod(shares.values())
    scope = _scope(conn)
    keys = [key for word in words for key in _keys(word, grams)]
    steps = ["recent"] if share * window >= 2 * limit else []
    steps += ["dated"] if keys else ["matches", "recent"]
    for step in dict.fromkeys(steps):
        if step == "recent":
            found = _recent(conn, words, scope, window, limit)
        elif step == "dated":
            found = _dated(conn, words, keys, scope, share, limit)
        else:
            rare = [word for word in words if shares[word] * window < limit] or words
            found = _matches(conn, words, rare, scope, cap, limit)
        if found is not None:
            return found, step
    return search_plain(conn, terms, limit), "walk"


def _scope(conn: Conn) -> Scope:
    row = conn.execute(SCOPE).fetchone()
    assert row is not None  # an aggregate without GROUP BY: one row
    newest, oldest, untimed, texts, aside = row
    fortnights = [] if newest is None else [str(f) for f in range(newest, oldest - 1, -1)]
    return Scope(fortnights + (["n"] if untimed else []), float(texts), list(aside))


def _keys(word: str, shares: dict[str, float]) -> list[str]:
    """Grams every text holding the word holds: a word of 1 or 2 letters or digits is its own
    gram (the plain query's condition); a longer one without a letter with a case, its rarest
    pairs by the statistics (or characters, if it has no pair; more keys cost more entries
    read than they leave out). None ([]) for a word with a letter with a case (ILIKE folds
    case otherwise than Python) or without a letter or digit."""
    if term_class(word) in (UNIGRAM, BIGRAM):
        return [word.lower()]
    if term_class(word) == TRIGRAM and word.lower() == word.upper():
        grams = grams_for(word).split()
        pairs = [gram for gram in grams if len(gram) == 2] or grams
        return sorted(pairs, key=lambda gram: (shares.get(gram, 0.0), gram))[:KEYS_A_WORD]
    return []


def _recent(
    conn: Conn, words: list[str], scope: Scope, window: int, limit: int
) -> list[Hit] | None:
    where, values = _where(words)
    sql = RECENT.format(where=where, window=int(window), limit=int(limit))
    rows = conn.execute(sql, [*values, scope.aside]).fetchall()
    return _hits(rows) if len(rows) >= limit else None


def _dated(
    conn: Conn, words: list[str], keys: list[str], scope: Scope, share: float, limit: int
) -> list[Hit]:
    """Fortnight by fortnight from the newest, in batches sized to hold `limit` hits by the
    statistics (doubling after a short one): all hits of a batch are newer than any of the
    next, so the newest `limit` are found once the batches so far hold them."""
    where, values = _where(words)
    expected = share * scope.texts / max(1, len(scope.fortnights))  # hits a fortnight
    size = max(1, math.ceil(2 * limit / expected)) if expected > 0 else len(scope.fortnights)
    rows: list[tuple[Any, ...]] = []
    at = 0
    while at < len(scope.fortnights) and len(rows) < limit:
        batch, at, size = scope.fortnights[at : at + size], at + size, size * 2
        dated = " OR ".join([DATED_KEY] * len(batch))
        sql = DATED.format(dated=dated, where=where, limit=int(limit - len(rows)))
        asked = [[f"{fortnight}:{key}" for key in keys] for fortnight in batch]
        with conn.transaction():  # the settings end with it
            conn.execute(BITMAPS_ONLY)
            rows += conn.execute(sql, [*asked, *values, scope.aside]).fetchall()
    return _hits(rows)


def _matches(
    conn: Conn, words: list[str], rare: list[str], scope: Scope, cap: int, limit: int
) -> list[Hit] | None:
    """The texts holding the rare words (a bitmap of their GIN entries: the plan forced),
    every word checked, newest first; None past `cap` texts."""
    where, values = _where(words)
    indexed, indexed_values = _where(rare)
    sql = MATCHES.format(indexed=indexed, where=where, cap=int(cap), limit=int(limit))
    with conn.transaction():  # the settings end with it
        conn.execute(BITMAPS_ONLY)
        found = conn.execute(sql, [*values, *indexed_values, scope.aside]).fetchall()
    if found[0][0] > cap:
        return None
    return _hits([row[1:-1] for row in found if row[2] is not None])


def word_shares(conn: Conn, words: list[str]) -> dict[str, float]:
    """Each word's share of the texts, from ANALYZE's most common grams (at most its rarest
    character or pair's; a digit string, the chain of its pairs)."""
    return _word_shares(words, gram_shares(conn, words))


def gram_shares(conn: Conn, words: list[str]) -> dict[str, float]:
    """Each gram of the words, its share of the texts from ANALYZE's most common grams. A
    character not among them is rare (0); a pair not among them, at most the least share
    listed (a common pair in a common word is not always listed: 交通事故's 通事)."""
    shares, least = _gram_statistics(conn)
    wanted = {gram for word in words for gram in grams_for(word).split()}
    return {g: shares.get(g, 0.0 if len(g) == 1 else least) for g in sorted(wanted)}


def _gram_statistics(conn: Conn) -> tuple[dict[str, float], float]:
    """The most common grams' shares and the least share listed, kept a minute for the
    connection (they only order the steps: every step's answer is exact)."""
    now = time.monotonic()
    kept = _read_stats.get(conn)
    if kept is not None and now - kept[0] < STATS_SECONDS:
        return kept[1], kept[2]
    row = conn.execute(GRAM_STATS).fetchone()
    grams, shares = (row[0] or [], row[1] or []) if row else ([], [])
    found = {str(gram): float(share) for gram, share in zip(grams, shares, strict=False)}
    least = float(shares[-3]) if len(shares) >= 3 else 0.0
    _read_stats[conn] = (now, found, least)
    return found, least


def _word_shares(words: list[str], grams: dict[str, float]) -> dict[str, float]:
    found: dict[str, float] = {}
    for word in words:
        known = {gram: grams[gram] for gram in grams_for(word).split()}
        found[word] = min(known.values(), default=1.0)
        if word.isascii() and word.isdigit() and len(word) >= 3:  # digits are near independent
            found[word] = min(found[word], _chained(word, known))
    return found


def _chained(digits: str, known: dict[str, float]) -> float:
    """A digit string's share as a chain of its pairs (a phone fragment: 1389 holds three
    common pairs, yet is in 0.15% of the texts)."""
    share = known.get(digits[:2], 0.0)
    for at in range(1, len(digits) - 1):
        inner = known.get(digits[at], 0.0)
        share *= known.get(digits[at : at + 2], 0.0) / inner if inner else 0.0
    return share


def search_plain(conn: Conn, terms: list[str], limit: int = MAX_HITS) -> list[Hit]:
    """The plain query, as the planner plans it (the last step, and what the tests compare)."""
    where, values = _where(terms)
    return _hits(conn.execute(PLAIN.format(where=where, limit=int(limit)), values).fetchall())


def _words(terms: list[str]) -> list[str]:
    words = [word for term in terms for word in term.split()]
    if not words:
        raise DutyError("central.no_terms")
    return words


def _where(terms: list[str]) -> tuple[str, list[Any]]:
    conditions = [_condition(word) for word in _words(terms)]
    return " AND ".join(c for c, _ in conditions), [value for _, value in conditions]


def _hits(rows: list[tuple[Any, ...]]) -> list[Hit]:
    return [Hit(str(office or ""), str(oid), str(kind), int(rid), str(at), str(body), str(sha))
            for office, oid, kind, rid, at, body, sha in rows]  # fmt: skip
