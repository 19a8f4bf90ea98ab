"""Writing an archive that checked out into the central database, inside the caller's
transaction: the archive and its files, the links past the desk's known head, the rows they
name (as JSON, exactly as the desk stored them), and what search and the report read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.db import connect_readonly_file
from dutydesk.services.archive.archive_manifest import MANIFEST, Archive
from dutydesk.services.core import grams_for

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

# The texts searched, per chained table, and the time each is shown at.
SEARCHED = {
    "call_record": (("caller", "unit", "phone", "summary", "handling", "place"), "received_at"),
    "incident": (("place", "summary", "scope", "measures", "source_unit"), "occurred_at"),
}


def _plain(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes) else value


def _rows(data: Path, after: int) -> Iterator[tuple[int, str, int, str, str, str, dict[str, Any]]]:
    """Each link past `after` with the row it names, in chain order per table."""
    conn = connect_readonly_file(data, immutable=True)
    try:
        kinds = [row[0] for row in conn.execute(
            "SELECT DISTINCT kind FROM audit_link WHERE seq > ?", (after,))]  # fmt: skip
        for kind in kinds:
            cursor = conn.execute(
                f"SELECT l.seq, l.prev_hash, l.hash, l.written_at, t.* FROM audit_link l "
                f'JOIN "{kind}" t ON t.id = l.record_id WHERE l.kind = ? AND l.seq > ? '
                "ORDER BY l.seq",
                (kind, after),
            )
            names = [c[0] for c in cursor.description][4:]
            for seq, prev_hash, digest, written_at, *values in cursor:
                row = {name: _plain(v) for name, v in zip(names, values, strict=True)}
                yield seq, kind, row["id"], prev_hash, digest, written_at, row
    finally:
        conn.close()


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


COPIES = {  # table: column types, COPY'd one after another (one COPY at a time per connection)
    "link": ["text", "int8", "text", "int8", "text", "text", "text"],
    "record": ["text", "text", "int8", "int8", "jsonb"],
    "call": ["text", "int8", "timestamptz", "text", "int8"],
    "doc": ["text", "text", "int8", "timestamptz", "text", "text[]"],
}


def store_rows(conn: Conn, office_id: str, data: Path, after: int) -> int:
    """COPY the links past `after`, their rows, the calls and the searchable texts; returns
    the number of rows written."""
    from psycopg.types.json import Jsonb

    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COPIES}
    for seq, kind, record_id, prev_hash, digest, written_at, row in _rows(data, after):
        rows["link"].append((office_id, seq, kind, record_id, prev_hash, digest, written_at))
        rows["record"].append((office_id, kind, record_id, seq, Jsonb(row)))
        if kind == "call_record":
            rows["call"].append((office_id, record_id, _when(row.get("received_at")),
                                 str(row.get("unit") or ""), row.get("amends_id")))  # fmt: skip
        if kind in SEARCHED:
            columns, at = SEARCHED[kind]
            texts = [str(row.get(c) or "") for c in columns]
            rows["doc"].append((office_id, kind, record_id, _when(row.get(at)),
                                " ".join(t for t in texts if t), grams_for(*texts).split()))  # fmt: skip
    with conn.cursor() as cur:
        for table, types in COPIES.items():
            with cur.copy(f"COPY {table} FROM STDIN") as copy:
                copy.set_types(types)
                for values in rows[table]:
                    copy.write_row(values)
    return len(rows["record"])


def store_archive(conn: Conn, archive: Archive) -> None:
    """The archive's row and its files (the manifest too): the city keeps the packs themselves,
    from which a desk's replica is rebuilt (services/central/replica.py)."""
    from psycopg.types.json import Jsonb

    manifest = archive.manifest
    head = archive.head or {}
    base = archive.base or {}
    profile = manifest.get("profile") or {}
    conn.execute("INSERT INTO desk (office_id) VALUES (%s) ON CONFLICT DO NOTHING",
                 (manifest["office_id"],))  # fmt: skip
    conn.execute(
        "INSERT INTO archive (office_id, number, content, name, manifest_sha, previous_sha, "
        "created_at, base_seq, base_hash, head_seq, head_hash, office, profile_id, "
        "profile_name, manifest) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
        "%s, %s)",
        (manifest["office_id"], archive.number, archive.content, archive.name, archive.sha256,
         archive.previous, manifest.get("created_at"), base.get("seq"), base.get("hash"),
         head.get("seq"), head.get("hash"), str(manifest.get("office", "")),
         profile.get("id"), profile.get("name"), Jsonb(manifest)),
    )  # fmt: skip
    store_files(conn, archive)


def store_files(conn: Conn, archive: Archive) -> None:
    """The archive's files, once (a quarantined archive's are kept when it is released)."""
    held = conn.execute("SELECT 1 FROM archive_file WHERE manifest_sha = %s LIMIT 1",
                        (archive.sha256,)).fetchone()  # fmt: skip
    if held is not None:
        return
    entries = [(MANIFEST, "manifest")] + [
        (str(e.get("name")), str(e.get("role"))) for e in archive.manifest.get("files", [])
    ]
    with conn.cursor() as cur, cur.copy("COPY archive_file FROM STDIN") as files:
        files.set_types(["text", "text", "text", "bytea"])
        for name, role in entries:
            files.write_row((archive.sha256, name, role, (archive.path / name).read_bytes()))


def store_quarantine(conn: Conn, archive: Archive, reason: str) -> None:
    from psycopg.types.json import Jsonb

    manifest = archive.manifest
    conn.execute(
        "INSERT INTO quarantine (office_id, number, name, manifest_sha, previous_sha, "
        "created_at, base_seq, head_seq, office, reason, manifest) VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (manifest["office_id"], archive.number, archive.name, archive.sha256, archive.previous,
         manifest.get("created_at"), (archive.base or {}).get("seq"),
         (archive.head or {}).get("seq"), str(manifest.get("office", "")), reason,
         Jsonb(manifest)),
    )  # fmt: skip
    store_files(conn, archive)
