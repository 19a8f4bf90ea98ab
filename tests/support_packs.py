"""Helpers for the archive pack tests: a register with handovers, and comparing two registers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from dutydesk.services.archive.archive_manifest import MANIFEST, manifest_bytes
from dutydesk.services.archive.export import sha256_file
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.core.search_catch_up import MARKS
from dutydesk.services.roster.people import find_person

# Differ between a register and its restored copy by design: PIN hashes are never archived,
# the copy records its restore, and a restore writes the calls of the packs into the search
# indexes (the original's may not hold its last calls yet: the mark of search_catch_up).
EXCLUDED = {"person_pin": ("pin_hash", "salt"), "restore_record": None, "pin_redaction": None,
            MARKS: None}  # fmt: skip


def add_call(desk, summary: str = "道路积水") -> None:  # noqa: ANN001
    with_name = find_person(desk, "张伟")
    save_call(
        desk, CallDraft(caller="李红", unit="城关镇", phone="110", summary=summary), with_name
    )


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every ordinary table's rows (FTS shadow tables left out), PIN secrets blanked."""
    conn = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'call_fts%' AND name NOT LIKE 'call_bigram%' "
                "AND name NOT LIKE 'call_phone%' AND name NOT LIKE 'call_digits%'"
            )
        ]
        rows: dict[str, list[tuple]] = {}
        for name in sorted(names):
            if name in EXCLUDED and EXCLUDED[name] is None:
                continue
            cursor = conn.execute(f'SELECT * FROM "{name}" ORDER BY 1')
            columns = [c[0] for c in cursor.description]
            blank = EXCLUDED.get(name) or ()
            rows[name] = [
                tuple(
                    "" if col in blank else value for col, value in zip(columns, row, strict=True)
                )
                for row in cursor
            ]
        return rows
    finally:
        conn.close()


def bigram_rows(path: Path) -> list[tuple]:
    """The calls the bigram index finds for 积水 and the phone-digits index for 110."""
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute(
                "SELECT rowid FROM call_bigram WHERE call_bigram MATCH '积水' ORDER BY rowid"
            ).fetchall()
            + conn.execute(
                "SELECT rowid FROM call_phone WHERE call_phone MATCH '110' ORDER BY rowid"
            ).fetchall()
        )
    finally:
        conn.close()


def rewrite_manifest(folder: Path, change) -> None:  # noqa: ANN001
    """Change an archive's manifest as a forger would: recompute the hashes it lists."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        entry["sha256"] = sha256_file(folder / entry["name"])
        entry["bytes"] = (folder / entry["name"]).stat().st_size
    change(manifest)
    (folder / MANIFEST).write_bytes(manifest_bytes(manifest))


def as_of(rows: dict[str, list[tuple]], head: int) -> dict[str, list[tuple]]:
    """The register's rows as they stood at chain head `head` (rows are only ever added: those
    linked after it left out). The newest archive's own export record is written after its head:
    the next archive carries it."""
    links = [link for link in rows["audit_link"] if link[0] <= head]
    later = {(link[1], link[2]) for link in rows["audit_link"] if link[0] > head}
    kept = {name: [row for row in table if (name, row[0]) not in later]
            for name, table in rows.items()}  # fmt: skip
    kept["audit_link"] = links
    return kept
