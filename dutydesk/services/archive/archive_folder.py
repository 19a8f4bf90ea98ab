"""Verifying a folder of archives end to end (issue 16 item 3), beyond each file's SHA-256:

- the manifests form one chain: numbered 1, 2, 3... with no number twice and no two archives
  naming the same previous manifest (a fork), none naming a manifest that is not there (a
  gap), and only number 1 starting at `previous_manifest: null`;
- replayed in order from the first full snapshot: each full snapshot's own chain verifies, ends
  at the head its manifest pins and continues the chain replayed so far; each pack's rows hash
  to its links and continue that chain; the register's own export records, as of each
  archive's head, name the previous manifest (so a folder restarted at null is caught), and
  each manifest's identity fields (office, profile, schema, shift...) are its rows' own
  (archive_identity: an edited `office` with recomputed hashes is caught);
- each archive's forms and CSVs rendered again from the replayed rows equal its files byte for
  byte (a DOCX part by part)."""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from dutydesk.db import connect_readonly_file
from dutydesk.services.archive.archive_identity import identity_problems
from dutydesk.services.archive.archive_manifest import FULL, Archive
from dutydesk.services.archive.archive_replay import Problem, apply_pack, check_pack
from dutydesk.services.archive.export_pack import PACK, Head, head_of


def check_manifest_chain(archives: list[Archive], notes: list[Problem]) -> list[Problem]:
    """The chain's faults; a folder that begins with a full snapshot goes into `notes`."""
    problems: list[Problem] = []
    lowest = min((a for a in archives if a.number is not None and not a.legacy),
                 key=lambda a: a.number or 0, default=None)  # fmt: skip
    first_full = lowest if lowest is not None and lowest.content == FULL else None
    by_sha = {a.sha256: a for a in archives}
    numbered = [a for a in archives if not a.legacy]
    seen_number: dict[int, Archive] = {}
    seen_previous: dict[str, Archive] = {}
    for archive in numbered:
        number = archive.number
        if number is None:
            problems.append(Problem(archive.name, "archive_check.no_number"))
            continue
        if number in seen_number:
            pair = f"{seen_number[number].name}, {archive.name}"
            problems.append(Problem(pair, "archive_check.fork_number", {"number": number}))
        seen_number.setdefault(number, archive)
        previous = archive.previous
        if previous is None:
            if number != 1 or archive.content != FULL:
                problems.append(Problem(archive.name, "archive_check.restart", {"number": number}))
            continue
        if previous in seen_previous:
            pair = f"{seen_previous[previous].name}, {archive.name}"
            problems.append(Problem(pair, "archive_check.fork", {"previous": previous[:16]}))
        seen_previous.setdefault(previous, archive)
        before = by_sha.get(previous)
        named = archive.manifest.get("previous_archive")
        if before is None and any(a.name == named for a in archives):
            link = f"{archive.name} → {named}"
            problems.append(Problem(link, "handover_verify.chain_broken"))
        elif before is None and archive.content == FULL and archive.manifest.get("previous_target"):
            # the previous archive was written to another folder (`export --to`), as this
            # full snapshot's manifest (and the register's export record) says
            notes.append(Problem(archive.name, "archive_check.previous_elsewhere",
                                 {"number": number - 1,
                                  "target": archive.manifest["previous_target"]}))  # fmt: skip
        elif before is None and archive is first_full:
            # a folder that begins with a full snapshot (`export --to` elsewhere, say): said,
            # and its previous manifest is still checked against the register's export records
            notes.append(Problem(archive.name, "archive_check.begins_here", {"number": number}))
        elif before is None:
            problems.append(Problem(archive.name, "archive_check.previous_missing",
                                    {"number": number - 1, "name": named or "—"}))  # fmt: skip
        elif before.number is not None and before.number != number - 1:
            problems.append(Problem(archive.name, "archive_check.number_gap",
                                    {"number": number, "previous": before.number}))  # fmt: skip
    return problems


def replay_order(archives: list[Archive]) -> list[Archive]:
    """The numbered archives by number, one per number, from the first full snapshot on."""
    unique: dict[int, Archive] = {}
    for archive in archives:
        if not archive.legacy and archive.number is not None:
            unique.setdefault(archive.number, archive)
    ordered = [unique[n] for n in sorted(unique)]
    first_full = next((i for i, a in enumerate(ordered) if a.content == FULL), len(ordered))
    return ordered[first_full:]


def pinned_head(value: dict[str, object] | None) -> Head | None:
    if not value or not isinstance(value.get("seq"), int) or not isinstance(value.get("hash"), str):
        return None
    return Head(value["seq"], value["hash"])  # type: ignore[arg-type]  # checked just above


def _link_hash(path: Path, seq: int) -> str | None:
    conn = connect_readonly_file(path, immutable=True)
    try:
        row = conn.execute("SELECT hash FROM audit_link WHERE seq = ?", (seq,)).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def _copy(source: Path, target: Path) -> None:
    for stale in (target, *(Path(f"{target}{side}") for side in ("-wal", "-shm", "-journal"))):
        stale.unlink(missing_ok=True)
    reading = connect_readonly_file(source, immutable=True)
    copy = sqlite3.connect(str(target))
    try:
        reading.backup(copy)
    finally:
        copy.close()
        reading.close()


def _check_full(archive: Archive, copy: Path, replayed: Head | None) -> list[Problem]:
    from dutydesk.services.archive.verify import verify_register

    snapshot = archive.file_of("snapshot")
    if snapshot is None or not snapshot.is_file():
        return [Problem(archive.name, "handover_verify.file_missing")]
    report = verify_register(snapshot, archive=True)
    problems = []
    if not report.ok:
        first = report.first_broken
        link = first.seq if first is not None and first.seq is not None else "—"
        table = first.table if first is not None else "—"
        problems.append(Problem(str(snapshot), "archive_check.snapshot_chain",
                                {"link": link, "table": table, "count": report.total}))  # fmt: skip
    pinned = pinned_head(archive.head)
    found = Head(report.head_seq, report.head) if report.head_seq and report.head else None
    if pinned != found:
        problems.append(Problem(str(snapshot), "archive_check.snapshot_head"))
    if replayed is not None and _link_hash(snapshot, replayed.seq) != replayed.hash:
        problems.append(Problem(archive.name, "archive_check.discontinuous",
                                {"seq": replayed.seq}))  # fmt: skip
    if not problems:
        _copy(snapshot, copy)
    return problems


def _check_recorded_previous(archive: Archive, copy: Path) -> list[Problem]:
    """As of this archive's head, the register's newest export record names the previous
    manifest: an archive at `previous_manifest: null` after others were written is caught."""
    conn = connect_readonly_file(copy)
    try:
        row = conn.execute(
            "SELECT manifest_sha256, id FROM export_record WHERE ok = 1 AND manifest_sha256 "
            "IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.Error:
        row = None
    finally:
        conn.close()
    recorded = row[0] if row else None
    if recorded != archive.previous:
        where = f"{archive.name} (export_record #{row[1]})" if row else archive.name
        return [Problem(where, "archive_check.previous_not_recorded",
                        {"recorded": (recorded or "null")[:16]})]  # fmt: skip
    return []


def replay(archives: list[Archive]) -> Iterator[tuple[Archive, Path | None, list[Problem]]]:
    """Each archive in order, with the register copy as of its head (None where it could not be
    rebuilt) and what is wrong with its data."""
    with tempfile.TemporaryDirectory(prefix="dutydesk-verify-") as folder:
        copy = Path(folder) / "replayed.sqlite3"
        replayed: Head | None = None
        for archive in replay_order(archives):
            if archive.content == FULL:
                problems = _check_full(archive, copy, replayed)
            else:
                problems = _check_pack(archive, copy, replayed)
            if problems:
                yield archive, None, problems
                return  # the rows after a broken archive cannot be trusted
            replayed = pinned_head(archive.head)
            checked = _check_recorded_previous(archive, copy) + identity_problems(archive, copy)
            yield archive, copy, checked


def _check_pack(archive: Archive, copy: Path, replayed: Head | None) -> list[Problem]:
    data = archive.path / PACK
    if archive.file_of("pack") is None or not data.is_file():
        return [Problem(archive.name, "handover_verify.file_missing")]
    problems = check_pack(data, replayed, pinned_head(archive.head), archive.name)
    if not problems:
        with contextlib.suppress(sqlite3.Error):
            apply_pack(copy, data)
            return []
        return [Problem(archive.name, "archive_check.pack_unreadable", {"detail": "apply"})]
    return problems


def copy_head(copy: Path) -> Head | None:
    conn = connect_readonly_file(copy)
    try:
        return head_of(conn)
    finally:
        conn.close()
