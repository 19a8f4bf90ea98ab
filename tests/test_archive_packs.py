"""Incremental handover packs (issue 16 items 1, 3, 6): a full snapshot first, then packs of what
changed; restore from a full snapshot plus packs; a folder of archives verified end to end."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_manifest import MANIFEST, archives_in
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import (
    SNAPSHOT,
    export_handover,
    retry_exports,
    write_archive,
)
from dutydesk.services.archive.export_pack import PACK
from dutydesk.services.archive.restore import restore_archive
from dutydesk.services.calls.calls import list_calls
from dutydesk.services.core.desk import open_desk
from dutydesk.services.core.search_catch_up import catch_up
from tests.support_packs import add_call, as_of, bigram_rows, rewrite_manifest, table_rows
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401  (fixture)


def _manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _problems(root: Path) -> list[str]:
    return [problem.message() for problem in verify_archives(root).problems]


@pytest.fixture
def folder(ready):  # noqa: F811
    """A signed handover (full snapshot), then two packs with calls in between."""
    tick_all(ready)
    signed = _sign(ready, leader=True)
    first = export_handover(ready, signed.handover.id).path
    add_call(ready, "桥下积水")
    second = write_archive(ready)
    add_call(ready, "路灯损坏")
    add_call(ready, "积水已退")
    third = write_archive(ready)
    return ready, [first, second, third]


def test_first_export_is_full_then_packs_that_chain(folder):
    desk, archives = folder
    manifests = [_manifest(a) for a in archives]
    assert [m["content"] for m in manifests] == ["full_snapshot", "pack", "pack"]
    assert [m["archive_number"] for m in manifests] == [1, 2, 3]
    assert (archives[0] / SNAPSHOT).is_file() and not (archives[1] / SNAPSHOT).exists()
    first, second, third = manifests
    assert second["base_head"] == first["chain_head"]
    assert second["chain_range"]["from_seq"] == first["chain_head"]["seq"] + 1
    assert third["previous_manifest"] == archives_in(archives[0].parent)[1].sha256
    # self-describing: readable without the register
    for manifest in manifests:
        assert manifest["office_id"].startswith("chain:") and manifest["schema"]
        assert manifest["program"]["version"] and manifest["profile"]["id"] == "tianjin"
    assert len({m["office_id"] for m in manifests}) == 1
    pack = sqlite3.connect(archives[2] / PACK)
    calls = pack.execute("SELECT summary FROM call_record ORDER BY id").fetchall()
    links = pack.execute("SELECT MIN(seq), MAX(seq) FROM audit_link").fetchone()
    assert calls == [("路灯损坏",), ("积水已退",)], "only what was written since"
    assert links == (third["chain_range"]["from_seq"], third["chain_head"]["seq"])
    assert pack.execute("SELECT COUNT(*) FROM person_pin WHERE pin_hash != ''").fetchone() == (0,)
    pack.close()
    report = verify_archives(archives[0].parent)
    assert report.ok, [p.message() for p in report.problems]
    assert report.newest is not None and report.newest.number == 3


def test_restore_from_a_full_snapshot_plus_packs_equals_the_original(folder, tmp_path):
    desk, archives = folder
    done = restore_archive(archives[0].parent, tmp_path / "restored.sqlite3")
    assert done.report.ok and done.source == archives[2]
    head = _manifest(archives[2])["chain_head"]["seq"]
    after_restore = table_rows(done.target)
    assert [link[1] for link in after_restore["audit_link"][head:]] == ["restore_record"]
    original, restored = as_of(table_rows(desk.path), head), as_of(after_restore, head)
    assert restored == original
    assert len(original["call_record"]) == 4 and original["audit_link"][-1][0] == head
    catch_up(desk)  # the original's calls into its indexes, as its upkeep would
    assert bigram_rows(done.target) == bigram_rows(desk.path) != []
    from dutydesk.services.archive.verify import verify_register

    assert verify_register(done.target).ok, "the restored register verifies (restore record)"


def test_restore_up_to_a_pack_stops_there(folder, tmp_path):
    _desk, archives = folder
    done = restore_archive(archives[1], tmp_path / "restored.sqlite3")
    conn = sqlite3.connect(done.target)
    summaries = [row[0] for row in conn.execute("SELECT summary FROM call_record")]
    conn.close()
    assert "桥下积水" in summaries and "路灯损坏" not in summaries


def test_full_on_demand_and_when_the_interval_has_passed(folder, clock):
    desk, archives = folder
    assert _manifest(write_archive(desk, full=True))["content"] == "full_snapshot"
    assert _manifest(write_archive(desk))["content"] == "pack"
    clock.advance(days=desk.profile.handover.full_snapshot_days)
    latest = write_archive(desk)
    assert _manifest(latest)["content"] == "full_snapshot"
    assert _manifest(latest)["full_base"]["archive_number"] == 6
    assert verify_archives(archives[0].parent).ok


def test_retry_writes_one_pack_for_every_handover_without_an_archive(ready, tmp_path, clock):  # noqa: F811
    tick_all(ready)
    first = _sign(ready, leader=True)
    blocked = tmp_path / "missing"  # the sign-off's export fails: no such folder
    assert not export_handover(ready, first.handover.id, blocked).ok
    write_archive(ready)  # an export on demand meanwhile: the handover still has none
    root = ready.path.parent / "exports"
    before = {p.name for p in root.iterdir()}
    results = retry_exports(ready, root)
    assert [r.ok for r in results] == [True] and results[0].handover_id == first.handover.id
    made = {p.name for p in root.iterdir()} - before
    assert len(made) == 1
    manifest = _manifest(root / made.pop())
    assert manifest["content"] == "pack" and manifest["handover"]["id"] == first.handover.id
    assert retry_exports(ready, root) == []
    assert verify_archives(root).ok


def test_an_edited_csv_with_its_hash_recomputed_is_caught(folder):
    _desk, archives = folder
    csv_file = archives[2] / "电话记录.csv"
    csv_file.write_bytes(csv_file.read_bytes().replace("路灯损坏".encode(), "一切正常".encode()))
    rewrite_manifest(archives[2], lambda manifest: None)
    problems = _problems(archives[0].parent)
    assert any("电话记录.csv" in p and "重新生成" in p for p in problems), problems


def test_an_update_in_a_snapshot_with_manifest_hashes_recomputed_is_caught(folder):
    _desk, archives = folder
    snapshot = archives[0] / SNAPSHOT
    conn = sqlite3.connect(snapshot)
    conn.execute("DROP TRIGGER call_record_no_update")
    conn.execute("UPDATE call_record SET summary = '无' WHERE id = 1")
    conn.commit()
    conn.close()
    rewrite_manifest(archives[0], lambda manifest: None)
    problems = _problems(archives[0].parent)
    assert any(SNAPSHOT in p and "call_record" in p for p in problems), problems


def test_a_pack_row_changed_with_hashes_recomputed_is_caught(folder):
    _desk, archives = folder
    conn = sqlite3.connect(archives[1] / PACK)
    conn.execute("UPDATE call_record SET summary = '无' WHERE summary = '桥下积水'")
    conn.commit()
    conn.close()
    rewrite_manifest(archives[1], lambda manifest: None)
    problems = _problems(archives[0].parent)
    assert any(archives[1].name in p and "call_record" in p for p in problems), problems


def test_a_deleted_newest_archive_shows_in_the_newest_number(folder):
    _desk, archives = folder
    shutil.rmtree(archives[2])
    report = verify_archives(archives[0].parent)
    assert report.newest is not None and report.newest.number == 2, "the register says 3"


def test_a_deleted_middle_archive_is_a_gap(folder):
    _desk, archives = folder
    shutil.rmtree(archives[1])
    problems = _problems(archives[0].parent)
    assert any(archives[2].name in p and archives[1].name in p for p in problems), problems


def test_a_fork_of_two_archives_with_the_same_predecessor_is_caught(folder):
    _desk, archives = folder
    twin = archives[2].parent / (archives[2].name + "-twin")
    shutil.copytree(archives[2], twin)
    rewrite_manifest(twin, lambda manifest: manifest.update(created_at="2026-11-23T18:00:00+08:00"))
    problems = _problems(archives[0].parent)
    assert any("分叉" in p and twin.name in p and archives[2].name in p for p in problems), problems


def test_a_replaced_folder_restarting_at_null_is_caught(folder):
    desk, archives = folder
    root = archives[0].parent
    shutil.rmtree(root)
    root.mkdir()
    restarted = write_archive(desk, full=True)
    rewrite_manifest(restarted, lambda m: m.update(previous_manifest=None, archive_number=1,
                                                    previous_archive=None))  # fmt: skip
    problems = _problems(root)
    assert any(restarted.name in p and "export_record" in p for p in problems), problems


def test_an_export_killed_after_its_record_is_finished_by_the_next(folder, monkeypatch):
    from dutydesk.services.archive import export_temp

    desk, archives = folder
    add_call(desk, "停电")

    def killed(*args):  # noqa: ANN002, ANN202
        raise KeyboardInterrupt  # after the register recorded it, before the rename

    with monkeypatch.context() as patched:
        patched.setattr(export_temp, "unmark", killed)
        with pytest.raises(KeyboardInterrupt):
            write_archive(desk)
    root = archives[0].parent
    assert len(archives_in(root)) == 3, "not yet in place: verify does not count it"
    assert verify_archives(root).ok
    newest = write_archive(desk)
    numbers = sorted(a.number for a in archives_in(root))
    assert numbers == [1, 2, 3, 4, 5] and _manifest(newest)["archive_number"] == 5
    assert verify_archives(root).ok


def test_an_export_killed_before_its_record_leaves_nothing_counted(folder, monkeypatch):
    from dutydesk.services.archive import export

    desk, archives = folder

    def killed(*args):  # noqa: ANN002, ANN202
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(export, "_write_files", killed)
        with pytest.raises(KeyboardInterrupt):
            write_archive(desk)
    root = archives[0].parent
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []
    assert _manifest(write_archive(desk))["archive_number"] == 4
    assert verify_archives(root).ok


def test_restore_refuses_a_pack_whose_row_was_changed(folder, tmp_path):
    _desk, archives = folder
    conn = sqlite3.connect(archives[2] / PACK)
    conn.execute("UPDATE call_record SET summary = '无' WHERE summary = '路灯损坏'")
    conn.commit()
    conn.close()
    rewrite_manifest(archives[2], lambda manifest: None)
    target = tmp_path / "restored.sqlite3"
    with pytest.raises(DutyError) as refused:
        restore_archive(archives[0].parent, target)
    assert archives[2].name in refused.value.message() and "call_record" in refused.value.message()
    assert not target.exists() and list(tmp_path.glob(".restored*")) == []


def test_the_cli_exports_full_on_demand_and_verify_prints_the_newest(folder, cli):
    desk, archives = folder
    root = archives[0].parent
    done = cli("export", "--full", db=desk.path)
    assert done.exit_code == 0, done.stdout
    assert _manifest(sorted(archives_in(root), key=lambda a: a.number)[-1].path)["content"] == (
        "full_snapshot"
    )
    checked = cli("verify", str(root), db=desk.path, lang="en")
    assert checked.exit_code == 0, checked.stdout
    assert "Newest archive: number 4" in checked.stdout
    (root / archives[1].name / "电话记录.csv").write_bytes(b"\xef\xbb\xbfforged\r\n")
    rewrite_manifest(root / archives[1].name, lambda manifest: None)
    failed = cli("verify", str(root), db=desk.path, lang="en")
    assert failed.exit_code == 1 and archives[1].name in failed.stdout


def test_a_snapshot_from_before_the_search_mark_restores_with_packs_from_after(
    ready,  # noqa: F811
    tmp_path,
):
    """The program upgraded between two archives: a snapshot of migration 0029 (triggers index
    each call), packs of 0030 (the search's mark). The restored register has the mark, no index
    triggers, and finds the packs' calls."""
    from tests.test_call_place import _migrate

    tick_all(ready)
    signed = _sign(ready, leader=True)
    _migrate(ready.path, "0029", down=True)
    first = export_handover(ready, signed.handover.id).path
    _migrate(ready.path, "heads")
    add_call(ready, "桥下积水")
    write_archive(ready)
    add_call(ready, "积水已退")
    write_archive(ready)
    with sqlite3.connect(first / SNAPSHOT) as snapshot:
        assert snapshot.execute("SELECT version_num FROM alembic_version").fetchone() == ("0029",)
    done = restore_archive(first.parent, tmp_path / "restored.sqlite3")
    assert done.report.ok
    with sqlite3.connect(done.target) as conn:  # the snapshot's copy upgraded before the packs
        assert conn.execute(
            "SELECT name FROM sqlite_master WHERE name = 'search_indexed' OR name LIKE 'call_%insert'"
        ).fetchall() == [("search_indexed",)]
    restored = open_desk(done.target, ready.clock)
    try:
        found = [view.summary for view in list_calls(restored, search="积水", limit=50)]
    finally:
        restored.close()
    assert found[:2] == ["积水已退", "桥下积水"]
