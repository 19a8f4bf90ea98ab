"""Incidents (突发事件) with their report chains and deadlines: 20,000 over ten years.

Not generated yet: the incident tables and services (migration 0002) are still being built.
`missing()` says why, so the benchmark reports it plainly instead of pretending."""

from __future__ import annotations

import sqlite3

TARGET = 20_000
TABLE = "incident"


def missing(conn: sqlite3.Connection) -> str | None:
    """Why incidents are not generated (None would mean they are)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if TABLE not in tables:
        return "not generated yet: no incident table in the schema"
    return (
        "not generated yet: the incident tables (migration 0002) and services were still being "
        "written when this generator was"
    )
