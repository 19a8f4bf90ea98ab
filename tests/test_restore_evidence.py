"""Blank PIN rows in a live register (QA finding 3): only a genuine restore, recorded in the
chain right after the archive's head, lets them verify and lets `people set-pin --restored`
give an administrator a PIN; a `pin_redaction` table made with the sqlite3 shell proves nothing."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from dutydesk.i18n import t
from dutydesk.services.archive.export import sha256_file
from dutydesk.services.archive.verify import CHANGED, INSERTED, verify_register
from tests.support_people import ADMIN

GUARD = "person_pin_no_update"


def _blank_pins_as_an_insider(path: Path) -> None:
    """The QA's attack: drop the trigger, blank every hash and salt, recreate the trigger, and
    make and fill a pin_redaction table as an archive's snapshot has."""
    with closing(sqlite3.connect(path)) as conn, conn:
        (guard,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (GUARD,)).fetchone()
        conn.execute(f"DROP TRIGGER {GUARD}")
        conn.execute("UPDATE person_pin SET pin_hash = '', salt = ''")
        conn.execute(guard)
        conn.execute("CREATE TABLE pin_redaction (note TEXT NOT NULL)")
        conn.execute("INSERT INTO pin_redaction (note) VALUES ('PIN hashes blanked')")


def _pins(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT pin_hash, salt FROM person_pin ORDER BY id").fetchall()


def _set_pin_restored(cli, target: Path, pin: str = "135792"):  # noqa: ANN001, ANN202
    cli.runner.feed(f"{pin}\n{pin}\n")
    return cli("people", "set-pin", ADMIN, "--restored", "--pin-stdin", db=target)


def test_blanked_pins_and_a_redaction_table_in_the_register_fail_verify(cli_desk, db_path):
    assert cli_desk("verify").exit_code == 0
    _blank_pins_as_an_insider(db_path)
    checked = cli_desk("verify", "--json")
    assert checked.exit_code == 1, checked.output
    report = json.loads(checked.stdout)
    assert report["redacted_pins"] == 0
    assert {f["problem"] for f in report["findings"]} == {CHANGED}
    assert {f["table"] for f in report["findings"]} == {"person_pin"}


def test_set_pin_restored_is_refused_without_a_restore_record(cli_desk, db_path):
    _blank_pins_as_an_insider(db_path)
    before = _pins(db_path)
    refused = _set_pin_restored(cli_desk, db_path)
    assert refused.exit_code != 0
    assert t("authority.restored_only") in refused.output
    assert _pins(db_path) == before  # nothing written
    assert cli_desk("verify").exit_code == 1


def test_a_restore_record_added_by_hand_proves_nothing(cli_desk, db_path):
    _blank_pins_as_an_insider(db_path)
    with closing(sqlite3.connect(db_path)) as conn, conn:
        head_seq, head = conn.execute(
            "SELECT seq, hash FROM audit_link ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        conn.execute(
            "INSERT INTO restore_record (restored_at, manifest_sha256, archive_head_seq, "
            "archive_head) VALUES ('2026-11-23T10:00:00+08:00', '', ?, ?)",
            (head_seq, head),
        )
    assert _set_pin_restored(cli_desk, db_path).exit_code != 0
    findings = verify_register(db_path).findings
    assert {(f.table, f.problem) for f in findings} == {
        ("person_pin", CHANGED),
        ("restore_record", INSERTED),
    }


def test_a_genuine_restore_records_its_archive_and_lets_an_administrator_back_in(
    cli_desk, db_path, tmp_path
):
    assert cli_desk("export").exit_code == 0
    (archive,) = (db_path.parent / "exports").iterdir()
    target = tmp_path / "back.sqlite3"
    assert cli_desk("restore", str(archive), "--to", str(target)).exit_code == 0
    with closing(sqlite3.connect(target)) as conn:
        ((sha, head_seq, head),) = conn.execute(
            "SELECT manifest_sha256, archive_head_seq, archive_head FROM restore_record"
        ).fetchall()
        pinned = json.loads((archive / "manifest.json").read_text("utf-8"))["audit_chain_head"]
        link = conn.execute(
            "SELECT seq, prev_hash FROM audit_link WHERE kind = 'restore_record'"
        ).fetchone()
    assert sha == sha256_file(archive / "manifest.json")
    assert (head_seq, head) == (pinned["seq"], pinned["hash"])
    assert link == (head_seq + 1, head)
    checked = cli_desk("verify", "--json", db=target)
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["redacted_pins"] == len(_pins(db_path)) > 0
    assert _set_pin_restored(cli_desk, target).exit_code == 0
    assert cli_desk("verify", db=target).exit_code == 0
    again = _set_pin_restored(cli_desk, target, "246802")  # somebody has a PIN since
    assert again.exit_code != 0 and t("authority.restored_only") in again.output


def test_a_pin_set_after_the_restore_blanked_by_hand_fails_verify(cli_desk, db_path, tmp_path):
    assert cli_desk("export").exit_code == 0
    (archive,) = (db_path.parent / "exports").iterdir()
    target = tmp_path / "back.sqlite3"
    assert cli_desk("restore", str(archive), "--to", str(target)).exit_code == 0
    assert _set_pin_restored(cli_desk, target).exit_code == 0
    with closing(sqlite3.connect(target)) as conn, conn:
        (guard,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (GUARD,)).fetchone()
        conn.execute(f"DROP TRIGGER {GUARD}")
        conn.execute("UPDATE person_pin SET pin_hash = '', salt = '' WHERE pin_hash != ''")
        conn.execute(guard)
    findings = verify_register(target).findings
    assert [(f.table, f.problem) for f in findings] == [("person_pin", CHANGED)]
    assert _set_pin_restored(cli_desk, target, "246802").exit_code != 0
