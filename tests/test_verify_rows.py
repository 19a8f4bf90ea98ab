"""Issue 19: verify reads each row's canonical form as SQLite's json_object makes it
(services/archive/verify_rows.py). Those bytes must be the ones audit.canonical hashes, for
every row a register can hold; where SQLite would write a value otherwise (a REAL, a BLOB) the
row is made in Python as before."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from dutydesk.services.archive import verify_rows
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.archive.verify_pass import IN_PYTHON, streams_of
from dutydesk.services.archive.verify_rows import Rows, canonical_bytes
from dutydesk.services.core.audit import canonical, link_hash, link_hash_of
from tests.support_reliability import fill, tamper
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)

TRICKY = [
    "".join(chr(code) for code in range(160)),  # every control character, quotes, backslash
    "值班台 \u2028\u2029\ufeff \U0001f600 '\"\\/",
    "",
    "null",
    "12",
]


def python_form(conn: sqlite3.Connection, table: str, record_id: int) -> bytes:
    cursor = conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,))
    names = [column[0] for column in cursor.description]
    return canonical(dict(zip(names, cursor.fetchone(), strict=True)), table).encode()


def every_row(conn: sqlite3.Connection, table: str) -> dict[int, bytes]:
    stream = Rows(conn, table, (None, None))
    made = {}
    while stream.ahead is not None:
        found = stream.ahead
        stream.advance()
        made[found[0]] = canonical_bytes(table, stream.payload(found))
    return made


def test_this_sqlite_writes_json_as_python_does():
    assert verify_rows._sqlite_agrees()  # else verify falls back to Python: slow, not wrong


def test_every_chained_row_of_a_register_is_made_as_audit_canonical_makes_it(desk, officer):
    fill(desk, officer)
    desk.close()
    with closing(sqlite3.connect(desk.path)) as conn:
        tables = sorted({row[0] for row in conn.execute("SELECT DISTINCT kind FROM audit_link")})
        streams = streams_of(conn, tables)
        in_sql = [t for t, s in streams.items() if s is not None and t not in IN_PYTHON]
        assert {"call_record", "pending_item", "person", "shift"} <= set(in_sql)
        for table in tables:
            made = every_row(conn, table)
            assert made and made == {i: python_form(conn, table, i) for i in made}, table


@pytest.fixture
def scratch(tmp_path):
    """A table named as a chained one with a later column (call_record.place), any values."""
    conn = sqlite3.connect(tmp_path / "scratch.sqlite3")
    conn.execute("CREATE TABLE call_record (id INTEGER PRIMARY KEY, summary VARCHAR(10),"
                 " recorded_by_id INTEGER, verified BOOLEAN, loose, place VARCHAR(20))")  # fmt: skip
    yield conn
    conn.close()


def test_text_of_every_kind_and_a_later_column_null_or_not(scratch):
    rows = [(text, index, index % 2, text, None if index % 2 else text)
            for index, text in enumerate(TRICKY)]  # fmt: skip
    scratch.executemany("INSERT INTO call_record (summary, recorded_by_id, verified, loose, place)"
                        " VALUES (?, ?, ?, ?, ?)", rows)  # fmt: skip
    made = every_row(scratch, "call_record")
    assert len(made) == len(TRICKY)
    assert made == {i: python_form(scratch, "call_record", i) for i in made}
    assert b'"place"' not in made[2] and b'"place"' in made[1]  # NULL later column left out


@pytest.mark.parametrize("value", [0.30000000000000004, 1e20, -0.0, 2.5])
def test_a_real_value_is_made_in_python_as_before(scratch, value):
    # SQLite prints 15 digits (0.30000000000000004 as 0.3): a changed value could read as the
    # one hashed, so a row holding a REAL is made as audit.canonical makes it
    scratch.execute("INSERT INTO call_record (summary, recorded_by_id, loose) VALUES ('a', ?, ?)",
                    (value, value))  # fmt: skip
    assert every_row(scratch, "call_record") == {1: python_form(scratch, "call_record", 1)}


def test_a_blob_is_refused_as_python_refuses_it(scratch):
    scratch.executemany("INSERT INTO call_record (summary, loose) VALUES ('a', ?)",
                        [("text",), (b"\x00bytes",), ("after",)])  # fmt: skip
    stream = Rows(scratch, "call_record", (None, None))
    first = stream.ahead
    stream.advance()  # json_object refuses the BLOB: the rest of the table is read in Python
    assert first is not None and canonical_bytes("call_record", stream.payload(first))
    blob = stream.ahead
    assert blob is not None and blob[0] == 2 and isinstance(stream.payload(blob), dict)
    with pytest.raises(TypeError):  # as audit.canonical always did
        canonical_bytes("call_record", stream.payload(blob))
    stream.advance()
    assert stream.ahead is not None and stream.ahead[0] == 3


def test_link_hash_of_hashes_the_same_bytes_as_link_hash():
    for text in TRICKY:
        payload = canonical({"text": text, "id": 7})
        assert link_hash_of(3, "call_record", 7, payload.encode(), "ab" * 32) == link_hash(
            3, "call_record", 7, payload, "ab" * 32
        )


def test_without_json_in_sqlite_the_verdict_is_the_same(desk, officer, monkeypatch):
    fill(desk, officer)
    desk.close()
    tamper(desk.path, "DROP TRIGGER call_record_no_update",
           "UPDATE call_record SET summary = summary || '。' WHERE id = 2")  # fmt: skip
    report = verify_register(desk.path).to_json()
    assert report["counts"] == {"changed": 1}
    monkeypatch.setattr(verify_rows, "_sqlite_agrees", lambda: False)
    assert verify_register(desk.path).to_json() == report
