"""Check that a generated database is one the services could have written: the audit chain is
unbroken, every link's hash is the hash of the canonical form of its stored row (read as
dutydesk.services.core.audit.stored_row reads it), and every record has its link."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

from dutydesk.services.core.audit import GENESIS, canonical, link_hash


def stored_row(conn: sqlite3.Connection, table: str, record_id: int) -> dict[str, Any]:
    cursor = conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,))
    names = [column[0] for column in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def verify(path: Path, row_sample: int | None = None, seed: int = 0) -> dict[str, Any]:
    """Raises AssertionError on the first fault. `row_sample` None hashes every row."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        prev, count, kinds = GENESIS, 0, {}
        to_check: list[tuple[int, str, int, str, str]] = []
        rng = random.Random(seed)
        rows = conn.execute(
            "SELECT seq, kind, record_id, prev_hash, hash FROM audit_link ORDER BY seq"
        )
        for link in rows:
            seq, kind, _record_id, prev_hash, digest = link
            count += 1
            assert seq == count, f"audit link {count} missing (found {seq})"
            assert prev_hash == prev, f"audit link {seq} does not follow {seq - 1}"
            prev = digest
            kinds[kind] = kinds.get(kind, 0) + 1
            if row_sample is None or len(to_check) < row_sample:
                to_check.append(link)
            else:
                slot = rng.randrange(count)
                if slot < row_sample:
                    to_check[slot] = link
        for seq, kind, record_id, prev_hash, digest in to_check:
            payload = canonical(stored_row(conn, kind, record_id), kind)
            assert link_hash(seq, kind, record_id, payload, prev_hash) == digest, (
                f"audit link {seq}: {kind} {record_id} does not hash to it"
            )
        for kind, linked in kinds.items():
            rows_in_table = conn.execute(f'SELECT count(*) FROM "{kind}"').fetchone()[0]
            assert rows_in_table == linked, f"{kind}: {rows_in_table} rows, {linked} links"
        fts = conn.execute("SELECT count(*) FROM call_fts").fetchone()[0]
        calls = conn.execute("SELECT count(*) FROM call_record").fetchone()[0]
        assert fts == calls, f"call_fts has {fts} rows for {calls} calls"
        bad_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        assert not bad_keys, f"foreign keys broken: {bad_keys[:5]}"
    finally:
        conn.close()
    return {"links": count, "rows_checked": len(to_check), "by_kind": kinds, "ok": True}
