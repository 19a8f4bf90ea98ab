"""Issue 20: a desk's quarterly full snapshot that continues the head the city holds has only its
links past that head hashed (its earlier links and rows are compared with the replica, proven
when they came: services/archive/snapshot_onto.py), and is refused as before when a row it holds
from before that head was rewritten, its hashes recomputed or not."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from dutydesk.services.archive import verify
from dutydesk.services.archive.archive_folder import pinned_head
from dutydesk.services.archive.archive_manifest import read_archive
from dutydesk.services.archive.export import write_archive
from dutydesk.services.archive.export_pack import Head
from dutydesk.services.archive.snapshot_onto import snapshot_continues
from dutydesk.services.central import desk_status, ingest_paths
from dutydesk.services.core.audit import canonical, link_hash
from tests.support_central import add_calls, new_desk
from tests.support_packs import rewrite_manifest
from tests.test_central import server, url  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> list[Path]:
    """A full snapshot, a pack, then a full snapshot on demand, calls before each."""
    root = tmp_path_factory.mktemp("snapshots")
    desk, person = new_desk(root / "desk.sqlite3", "天津测试值班室", "tianjin")
    made = []
    for index, full in enumerate((False, False, True)):
        add_calls(desk, person, [("城关镇", f"道路积水 {index} {n}") for n in range(3)])
        made.append(write_archive(desk, root / "exports", full=full))
    desk.close()
    return made


def _verified(monkeypatch) -> list[str]:  # noqa: ANN001
    """The registers whose whole chain is verified from here on, by name."""
    seen: list[str] = []
    whole = verify.verify_register

    def spy(path: Path, **kwargs):  # noqa: ANN202
        seen.append(Path(path).parent.name)
        return whole(path, **kwargs)

    monkeypatch.setattr(verify, "verify_register", spy)
    return seen


def _snapshot(folder: Path) -> Path:
    archive = read_archive(folder)
    assert archive is not None
    path = archive.file_of("snapshot")
    assert path is not None
    return path


def _rewrite(folder: Path, sql: str, *params: object, rehash_from: int | None = None) -> None:
    """A row of the snapshot changed as a forger would (its trigger dropped), the chain's
    hashes recomputed from link `rehash_from` when given (and the head the manifest pins),
    the manifest's digests always."""
    with closing(sqlite3.connect(_snapshot(folder))) as conn:
        conn.execute("DROP TRIGGER IF EXISTS call_record_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_link_no_update")
        conn.execute(sql, params)
        head = None
        if rehash_from is not None:
            links = conn.execute(
                "SELECT seq, kind, record_id, prev_hash FROM audit_link WHERE seq >= ? "
                "ORDER BY seq", (rehash_from,)).fetchall()  # fmt: skip
            previous = links[0][3]
            for seq, kind, record_id, _ in links:
                cursor = conn.execute(f'SELECT * FROM "{kind}" WHERE id = ?', (record_id,))
                row = dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))
                digest = link_hash(seq, kind, record_id, canonical(row, kind), previous)
                conn.execute("UPDATE audit_link SET prev_hash = ?, hash = ? WHERE seq = ?",
                             (previous, digest, seq))  # fmt: skip
                previous = digest
            head = {"seq": links[-1][0], "hash": previous}
        conn.commit()

    def change(manifest: dict) -> None:
        if head is not None:  # the manifest pins the rewritten head
            manifest["chain_head"] = head

    rewrite_manifest(folder, change)


def _first_call_link(folder: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(_snapshot(folder))) as conn:
        seq, record_id = conn.execute(
            "SELECT seq, record_id FROM audit_link WHERE kind = 'call_record' ORDER BY seq"
        ).fetchone()
    return int(seq), int(record_id)


def test_a_continuing_snapshot_has_only_its_new_links_hashed(url, archives, tmp_path, monkeypatch):  # noqa: F811
    verified = _verified(monkeypatch)
    outcomes = ingest_paths(url, archives, tmp_path / "work")
    assert [o.status for o in outcomes] == ["ingested"] * 3
    assert outcomes[2].rows > 0  # the links past the second archive's head
    # the first snapshot starts the desk (its whole chain); the third continues the head
    assert verified == [archives[0].name]


def _copied(archives: list[Path], tmp_path: Path) -> list[Path]:
    folder = tmp_path / "exports"
    return [Path(shutil.copytree(a, folder / a.name)) for a in archives]


@pytest.mark.parametrize("rehash", [False, True], ids=["row_changed", "chain_rehashed"])
def test_a_snapshot_rewriting_a_row_before_the_held_head_is_not_taken(
    url,  # noqa: F811
    archives,
    tmp_path,
    monkeypatch,
    rehash,
):
    """A row changed under its link, or the chain rehashed from it (and the head the manifest
    pins): refused whole, the full check deciding, as before."""
    first, second, third = _copied(archives, tmp_path)
    assert [o.status for o in ingest_paths(url, [first, second], tmp_path / "work")] == [
        "ingested"] * 2  # fmt: skip
    seq, record_id = _first_call_link(third)
    _rewrite(third, "UPDATE call_record SET summary = '无事' WHERE id = ?", record_id,
             rehash_from=seq if rehash else None)  # fmt: skip
    verified = _verified(monkeypatch)
    (outcome,) = ingest_paths(url, [third], tmp_path / "work")
    assert outcome.status == "refused", outcome.reasons
    assert [d.newest_number for d in desk_status(url)] == [2]
    assert verified == [third.name]  # not shown sound here: the whole chain decided


def test_the_comparison_shows_only_what_the_whole_check_accepts(archives, tmp_path):
    """The check itself, against the register as of the second archive's head: the genuine
    snapshot is shown sound; a row changed before or after that head, a row added that no link
    names, or a wrong end are not."""
    first, second, third = _copied(archives, tmp_path)
    proven = tmp_path / "proven.sqlite3"
    shutil.copyfile(_snapshot(first), proven)
    from dutydesk.services.archive.archive_replay import apply_pack

    second_archive = read_archive(second)
    assert second_archive is not None
    apply_pack(proven, second / "pack.sqlite3", index_calls=False)
    held = pinned_head(second_archive.head)
    third_archive = read_archive(third)
    assert third_archive is not None
    pinned = pinned_head(third_archive.head)
    assert held is not None and pinned is not None
    assert snapshot_continues(_snapshot(third), proven, held, pinned)
    assert not snapshot_continues(_snapshot(third), proven, held, Head(pinned.seq, "0" * 64))
    assert not snapshot_continues(_snapshot(third), proven, Head(held.seq, "0" * 64), pinned)

    def changed(sql: str, *params: object) -> bool:
        copy = tmp_path / "changed.sqlite3"
        shutil.copyfile(_snapshot(third), copy)
        with closing(sqlite3.connect(copy)) as conn:
            conn.execute("DROP TRIGGER IF EXISTS call_record_no_update")
            conn.execute(sql, params)
            conn.commit()
        return snapshot_continues(copy, proven, held, pinned)

    with closing(sqlite3.connect(proven)) as conn:
        early, late_floor = conn.execute("SELECT min(id), max(id) FROM call_record").fetchone()
    assert not changed("UPDATE call_record SET summary = '无事' WHERE id = ?", early)
    assert not changed("UPDATE call_record SET summary = '无事' WHERE id = ?", late_floor + 1)
    # the same text as a BLOB: equal bytes, another storage class (and another canonical form)
    assert not changed("UPDATE call_record SET summary = CAST(summary AS BLOB) WHERE id = ?", early)
    columns = _call_columns(_snapshot(third))
    for new_id in (0, late_floor + 1000):  # a row no link names, below and past the held rows
        values = ", ".join("?" if c in ("id", "number", "seq") else c for c in columns)
        assert not changed(
            f"INSERT INTO call_record ({', '.join(columns)}) SELECT {values} "
            "FROM call_record WHERE id = ?",
            *_unique(columns, new_id),
            early,
        )


def _call_columns(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[1] for row in conn.execute("PRAGMA table_info(call_record)")]


def _unique(columns: list[str], new_id: int) -> list[object]:
    given = {"id": new_id, "number": f"2026-9{new_id:05d}", "seq": 900_000 + new_id}
    return [given[c] for c in columns if c in given]
