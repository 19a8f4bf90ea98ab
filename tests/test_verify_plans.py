"""verify's statements that run before its ranges start read the chain by its key, not link by
link (issue 19: on ten years, asking for min and max seq in one SELECT read all 3.1 million links,
0.5-0.9 s, and the restore records' links were found by walking the chain, 0.8 s)."""

from __future__ import annotations

import sqlite3

from dutydesk.services.archive.verify_parallel import chain_bounds
from dutydesk.services.core import bound_restore_seq


def _plans(path, run) -> list[str]:  # noqa: ANN001
    """The query plan of every statement `run(conn)` makes on the register at `path`."""
    conn = sqlite3.connect(path)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        result = run(conn)
        conn.set_trace_callback(None)
        plans = [" / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
                 for sql in statements if sql.lstrip().upper().startswith("SELECT")]  # fmt: skip
    finally:
        conn.close()
    assert result is not None or plans
    return plans


def test_the_chain_s_bounds_are_read_from_the_ends_of_its_key(desk, officer):
    desk.close()
    bounds: list[tuple[int | None, int | None]] = []
    plans = _plans(desk.path, lambda conn: bounds.append(chain_bounds(conn)) or bounds)
    first, last = bounds[0]
    assert first == 1 and last is not None and last >= 1
    assert plans and not any("SCAN audit_link" in plan for plan in plans), plans


def test_the_bound_restore_is_found_from_the_restore_records(desk, officer):
    desk.close()

    def run(conn):  # noqa: ANN001, ANN202
        conn.execute(
            "CREATE TABLE IF NOT EXISTS restore_record (id INTEGER PRIMARY KEY, restored_at, "
            "manifest_sha256, archive_head_seq INTEGER, archive_head)"
        )
        return bound_restore_seq(lambda sql, params: conn.execute(sql, params).fetchall()) or 0

    (plan,) = [plan for plan in _plans(desk.path, run) if "SEARCH l" in plan or "SCAN l" in plan]
    steps = plan.split(" / ")
    link_step = next(step for step in steps if step.split()[1] == "l")
    assert link_step == "SEARCH l USING INTEGER PRIMARY KEY (rowid=?)", plan  # by seq, per record
