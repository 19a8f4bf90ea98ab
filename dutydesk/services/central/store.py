"""Writing an archive that checked out into the central database, inside the caller's
transaction, through the database's own checking functions (the ingest role may not INSERT):
the archive and its files, the links past the desk's known head, the rows they name (as the
canonical JSON their links' hashes cover), and what search and the report read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.db import connect_readonly_file
from dutydesk.services.archive.archive_manifest import FULL, MANIFEST, Archive
from dutydesk.services.core import grams_for
from dutydesk.services.core.audit import canonical

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

# The texts searched, per chained table, and the time each is shown at.
SEARCHED = {
    "call_record": (("caller", "unit", "phone", "summary", "handling", "place"), "received_at"),
    "incident": (("place", "summary", "scope", "measures", "source_unit"), "occurred_at"),
}


def _rows(data: Path, after: int) -> Iterator[tuple[int, str, int, str, str, str, dict[str, Any]]]:
    """Each link past `after` with the row it names (its raw values), in chain order."""
    conn = connect_readonly_file(data, immutable=True)
    try:
        kinds = [row[0] for row in conn.execute(
            "SELECT DISTINCT kind FROM audit_link WHERE seq > ?", (after,))]  # fmt: skip
        found: list[tuple[int, str, int, str, str, str, dict[str, Any]]] = []
        for kind in kinds:
            cursor = conn.execute(
                f"SELECT l.seq, l.prev_hash, l.hash, l.written_at, t.* FROM audit_link l "
                f'JOIN "{kind}" t ON t.id = l.record_id WHERE l.kind = ? AND l.seq > ? ',
                (kind, after),
            )
            names = [c[0] for c in cursor.description][4:]
            for seq, prev_hash, digest, written_at, *values in cursor:
                row = dict(zip(names, values, strict=True))
                found.append((seq, kind, row["id"], prev_hash, digest, written_at, row))
    finally:
        conn.close()
    return iter(sorted(found, key=lambda item: item[0]))


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def _files(archive: Archive) -> tuple[list[str], list[str], list[bytes]]:
    """The archive's files (the manifest too) as the functions take them."""
    entries = [(MANIFEST, "manifest")] + [
        (str(e.get("name")), str(e.get("role"))) for e in archive.manifest.get("files", [])
    ]
    return ([name for name, _ in entries], [role for _, role in entries],
            [(archive.path / name).read_bytes() for name, _ in entries])  # fmt: skip


# The functions' argument types, named so the arguments can go in binary (central_migrations
# c0002/c0003): a text array in text form is escaped element by element and a file's bytes
# sent as hex, which was most of the client's time and twice the bytes on the wire.
LINK_TYPES = ("bigint[]", "text[]", "bigint[]", "text[]", "text[]", "text[]")
INGEST_TYPES = ("text", "text[]", "text[]", "bytea[]", *LINK_TYPES, "text[]",
                "text[]", "bigint[]", "timestamptz[]", "text[]", "text[]")  # fmt: skip
HOLD_TYPES = ("text", "text[]", "text[]", "bytea[]", *LINK_TYPES, "jsonb")


def _call(function: str, types: tuple[str, ...]) -> str:
    """The files' bytes as `%b`: binary for certain. With `%s` psycopg chose its text array
    dumper for a list of bytes, which wrote each file as hex and escaped it with a regular
    expression (a quarterly snapshot of 49 MB: ~100 MB of text, most of its ingest)."""
    return f"SELECT {function}(" + ", ".join(
        f"%{'b' if kind == 'bytea[]' else 's'}::{kind}" for kind in types) + ")"  # fmt: skip


INGEST = _call("central_ingest", INGEST_TYPES)
HOLD = _call("central_hold", HOLD_TYPES)


def array_literal(values: list[Any]) -> str:
    """A column of many values as one PostgreSQL array literal (each value quoted, `"` and `\\`
    escaped, None as NULL): parsed by the server in one pass, where psycopg's array dumper
    costs several microseconds an element in Python (the larger part of the client's time per
    row after the checks). Dates go as ISO text, read in the session's time zone as before."""
    quoted = []
    for value in values:
        if value is None:
            quoted.append("NULL")
            continue
        text = value.isoformat() if isinstance(value, datetime) else str(value)
        quoted.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(quoted) + "}"


def _sent(arguments: tuple[Any, ...], first: int) -> tuple[Any, ...]:
    """The arguments with every column from `first` on (links, texts) as an array literal."""
    return (*arguments[:first], *(array_literal(list(c)) for c in arguments[first:]))


def ingest_arguments(archive: Archive, data: Path, after: int) -> tuple[Any, ...]:
    """`central_ingest`'s arguments: the archive's name and files, the links past `after` with
    the canonical rows their hashes cover, and the searchable texts."""
    links: list[list[Any]] = [[] for _ in range(7)]
    docs: list[list[Any]] = [[] for _ in range(5)]
    for seq, kind, record_id, prev_hash, digest, written_at, row in _rows(data, after):
        values = (seq, kind, record_id, prev_hash, digest, canonical(row, kind), written_at)
        for column, value in zip(links, values, strict=True):
            column.append(value)
        if kind in SEARCHED:
            columns, at = SEARCHED[kind]
            texts = [str(row.get(c) or "") for c in columns]
            doc = (kind, record_id, _when(row.get(at)), " ".join(t for t in texts if t),
                   grams_for(*texts))  # fmt: skip
            for column, value in zip(docs, doc, strict=True):
                column.append(value)
    return (archive.name, *_files(archive), *links, *docs)


AHEAD = 2  # archives prepared ahead of the one being stored


def _file_state(path: Path) -> tuple[int, int, int]:
    state = path.stat()
    return (state.st_ino, state.st_size, state.st_mtime_ns)


def _read_as_of(archive: Archive, data: Path, after: int) -> tuple[Any, tuple[Any, ...]]:
    state = _file_state(data)
    return state, ingest_arguments(archive, data, after)


class Prepared:
    """`ingest_arguments` of the archives coming next in a desk's turn, worked out in a thread
    while the server checks and stores the one before (the client waits on the server with the
    GIL released, so the reading, hashing and grams overlap the server's work). Only a guess
    about where each archive starts: one the turn reaches elsewhere is worked out again."""

    def __init__(self, archives: list[Archive]) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="central-prepare")
        self._waiting = list(archives)
        self._ready: dict[tuple[str, int], Any] = {}  # (manifest SHA-256, after): a Future
        self._ahead()

    def _ahead(self) -> None:
        while self._waiting and len(self._ready) < AHEAD:
            archive = self._waiting.pop(0)
            after = None if archive.content == FULL else int((archive.base or {}).get("seq") or 0)
            data = archive.file_of("snapshot" if archive.content == FULL else "pack")
            if archive.number == 1 and archive.content == FULL:
                after = 0  # a desk's first archive starts from nothing
            if after is not None and data is not None and data.is_file():
                key = (archive.sha256, after)
                self._ready[key] = self._pool.submit(_read_as_of, archive, data, after)

    def arguments(self, archive: Archive, data: Path, after: int) -> tuple[Any, ...]:
        """As ingest_arguments; read again if the file changed since it was read ahead (the
        rows sent are those of the file as it is when the archive is stored, as before)."""
        future = self._ready.get((archive.sha256, after))
        if future is not None:
            read_as_of, arguments = future.result()
            if read_as_of == _file_state(data):
                return arguments  # type: ignore[no-any-return]
        return ingest_arguments(archive, data, after)

    def passed(self, archive: Archive | None) -> None:
        """The turn is past `archive`: its arguments are dropped, the next ones begun."""
        if archive is not None:
            for key in [k for k in self._ready if k[0] == archive.sha256]:
                self._ready.pop(key).cancel()
        self._ahead()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def store_archive(
    conn: Conn, archive: Archive, data: Path, after: int, prepared: Prepared | None = None
) -> int:
    """Hand the archive to the database's `central_ingest` (central_migrations c0002), which
    checks the links chain on from the head it holds and stores the archive, its files, the
    links past `after`, the rows they name, the calls and the searchable texts. Returns the
    number of rows written. The city keeps the packs themselves, from which a desk's replica
    is rebuilt (services/central/replica.py)."""
    if prepared is None:
        arguments = ingest_arguments(archive, data, after)
    else:
        arguments = prepared.arguments(archive, data, after)
    conn.execute(INGEST, _sent(arguments, 4), binary=True)
    return len(arguments[4])


def store_quarantine(conn: Conn, archive: Archive, data: Path, after: int, reason: str) -> None:
    """Hold the archive: `central_hold` (central_migrations c0003) checks its manifest, its
    files and its links past `after` as `central_ingest` does, and a conflict's continuity
    from the archive it forks from, before it stores anything."""
    from psycopg.types.json import Jsonb

    links = ingest_arguments(archive, data, after)[4:10]
    arguments = (archive.name, *_files(archive), *links, Jsonb(json.loads(reason)))
    conn.execute(HOLD, (*_sent(arguments[:-1], 4), arguments[-1]), binary=True)
