"""Issue 16, items 2, 4 and 5: the register checked against heads pinned outside the file
(archive manifests, export records, the head printed on the handover form), and for what lies
outside the rows' links (triggers, numbering, the office, the search indexes, written_at).
Each attack is done as an insider with the file and the source would, and must fail `verify`
with a message that names what and where."""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from dutydesk.i18n import t
from dutydesk.services.archive.export import MANIFEST, export_handover, write_archive
from dutydesk.services.archive.verify import CHANGED, INSERTED, verify_register
from dutydesk.services.core.audit import GENESIS, canonical, link_hash
from dutydesk.services.core.search_catch_up import index_new_calls
from dutydesk.services.core.search_index import phone_digits_sql
from tests.support_people import authority_for
from tests.support_reliability import fill, scalar, tamper
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401  (fixture)


@pytest.fixture
def filled(desk, officer):
    fill(desk, officer)
    desk.close()
    return desk.path


def recompute_chain(path: Path) -> None:
    """The insider's last step: every link's hash recomputed from the rows as they now are,
    with the program's own functions, the triggers dropped and put back."""
    with closing(sqlite3.connect(path)) as conn, conn:
        guards = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_link'"
        ).fetchall()
        for name, _sql in guards:
            conn.execute(f"DROP TRIGGER {name}")
        links = conn.execute("SELECT seq, kind, record_id FROM audit_link ORDER BY seq").fetchall()
        prev = GENESIS
        for seq, kind, record_id in links:
            cursor = conn.execute(f'SELECT * FROM "{kind}" WHERE id = ?', (record_id,))
            names = [column[0] for column in cursor.description]
            row = dict(zip(names, cursor.fetchone(), strict=True))
            digest = link_hash(seq, kind, record_id, canonical(row, kind), prev)
            conn.execute(
                "UPDATE audit_link SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq)
            )
            prev = digest
        for _name, sql in guards:
            conn.execute(sql)


def edit_call_unnoticed(path: Path, call_id: int = 1) -> None:
    """Edit a call, drop and restore its trigger, rebuild the word index (else verify sees it
    holding the old text), recompute every link."""
    with closing(sqlite3.connect(path)) as conn, conn:
        index_new_calls(conn)  # the calls not yet indexed, by the program's own function
        guard = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'call_record_no_update'"
        ).fetchone()[0]
        conn.execute("DROP TRIGGER call_record_no_update")
        conn.execute("UPDATE call_record SET summary = '无事' WHERE id = ?", (call_id,))
        conn.execute(guard)
        conn.execute("INSERT INTO call_fts(call_fts) VALUES ('rebuild')")
    recompute_chain(path)


def codes(report) -> list[str]:
    return [problem.code for problem in report.problems]


# ---------------------------------------------------------------- the triggers


def test_a_dropped_trigger_fails_naming_it(cli, filled):
    tamper(filled, "DROP TRIGGER shift_no_delete")
    report = verify_register(filled)
    assert not report.ok and report.findings == []
    assert [(p.code, p.args) for p in report.problems] == [
        ("trigger_missing", {"trigger": "shift_no_delete", "table": "shift"})
    ]
    result = cli("verify", "--db", str(filled), lang="en")
    assert result.exit_code == 1
    assert (
        t("verify_anchor.trigger_missing", lang="en", trigger="shift_no_delete", table="shift")
        in result.stdout
    )


def test_a_trigger_replaced_by_one_that_does_nothing_counts_as_missing(filled):
    tamper(
        filled,
        "DROP TRIGGER audit_link_no_update",
        "CREATE TRIGGER audit_link_no_update BEFORE UPDATE ON audit_link BEGIN SELECT 1; END",
    )
    report = verify_register(filled)
    assert [p.args["trigger"] for p in report.problems] == ["audit_link_no_update"]


# ---------------------------------------------------------------- the numbering


def test_a_rolled_back_sequence_alone_fails(filled):
    tamper(filled, "UPDATE register_sequence SET last_value = last_value - 1")
    report = verify_register(filled)
    assert codes(report) == ["sequence_mismatch"]
    assert report.problems[0].args["book"] == "call"


def test_a_middle_call_deleted_and_the_chain_recomputed_leaves_a_hole_in_the_numbers(filled):
    seq = scalar(filled, "SELECT seq FROM audit_link WHERE kind='call_record' AND record_id=3")
    tamper(
        filled,
        "DROP TRIGGER call_record_no_delete",
        "DROP TRIGGER audit_link_no_delete",
        "DROP TRIGGER audit_link_no_update",
        "DELETE FROM call_record WHERE id = 3",
        f"DELETE FROM audit_link WHERE seq = {seq}",
        f"UPDATE audit_link SET seq = seq - 1 WHERE seq > {seq}",
        "CREATE TRIGGER call_record_no_delete BEFORE DELETE ON call_record "
        "BEGIN SELECT RAISE(ABORT, 'dutydesk: call_record is append-only'); END",
    )
    recompute_chain(filled)
    tamper(
        filled,
        *(
            f"CREATE TRIGGER audit_link_no_{a} BEFORE {a.upper()} ON audit_link "
            "BEGIN SELECT RAISE(ABORT, 'dutydesk: audit_link is append-only'); END"
            for a in ("update", "delete")
        ),
    )
    report = verify_register(filled)
    assert report.findings == []  # every row matches its recomputed link ...
    assert "numbers_missing" in codes(report)  # ... but number 3 of the year is gone


def _delete_newest_call(path: Path) -> None:
    """The newest call, its link and every link after it, deleted; the number rolled back."""
    call_id = scalar(path, "SELECT MAX(id) FROM call_record")
    seq = scalar(
        path, f"SELECT seq FROM audit_link WHERE kind='call_record' AND record_id={call_id}"
    )
    later = [
        row for row in _rows(path, f"SELECT kind, record_id FROM audit_link WHERE seq > {seq}")
    ]
    statements = [f"DROP TRIGGER {name}_no_delete" for name in {"call_record", "audit_link"}
                  | {kind for kind, _id in later}]  # fmt: skip
    statements += [f'DELETE FROM "{kind}" WHERE id = {record_id}' for kind, record_id in later]
    statements += [
        f"DELETE FROM call_bigram_docsize WHERE id = {call_id}",  # no index trace left
        f"DELETE FROM call_digits_docsize WHERE id = {call_id}",
        # a contentless index forgets a document only when told its tokens
        "INSERT INTO call_phone(call_phone, rowid, digits) SELECT 'delete', id, "
        f"{phone_digits_sql('phone')} FROM call_record WHERE id = {call_id}",
        f"DELETE FROM audit_link WHERE seq >= {seq}",
        f"DELETE FROM call_record WHERE id = {call_id}",
        "UPDATE register_sequence SET last_value = last_value - 1",
        "INSERT INTO call_fts(call_fts) VALUES ('rebuild')",
        f"UPDATE search_indexed SET up_to = {call_id - 1} WHERE up_to >= {call_id}",  # its mark
    ]
    tamper(path, *statements)
    with closing(sqlite3.connect(path)) as conn, conn:
        for table in {"call_record", "audit_link"} | {kind for kind, _id in later}:
            conn.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {table} is append-only'); END"
            )


def _rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def test_the_newest_call_deleted_with_its_number_is_caught_by_the_archive_after_it(
    cli, desk, officer
):
    fill(desk, officer)
    archive = write_archive(desk)  # pins the head: the newest call is in it
    desk.close()
    _delete_newest_call(desk.path)
    assert verify_register(desk.path, archive_dirs=[]).findings == []  # the rows agree
    report = verify_register(desk.path)
    assert codes(report) == ["shorter"] and report.problems[0].args["source"] == str(archive)
    result = cli("verify", "--db", str(desk.path), lang="en")
    assert result.exit_code == 1 and archive.name in result.stdout


def test_without_an_archive_deleting_the_newest_call_goes_unnoticed(desk, officer):
    """The attack that remains (README, Data safety): records written since the last archive
    and the last paper head can be cut off the end of the chain without a trace in the file."""
    fill(desk, officer)
    desk.close()
    _delete_newest_call(desk.path)
    report = verify_register(desk.path)
    assert report.ok and report.anchors == []


# ---------------------------------------------------------------- the office


def test_the_office_zone_changed_behind_the_desks_back_fails(cli, filled):
    tamper(
        filled,
        "DROP TRIGGER office_no_update",
        "UPDATE office SET timezone = 'America/New_York'",
        "CREATE TRIGGER office_no_update BEFORE UPDATE ON office "
        "BEGIN SELECT RAISE(ABORT, 'dutydesk: office is append-only'); END",
    )
    report = verify_register(filled)
    assert [(f.problem, f.table, f.record_id) for f in report.findings] == [(CHANGED, "office", 1)]
    result = cli("verify", "--db", str(filled), lang="en")
    assert result.exit_code == 1 and "office #1" in result.stdout


def test_a_change_of_the_office_is_a_chained_row_the_desk_uses(desk, officer):
    from dutydesk.services.core import open_desk
    from dutydesk.services.roster import set_office

    set_office(
        desk, authority_for(desk), timezone="Asia/Urumqi", clock_tolerance_s=60, confirmed=True
    )
    assert desk.timezone == "Asia/Urumqi"
    desk.close()
    assert verify_register(desk.path).ok
    again = open_desk(desk.path, desk.clock)
    assert again.office.timezone == "Asia/Urumqi" and again.office.name == desk.office.name
    again.close()
    tamper(
        desk.path,
        "INSERT INTO office_setting (name, profile_id, timezone, clock_tolerance_s, set_at) "
        "SELECT name, profile_id, 'America/New_York', 300, set_at FROM office_setting",
    )
    report = verify_register(desk.path)
    assert [(f.problem, f.table) for f in report.findings] == [(INSERTED, "office_setting")]


def test_a_bad_time_zone_changes_nothing(desk):
    from dutydesk.errors import DutyError
    from dutydesk.services.roster import set_office

    with pytest.raises(DutyError) as raised:
        set_office(desk, authority_for(desk), timezone="Mars/Olympus")
    assert "Mars/Olympus" in raised.value.message()
    assert scalar(desk.path, "SELECT COUNT(*) FROM office_setting") == 0


# ---------------------------------------------------------------- the search indexes


def test_deleted_index_rows_fail_and_reindex_puts_them_back(cli, filled):
    grams = scalar(filled, "SELECT caller || ' ' || unit FROM call_record WHERE id = 2")
    tamper(
        filled,
        f"INSERT INTO call_bigram(call_bigram, rowid, grams) VALUES ('delete', 2, '{grams}')",
        "INSERT INTO call_fts(call_fts, rowid, caller, unit, phone, summary, handling, place) "
        "SELECT 'delete', id, caller, unit, phone, summary, handling, place "
        "FROM call_record WHERE id = 2",
        "INSERT INTO call_phone(call_phone, rowid, digits) "
        "SELECT 'delete', id, replace(phone, '-', '') FROM call_record WHERE id = 2",
    )
    report = verify_register(filled)
    assert codes(report) == ["index_mismatch"] * 3
    assert {p.args["index"] for p in report.problems} == {"call_fts", "call_bigram", "call_phone"}
    assert all(p.args["ids"] == "2" for p in report.problems)
    result = cli("reindex", db=filled, lang="en")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == t("reindex.done", lang="en", count=4)
    assert verify_register(filled).ok


@pytest.mark.parametrize("term", ["积水", "人民路积水", "来电人1", "0371"])
def test_reindex_keeps_search_finding_the_same_calls(desk, officer, term):
    from dutydesk.services.calls.calls import list_calls
    from dutydesk.services.core import rebuild_search_indexes

    fill(desk, officer)
    before = [c.number for c in list_calls(desk, search=term)]
    assert before and rebuild_search_indexes(desk) == 4
    assert [c.number for c in list_calls(desk, search=term)] == before


# ---------------------------------------------------------------- written_at


def test_written_at_stepping_back_beyond_the_tolerance_is_reported(cli, filled):
    seq = scalar(filled, "SELECT MAX(seq) FROM audit_link")
    tamper(
        filled,
        "DROP TRIGGER audit_link_no_update",
        f"UPDATE audit_link SET written_at = '2020-01-01T00:00:00.000000+00:00' WHERE seq = {seq}",
    )
    report = verify_register(filled)
    assert [(w.code, w.args["seq"]) for w in report.warnings] == [("clock_back", seq)]
    assert report.warnings[0].args["tolerance"] == 300


def test_written_at_within_the_tolerance_is_not_reported(filled):
    from datetime import datetime, timedelta

    seq = scalar(filled, "SELECT MAX(seq) FROM audit_link")
    before = datetime.fromisoformat(
        scalar(filled, f"SELECT written_at FROM audit_link WHERE seq = {seq - 1}")
    )
    earlier = (before - timedelta(minutes=4)).isoformat(timespec="microseconds")
    tamper(
        filled,
        "DROP TRIGGER audit_link_no_update",
        f"UPDATE audit_link SET written_at = '{earlier}' WHERE seq = {seq}",
    )
    assert verify_register(filled).warnings == []


# ---------------------------------------------------------------- a chain recomputed after an edit


def test_a_recomputed_chain_passes_in_the_file_alone(filled):
    """What no check inside the file can see (README, Data safety): the edit, with every link
    recomputed by the program's own functions, verifies when no anchor is at hand."""
    edit_call_unnoticed(filled)
    assert scalar(filled, "SELECT summary FROM call_record WHERE id = 1") == "无事"
    report = verify_register(filled)
    assert report.ok and report.anchors == []


def test_a_recomputed_chain_fails_against_the_archives_manifest(cli, desk, officer):
    fill(desk, officer)
    archive = write_archive(desk)
    desk.close()
    edit_call_unnoticed(desk.path)
    report = verify_register(desk.path)
    assert codes(report) == ["differs"]
    assert report.problems[0].args["source"] == str(archive)
    result = cli("verify", "--db", str(desk.path), lang="en")
    assert result.exit_code == 1 and str(archive) in result.stdout


def test_an_archive_kept_elsewhere_anchors_when_the_one_beside_is_gone(
    cli, desk, officer, tmp_path
):
    fill(desk, officer)
    archive = write_archive(desk)
    desk.close()
    elsewhere = tmp_path / "usb"
    shutil.copytree(archive.parent, elsewhere)
    shutil.rmtree(archive.parent)  # the insider removes the exports beside the register ...
    tamper(desk.path, "DROP TRIGGER export_record_no_delete", "DELETE FROM export_record",
           "DROP TRIGGER audit_link_no_delete",
           "DELETE FROM audit_link WHERE kind = 'export_record'")  # fmt: skip
    edit_call_unnoticed(desk.path)
    tamper(
        desk.path,
        *(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {table} is append-only'); END"
            for table in ("export_record", "audit_link")
        ),
    )
    assert verify_register(desk.path).ok  # ... and nothing in reach says otherwise
    result = cli("verify", "--db", str(desk.path), "--archives", str(elsewhere), lang="en")
    assert result.exit_code == 1 and archive.name in result.stdout


def test_a_manifest_that_differs_from_its_export_record_fails(desk, officer):
    fill(desk, officer)
    archive = write_archive(desk)
    desk.close()
    manifest = archive / MANIFEST
    manifest.write_text(manifest.read_text(encoding="utf-8") + " ", encoding="utf-8")
    report = verify_register(desk.path)
    assert codes(report) == ["recorded_differs"]
    assert report.problems[0].args["archive"] == str(archive)


def test_a_moved_register_still_compares_its_archives_with_its_export_records(
    desk, officer, tmp_path
):
    """The records hold the folder the archive was written to; moved (a new machine, a copy),
    the archive beside the register is matched by its name (QA)."""
    fill(desk, officer)
    archive = write_archive(desk)
    desk.close()
    moved = tmp_path / "new-machine"
    moved.mkdir()
    shutil.copy(desk.path, moved / desk.path.name)
    shutil.copytree(archive.parent, moved / archive.parent.name)
    manifest = moved / archive.parent.name / archive.name / MANIFEST
    manifest.write_text(manifest.read_text(encoding="utf-8") + " ", encoding="utf-8")
    shutil.rmtree(archive.parent)
    report = verify_register(moved / desk.path.name)
    assert "recorded_differs" in codes(report)


def test_an_archive_recorded_but_not_found_is_a_note(desk, officer):
    fill(desk, officer)
    archive = write_archive(desk)
    desk.close()
    shutil.rmtree(archive)
    report = verify_register(desk.path)
    assert report.ok and [w.code for w in report.warnings] == ["recorded_missing"]


# ---------------------------------------------------------------- the head on paper


def _paper_head(folder: Path) -> str:
    """The head as a person reads it off the printed form."""
    text = (folder / t("handover_export.form_file")).read_text(encoding="utf-8-sig")
    line = next(line for line in text.splitlines() if line.startswith("链头"))
    return line.split("：", 1)[1].strip()


def test_the_signed_form_carries_the_head_at_sign_off(ready):  # noqa: F811
    from docx import Document

    tick_all(ready)
    signed = _sign(ready, leader=True)
    folder = export_handover(ready, signed.handover.id).path
    head = _paper_head(folder)
    seq, prefix = head.split(":")
    assert len(prefix) == 16
    link = scalar(ready.path, f"SELECT hash FROM audit_link WHERE seq = {int(seq)}")
    assert link.startswith(prefix)
    last_of_sign_off = scalar(
        ready.path,
        "SELECT MAX(seq) FROM audit_link WHERE kind IN "
        "('handover', 'handover_signature', 'shift_closure', 'carry_over')",
    )
    assert int(seq) == last_of_sign_off
    docx = Document(str(folder / t("handover_export.form_docx_file")))
    assert any(head in p.text for p in docx.paragraphs)


def test_a_recomputed_chain_fails_against_the_paper_head(cli, ready):  # noqa: F811
    tick_all(ready)
    signed = _sign(ready, leader=True)
    folder = export_handover(ready, signed.handover.id).path
    head = _paper_head(folder)
    ready.close()
    shutil.rmtree(folder.parent)  # no archive left: only the paper in the leader's folder
    edit_call_unnoticed(ready.path)
    assert cli("verify", "--db", str(ready.path)).exit_code == 0
    result = cli("verify", "--db", str(ready.path), "--head", head, lang="en")
    assert result.exit_code == 1
    assert t("verify_anchor.paper", lang="en") in result.stdout
    assert head.split(":")[1] in result.stdout


def test_the_paper_head_of_an_untouched_register_checks_out(cli, ready):  # noqa: F811
    tick_all(ready)
    signed = _sign(ready, leader=True)
    head = _paper_head(export_handover(ready, signed.handover.id).path)
    result = cli("verify", "--db", str(ready.path), "--head", head, lang="en")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("head", ["12", "12:abcdef", "x:0123456789abcdef", "12:0123456789abcdeg"])
def test_a_head_that_is_not_seq_colon_hex_is_refused_in_one_line(cli, filled, head):
    result = cli("verify", "--db", str(filled), "--head", head, lang="en")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert re.search("SEQ:HEX", result.stderr)


# ---------------------------------------------------------------- migration 0018


def test_a_register_from_before_0018_gets_its_office_chained(tmp_path):
    from alembic import command

    from dutydesk.db import alembic_config, make_engine

    path = tmp_path / "old.sqlite3"
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0013")  # type: ignore[arg-type]
    tamper(
        path,
        "INSERT INTO office (id, name, profile_id, timezone, created_at) VALUES "
        "(1, '值班室', 'henan', 'Asia/Shanghai', '2026-01-01T00:00:00.000000+00:00')",
    )
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "heads")  # type: ignore[arg-type]
    engine.dispose()
    assert _rows(path, "SELECT seq, kind, record_id FROM audit_link") == [(1, "office", 1)]
    report = verify_register(path)
    assert report.ok and "office" in report.tables
    tamper(path, "DROP TRIGGER office_no_update", "UPDATE office SET timezone = 'UTC'")
    assert [f.table for f in verify_register(path).findings] == ["office"]


def test_another_registers_archive_is_named_as_such_not_as_a_rewrite(cli, desk, clock, tmp_path):
    """Checking this register against another desk's archives fails (a rewritten first link
    would look the same), but says whose the archive is, not that records were changed (QA)."""
    from dutydesk.services.core.desk import init_database

    other = init_database(tmp_path / "other.sqlite3", "西城区人民政府总值班室", "tianjin", clock)
    try:
        foreign = write_archive(other)
    finally:
        other.close()
    desk.close()
    result = cli("verify", "--db", str(desk.path), "--archives", str(foreign.parent), lang="en")
    assert result.exit_code == 1
    assert "belongs to another register" in result.output
    assert "rewritten" in result.output and "shorter" not in result.output
