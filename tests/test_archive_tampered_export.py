"""Issue 16, "exporting an already-tampered register yields an archive that verify calls ok":
an archive written from a register whose rows were changed behind its back (links not
recomputed) fails `verify DIR`, whether it is a full snapshot or a pack."""

from __future__ import annotations

from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import SNAPSHOT, write_archive
from dutydesk.services.archive.export_pack import PACK
from tests.support_packs import add_call
from tests.support_reliability import scalar, tamper
from tests.test_archive_packs import folder  # noqa: F401  (fixture)
from tests.test_handover_domain import ready  # noqa: F401  (fixture)


def _edit_call(path, call_id):  # noqa: ANN001, ANN202
    guard = scalar(path, "SELECT sql FROM sqlite_master WHERE name = 'call_record_no_update'")
    tamper(path, "DROP TRIGGER call_record_no_update",
           f"UPDATE call_record SET summary = '一切正常' WHERE id = {call_id}", str(guard))  # fmt: skip


def test_a_full_snapshot_of_a_tampered_register_fails_verify(folder):  # noqa: F811
    desk, archives = folder
    _edit_call(desk.path, 1)
    full = write_archive(desk, full=True)
    problems = [p.message() for p in verify_archives(archives[0].parent).problems]
    assert any(SNAPSHOT in p and full.name in p and "call_record" in p for p in problems), problems


def test_a_pack_of_a_tampered_register_fails_verify(folder):  # noqa: F811
    desk, archives = folder
    add_call(desk, "新的来电")
    newest = scalar(desk.path, "SELECT MAX(id) FROM call_record")
    _edit_call(desk.path, newest)
    pack = write_archive(desk)
    assert (pack / PACK).is_file()
    problems = [p.message() for p in verify_archives(archives[0].parent).problems]
    assert any(pack.name in p and "call_record" in p for p in problems), problems
