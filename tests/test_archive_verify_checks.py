"""QA findings on archives: a lone pack's rows checked against its links, report numbers without
holes, no archive nested in an archive, and `--archives` naming a folder that is not there."""

from __future__ import annotations

import sqlite3

from dutydesk.services.archive.export_pack import PACK
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.incidents.report_numbers import report_number
from tests.support_packs import rewrite_manifest
from tests.support_reliability import scalar, tamper
from tests.test_anchors import recompute_chain
from tests.test_archive_packs import folder  # noqa: F401  (fixture)
from tests.test_handover_domain import ready  # noqa: F401  (fixture)
from tests.test_report_docx import _incident


def test_a_lone_pack_with_a_row_updated_and_hashes_recomputed_fails(folder, cli):  # noqa: F811
    desk, archives = folder
    pack = archives[2]
    conn = sqlite3.connect(pack / PACK)
    conn.execute("UPDATE call_record SET summary = '一切正常' WHERE summary = '路灯损坏'")
    conn.commit()
    conn.close()
    rewrite_manifest(pack, lambda manifest: None)
    checked = cli("verify", str(pack), db=desk.path, lang="en")
    assert checked.exit_code == 1, checked.stdout
    assert "call_record #" in checked.stdout and "link " in checked.stdout, checked.stdout
    assert "changed" in checked.stdout


def test_a_lone_untouched_pack_passes_and_says_what_needs_its_predecessor(folder, cli):  # noqa: F811
    desk, archives = folder
    checked = cli("verify", str(archives[2]), db=desk.path, lang="en")
    assert checked.exit_code == 0, checked.stdout
    assert "need the archives before it" in checked.stdout


def test_a_report_number_deleted_and_the_chain_recomputed_is_a_hole(desk, officer):
    for place in ("人民路", "解放路", "和平路"):
        report_number(desk, _incident(desk, officer, place=place).id, officer)
    year = desk.now().year
    desk.close()
    assert verify_register(desk.path).ok
    record_id = scalar(desk.path, "SELECT id FROM report_number WHERE number = 2")
    seq = scalar(desk.path, "SELECT seq FROM audit_link WHERE kind = 'report_number' "
                 "AND record_id = ?", record_id)  # fmt: skip
    guards = [f"{table}_no_{action}" for table in ("report_number", "audit_link")
              for action in ("update", "delete")]  # fmt: skip
    saved = [scalar(desk.path, "SELECT sql FROM sqlite_master WHERE name = ?", n) for n in guards]
    tamper(desk.path, *(f"DROP TRIGGER {name}" for name in guards),
           f"DELETE FROM report_number WHERE id = {record_id}",
           f"DELETE FROM audit_link WHERE seq = {seq}",
           f"UPDATE audit_link SET seq = seq - 1 WHERE seq > {seq}")  # fmt: skip
    recompute_chain(desk.path)
    tamper(desk.path, *saved)
    report = verify_register(desk.path)
    assert report.findings == []  # every row matches its recomputed link ...
    gaps = [p for p in report.problems if p.code == "report_numbers_missing"]
    assert [(p.args["year"], p.args["missing"]) for p in gaps] == [(year, "2")]  # ... but not #2


def test_export_into_an_archive_folder_is_refused_and_writes_nothing(folder, cli):  # noqa: F811
    desk, archives = folder
    inside = archives[1]
    before = sorted(p.name for p in inside.rglob("*"))
    done = cli("export", "--to", str(inside), db=desk.path, lang="en")
    assert done.exit_code != 0, done.stdout
    assert "inside an archive" in done.output and inside.name in done.output
    assert sorted(p.name for p in inside.rglob("*")) == before
    assert cli("verify", str(inside.parent), db=desk.path).exit_code == 0


def test_verify_refuses_an_archives_folder_that_is_not_there(cli_desk, tmp_path):
    missing = tmp_path / "nonexistent" / "dir"
    refused = cli_desk("verify", "--archives", str(missing), lang="en")
    assert refused.exit_code != 0, refused.output
    assert str(missing) in refused.output and "does not exist" in refused.output


def test_verify_notes_an_archives_folder_without_archives(cli_desk, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    checked = cli_desk("verify", "--archives", str(empty), lang="en")
    assert checked.exit_code == 0, checked.output
    assert f"{empty} given with --archives holds no archives" in checked.output
