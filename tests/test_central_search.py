"""Issue 20, search p99 under 50 ms: the central search picks its way by the gram statistics (the
newest texts walked for common terms; the others fortnight by fortnight through the dated gram
index; a word with a cased letter through the trigram index, the plain query after all past
the cap) and must give exactly what the plain query gives: the newest 50 matches, every term
required, set-aside archives left out. Checked on a generated table over a year (27
fortnights) with a small window and cap so that each way runs, and against the matches worked
out here."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from dutydesk.services.central.connection import connect
from dutydesk.services.central.search import MAX_HITS, search_plain, search_steps
from dutydesk.services.core import grams_for
from tests.support_central import held_archives
from tests.test_central import server, url  # noqa: F401  (fixtures)

ROWS = 3000
WINDOW, CAP = 400, 150  # the production values need millions of texts to matter
START = datetime(2026, 1, 1, tzinfo=UTC)
ASIDE = "sha-set-aside"
STEP = {("水",): "recent", ("火",): "dated", ("电",): "dated", ("水", "火"): "dated",
        ("Alarm",): "matches", ("Fault",): "walk", ("Fault", "电"): "dated"}  # fmt: skip
TERMS = [
    ["水"],  # a third of the texts: common, the newest walked
    ["火"],  # one in a hundred: every fortnight asked at once
    ["电"],  # one in ten (old texts): fortnights asked from the newest, in growing batches
    ["积水"], ["交通事故"], ["1389"], ["白沙镇"],  # 2, 4+ characters, a phone fragment, a unit
    ["电话1389"], ["389"],  # pairs of a longer word: letters and digits; three digits
    ["水", "火"], ["电", "白沙镇"],  # two terms
    ["龘"], ["龘龘"], ["不存在的词语"],  # absent
    ["Alarm"], ["alarm"],  # a letter with a case: the trigram index (ILIKE: both match)
    ["Fault"],  # with a case, in old texts only, more than the cap: the plain query
    ["Fault", "电"],  # a word with a case beside one the dated index answers
]  # fmt: skip


def _body(rng: random.Random, number: int) -> str:
    words = ["群众反映"]
    if number % 3 == 0:
        words.append("道路积水")
    if number % 100 == 7:
        words.append("火情")
    if number < ROWS // 2 and number % 5 == 0:
        words.append("停电")
    if rng.random() < 0.02:
        words.append("交通事故")
    if rng.random() < 0.05:
        words.append("白沙镇")
    words.append(f"{rng.randrange(10**7):07d}")
    if number % 400 == 11:
        words.append("电话1389")
    if number % 150 == 5:
        words.append("Alarm")
    if number < ROWS // 2 and number % 4 == 0:
        words.append("Fault")
    return " ".join(words)


def _rows() -> list[tuple[str, int, datetime | None, str, str]]:
    """(office, record id, time, body, archive): one in seven texts in the set-aside archive, a
    few without a time (they sort last), the times shuffled against the insertion order."""
    rng = random.Random(20)
    numbers = list(range(ROWS))
    rng.shuffle(numbers)
    return [(f"chain:gen{number % 3}", number + 1,
             None if number % 250 == 3 else START + timedelta(hours=3 * number),
             _body(rng, number), ASIDE if number % 7 == 0 else "live")
            for number in numbers]  # fmt: skip


def _expected(rows, terms: list[str]) -> list[tuple[str, int]]:  # noqa: ANN001
    def holds(body: str, term: str) -> bool:
        return term.lower() in body.lower() if term.lower() != term.upper() else term in body

    matches = [row for row in rows if row[4] != ASIDE and all(holds(row[3], t) for t in terms)]
    matches.sort(key=lambda r: (r[2] is None, -(r[2] or START).timestamp(), r[0], r[1]))
    return [(office, record) for office, record, *_ in matches[:MAX_HITS]]


@pytest.fixture(scope="module")
def generated(server):  # noqa: F811
    from dutydesk.services.central import init_central

    made = server.create_database("central_search_steps")
    init_central(made)
    rows = _rows()
    with psycopg.connect(made, autocommit=True) as conn:
        conn.execute("INSERT INTO desk (office_id) VALUES ('chain:set-aside')")
        for number, (sha, previous) in enumerate((("fork", None), (ASIDE, "fork")), start=1):
            conn.execute(
                "INSERT INTO archive (office_id, number, content, name, manifest_sha, "
                "previous_sha, created_at, head_seq, head_hash, office, manifest) VALUES "
                "('chain:set-aside', %s, 'pack', %s, %s, %s, now(), 1, 'h', '测试', '{}')",
                (number, sha, sha, previous),
            )
        held_archives(conn, ["live"])
        conn.execute("INSERT INTO conflict (office_id, fork_sha, number, first_sha, second_sha) "
                     "VALUES ('chain:set-aside', 'fork', 2, %s, 'other')", (ASIDE,))  # fmt: skip
        columns = "office_id, kind, record_id, at, body, grams, archive_sha"
        with conn.cursor().copy(f"COPY doc ({columns}) FROM STDIN") as copy:
            copy.set_types(["text", "text", "int8", "timestamptz", "text", "text[]", "text"])
            for office, record, when, body, sha in rows:
                copy.write_row((office, "call_record", record, when, body,
                                grams_for(body).split(), sha))  # fmt: skip
        conn.execute("ANALYZE doc")
    return made, rows


def test_each_step_gives_the_plain_querys_hits(generated):
    made, rows = generated
    conn = connect(made)
    steps = set()
    try:
        for terms in TERMS:
            hits, step = search_steps(conn, terms, window=WINDOW, cap=CAP)
            steps.add(step)
            found = [(hit.office_id, hit.record_id) for hit in hits]
            assert found == _expected(rows, terms), (terms, step)
            plain = [(hit.office_id, hit.record_id) for hit in search_plain(conn, terms)]
            assert found == plain, (terms, step)
            assert step == STEP.get(tuple(terms), step), terms
    finally:
        conn.close()
    assert steps == {"recent", "dated", "matches", "walk"}, "every step ran"


def test_a_set_aside_archive_is_left_out_by_every_step(generated):
    made, rows = generated
    conn = connect(made)
    try:
        ways = [(["反映"], ROWS, 0, "recent"), (["反映"], 0, 0, "dated"),
                (["Alarm"], 0, ROWS, "matches"), (["Fault"], 0, 0, "walk")]  # fmt: skip
        for terms, window, cap, expected in ways:
            hits, step = search_steps(conn, terms, window=window, cap=cap)
            assert len(hits) == min(MAX_HITS, len(_expected(rows, terms))) and step == expected
            assert not {(h.office_id, h.record_id) for h in hits} & {
                (office, record) for office, record, _, _, sha in rows if sha == ASIDE
            }, step
    finally:
        conn.close()
