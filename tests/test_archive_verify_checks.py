"""QA findings on archives: a lone pack's rows checked against its links, report numbers without
holes, no archive nested in an archive, and `--archives` naming a folder that is not there."""

from __future__ import annotations

import sqlite3

from dutydesk.services.archive.export_pack import PACK
from tests.support_packs import rewrite_manifest
from tests.test_archive_packs import folder  # noqa: F401  (fixture)
from tests.test_handover_domain import ready  # noqa: F401  (fixture)


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
