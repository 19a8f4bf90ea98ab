"""`dutydesk verify`: the hash chain recomputed and compared with the rows now stored. Rows are
changed, deleted and inserted here as someone with the sqlite3 shell would (dropping the
append-only trigger first), and each must be reported with the link concerned."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from dutydesk.i18n import t
from dutydesk.services.archive import verify as verify_module
from dutydesk.services.archive.verify import (
    CHAIN_BREAK,
    CHAIN_GAP,
    CHANGED,
    DELETED,
    DUPLICATE,
    INSERTED,
    verify_register,
)
from dutydesk.services.core.audit import canonical, link_hash
from tests.support_reliability import error_line, fill, scalar, tamper
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)


@pytest.fixture
def filled(desk, officer):
    """A register with calls, an amendment, a pending item and its closure; the desk closed so
    the file is at rest (as when someone opens it with the sqlite3 shell)."""
    fill(desk, officer)
    desk.close()
    return desk.path


def link_of(path: Path, table: str, record_id: int) -> int:
    return scalar(
        path, "SELECT seq FROM audit_link WHERE kind = ? AND record_id = ?", table, record_id
    )  # type: ignore[return-value]


def problems(report) -> list[tuple[str, str, int | None, int | None]]:
    return [(f.problem, f.table, f.record_id, f.seq) for f in report.findings]


# ---------------------------------------------------------------- an intact register


def test_an_intact_register_verifies(filled):
    report = verify_register(filled)
    assert report.ok and report.findings == [] and report.integrity == []
    assert report.links == scalar(filled, "SELECT COUNT(*) FROM audit_link") >= 9
    assert report.head == scalar(filled, "SELECT hash FROM audit_link ORDER BY seq DESC LIMIT 1")
    assert {"call_record", "person", "shift", "pending_item", "pending_closure"} <= set(
        report.tables
    )
    assert report.unguarded == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("where", ["option", "global"])
def test_the_command_says_ok_with_the_links_and_head(cli, filled, lang, where):
    args = ("verify", "--db", str(filled)) if where == "option" else ("verify",)
    result = cli(*args, lang=lang, db=filled if where == "global" else filled.parent / "nowhere")
    assert result.exit_code == 0, result.output
    report = verify_register(filled)
    assert result.stdout.strip() == t(
        "reliability_verify.ok", lang=lang, links=report.links, head=report.head
    )


def test_a_new_register_verifies_with_its_office_chained(tmp_path, clock):
    from dutydesk.services.core.desk import init_database

    path = tmp_path / "new.sqlite3"
    init_database(path, "值班室", "henan", clock).close()
    report = verify_register(path)
    assert report.ok and report.links == 1 and report.head is not None  # the office row's link
    assert "office" in report.tables


def test_verifying_changes_nothing_on_disk(filled, tmp_path):
    snapshot = tmp_path / "snapshot.sqlite3"
    with closing(sqlite3.connect(filled)) as source, closing(sqlite3.connect(snapshot)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    before = snapshot.read_bytes(), snapshot.stat().st_mtime_ns
    assert verify_register(snapshot).ok
    assert (snapshot.read_bytes(), snapshot.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("snapshot")) == [
        "snapshot.sqlite3"
    ]


# ---------------------------------------------------------------- rows changed behind its back


def test_a_changed_call_is_reported_with_its_link(cli, filled):
    seq = link_of(filled, "call_record", 2)
    tamper(
        filled,
        "DROP TRIGGER call_record_no_update",
        "UPDATE call_record SET summary = '无事' WHERE id = 2",
    )
    report = verify_register(filled)
    assert not report.ok
    assert problems(report) == [(CHANGED, "call_record", 2, seq)]
    assert report.first_broken.seq == seq and report.affected == [("call_record", 2)]
    assert report.unguarded == ["call_record"]

    result = cli("verify", "--db", str(filled), lang="en")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == t(
        "reliability_verify.first_broken", lang="en", link=seq, table="call_record", id=2
    )
    assert (
        t("reliability_verify.changed", lang="en", table="call_record", id=2, link=seq)
        in result.stdout
    )
    assert "call_record #2" in lines[-3]
    assert lines[-2] == t(
        "verify_anchor.trigger_missing", lang="en", trigger="call_record_no_update",
        table="call_record",
    )  # fmt: skip
    # the word index still holds the old summary: said too (archive lane, item 5)
    assert lines[-1] == t("verify_anchor.index_content", lang="en", index="call_fts", count=1,
                          ids="2")  # fmt: skip


def test_a_deleted_record_is_reported(filled):
    seq = link_of(filled, "call_record", 3)
    tamper(
        filled,
        "DROP TRIGGER call_record_no_delete",
        "DELETE FROM call_record WHERE id = 3",
    )
    assert problems(verify_register(filled)) == [(DELETED, "call_record", 3, seq)]


def test_a_row_inserted_behind_its_back_is_reported(filled):
    # INSERT is not blocked by any trigger: only the chain can show it
    tamper(
        filled,
        "INSERT INTO call_record SELECT 99, year, 99, '2026-000099', received_at, recorded_at, "
        "direction, caller, unit, phone, verified, category, '补记一条', handling, follow_up, "
        "recorded_by_id, shift_id, NULL, NULL, place FROM call_record WHERE id = 1",
    )
    report = verify_register(filled)
    assert problems(report) == [(INSERTED, "call_record", 99, None)]
    assert report.first_broken == report.findings[0]


def test_a_row_inserted_into_a_table_no_link_names_yet_is_reported(desk, officer):
    # no pending closure exists yet: the table is known to be audited by its triggers
    from dutydesk.services.calls.calls import CallDraft, save_call

    save_call(desk, CallDraft("甲", "乙", "12345", "需要跟进", follow_up=True), officer)
    desk.close()
    assert scalar(desk.path, "SELECT COUNT(*) FROM audit_link WHERE kind = 'pending_closure'") == 0
    tamper(
        desk.path,
        "INSERT INTO pending_closure (id, item_id, closed_at, closed_by_id, note) "
        "SELECT 1, id, created_at, created_by_id, '' FROM pending_item",
    )
    assert problems(verify_register(desk.path)) == [(INSERTED, "pending_closure", 1, None)]


def test_other_tables_are_checked_too(filled):
    person_seq = link_of(filled, "person", 1)
    shift_seq = link_of(filled, "shift", 1)
    tamper(
        filled,
        "DROP TRIGGER person_no_update",
        "UPDATE person SET trained = 0 WHERE id = 1",
        "DROP TRIGGER shift_no_update",
        "UPDATE shift SET leader_id = standby_id WHERE id = 1",
    )
    report = verify_register(filled)
    assert problems(report) == [
        (CHANGED, "person", 1, person_seq),
        (CHANGED, "shift", 1, shift_seq),
    ]
    assert report.first_broken.table == "person"  # the lowest link comes first


def test_a_dropped_table_shows_every_record_deleted(filled):
    tamper(filled, "PRAGMA foreign_keys = OFF", "DROP TABLE pending_closure")
    report = verify_register(filled)
    assert [p[0:3] for p in problems(report)] == [(DELETED, "pending_closure", 1)]


# ---------------------------------------------------------------- the chain itself


def test_an_altered_link_hash_is_reported_at_its_row_and_at_the_next_link(filled):
    seq = link_of(filled, "call_record", 1)
    tamper(
        filled,
        "DROP TRIGGER audit_link_no_update",
        f"UPDATE audit_link SET hash = replace(hash, substr(hash, 1, 1), 'x') WHERE seq = {seq}",
    )
    report = verify_register(filled)
    found = [(f.problem, f.seq) for f in report.findings]
    assert len(found) == 2 and set(found) == {(CHANGED, seq), (CHAIN_BREAK, seq + 1)}
    assert (CHANGED, "call_record", 1, seq) in problems(report)


def test_a_link_rewritten_with_a_fresh_hash_breaks_the_next_link(filled):
    """Changing a row and its link consistently still breaks the chain at the next link."""
    seq = link_of(filled, "call_record", 1)
    with closing(sqlite3.connect(filled)) as conn, conn:
        conn.execute("DROP TRIGGER call_record_no_update")
        conn.execute("DROP TRIGGER audit_link_no_update")
        conn.execute("UPDATE call_record SET caller = '某人' WHERE id = 1")
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("SELECT * FROM call_record WHERE id = 1").fetchone())
        link = conn.execute("SELECT * FROM audit_link WHERE seq = ?", (seq,)).fetchone()
        payload = canonical(row, "call_record")
        new_hash = link_hash(seq, "call_record", 1, payload, link["prev_hash"])
        conn.execute("UPDATE audit_link SET hash = ? WHERE seq = ?", (new_hash, seq))
    report = verify_register(filled)
    assert [(f.problem, f.seq) for f in report.findings] == [(CHAIN_BREAK, seq + 1)]
    assert report.first_broken.seq == seq + 1


def test_a_deleted_link_leaves_a_gap_and_an_unlinked_row(filled):
    seq = link_of(filled, "call_record", 2)
    tamper(filled, "DROP TRIGGER audit_link_no_delete", f"DELETE FROM audit_link WHERE seq = {seq}")
    report = verify_register(filled)
    found = problems(report)
    assert found[0][0] == CHAIN_GAP and found[0][3] == seq + 1
    assert (INSERTED, "call_record", 2, None) in found
    assert report.first_broken.seq == seq + 1


def test_a_second_link_for_one_row_is_reported(filled):
    with closing(sqlite3.connect(filled)) as conn, conn:
        conn.row_factory = sqlite3.Row
        head = conn.execute("SELECT * FROM audit_link ORDER BY seq DESC LIMIT 1").fetchone()
        link = conn.execute(
            "SELECT * FROM audit_link WHERE kind = 'person' AND record_id = 1"
        ).fetchone()
        person = dict(conn.execute("SELECT * FROM person WHERE id = 1").fetchone())
        seq = head["seq"] + 1
        new_hash = link_hash(seq, "person", 1, canonical(person), head["hash"])
        conn.execute(
            "INSERT INTO audit_link (seq, kind, record_id, prev_hash, hash, written_at) "
            "VALUES (?, 'person', 1, ?, ?, ?)",
            (seq, head["hash"], new_hash, link["written_at"]),
        )
    assert problems(verify_register(filled)) == [(DUPLICATE, "person", 1, seq)]


# ---------------------------------------------------------------- output and failures


def test_the_json_report(cli, filled):
    tamper(filled, "DROP TRIGGER person_no_delete", "DELETE FROM person WHERE id = 3")
    result = cli("verify", "--db", str(filled), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["integrity"] == ["ok"]
    assert data["first_broken"] == {
        "problem": DELETED,
        "table": "person",
        "id": 3,
        "link": link_of(filled, "person", 3),
    }
    assert data["affected"] == [{"table": "person", "id": 3}]
    assert data["counts"] == {DELETED: 1}


def test_many_findings_are_counted_beyond_what_is_listed(cli, filled, monkeypatch):
    monkeypatch.setattr(verify_module, "MAX_FINDINGS", 2)
    tamper(filled, "DROP TRIGGER call_record_no_update", "UPDATE call_record SET phone = '110'")
    report = verify_register(filled)
    assert len(report.findings) == 2 and report.total == 4
    # and the trigger dropped; the word and phone indexes still hold the old numbers
    assert [p.code for p in report.problems] == ["trigger_missing", *["index_content"] * 2]
    result = cli("verify", "--db", str(filled), lang="en")
    assert result.exit_code == 1
    assert "7 problem(s)" in result.stdout.splitlines()[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_file_that_cannot_be_verified_gives_one_line(cli, tmp_path, lang):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    assert error_line(cli("verify", "--db", str(junk), lang=lang)) == t(
        "db.damaged", lang=lang, path=str(junk)
    )
    missing = tmp_path / "gone" / "x.sqlite3"
    assert error_line(cli("verify", "--db", str(missing), lang=lang)) == t(
        "db.missing_dir", lang=lang, path=str(missing.parent)
    )


def test_a_damaged_page_fails_the_integrity_check(cli, filled):
    with closing(sqlite3.connect(filled)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'call_record'"
        ).fetchone()[0]
    data = bytearray(filled.read_bytes())
    start = (root - 1) * page_size
    data[start + 8 : start + page_size] = b"\xa5" * (
        page_size - 8
    )  # keep the header, spoil the cells
    filled.write_bytes(bytes(data))
    report = verify_register(filled)
    assert not report.ok and report.integrity and report.integrity != ["ok"]
    result = cli("verify", lang="en", db=filled)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == t(
        "reliability_verify.integrity", lang="en", detail="; ".join(report.integrity)
    )


def test_every_append_only_table_is_checked(filled):
    """Tables added by later migrations are covered without listing them anywhere."""
    with closing(sqlite3.connect(filled)) as conn:
        guarded = {
            row[0]
            for row in conn.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name = tbl_name || '_no_update'"
            )
        }
    assert len(guarded) > 6
    assert set(verify_register(filled).tables) == guarded - {"audit_link"}


def test_a_row_put_in_an_empty_chained_table_with_its_triggers_dropped_is_found(tmp_path):
    """QA: a second officer inserted behind the desk's back into a register that had none yet
    (the table empty in the chain, its triggers dropped) passed `verify`."""
    import sqlite3

    import pendulum

    from dutydesk.clock import FrozenClock
    from dutydesk.services.archive.verify import verify_register
    from dutydesk.services.core.desk import init_database
    from tests.conftest import T0

    path = tmp_path / "r.sqlite3"
    init_database(path, "测试", "tianjin", FrozenClock(pendulum.parse(T0))).close()
    conn = sqlite3.connect(path)
    for action in ("update", "delete"):
        conn.execute(f"DROP TRIGGER shift_second_officer_no_{action}")
    conn.execute("INSERT INTO shift_second_officer (shift_id, person_id, recorded_at) "
                 "VALUES (1, 1, '2026-11-23T02:00:00+00:00')")  # fmt: skip
    conn.commit()
    conn.close()
    report = verify_register(path)
    assert not report.ok
    assert "shift_second_officer" in report.unguarded
    assert any(f.table == "shift_second_officer" for f in report.findings)
