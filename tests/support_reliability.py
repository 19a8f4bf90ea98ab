"""Helpers for the reliability tests: a register with a little of everything in it, tampering as
an attacker with the sqlite3 shell would, and reading what a refused command printed."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from dutydesk.services.calls.calls import CallDraft, amend_call, save_call
from dutydesk.services.core.desk import Desk
from dutydesk.services.core.search_catch_up import catch_up
from dutydesk.services.handover.pending import close_item, open_items


def fill(desk: Desk, officer) -> list[str]:  # officer: Person
    """Three calls (one needing follow-up, so a pending item), an amendment and a closure, then
    the calls written into the search indexes, as the app's upkeep does a few seconds after.
    Returns the register numbers written, in order."""
    numbers = []
    for index, follow_up in enumerate((False, True, False)):
        draft = CallDraft(
            caller=f"来电人{index}",
            unit="城关镇",
            phone="0371-66000000",
            summary=f"人民路积水约{index + 1}0厘米",
            follow_up=follow_up,
        )
        numbers.append(save_call(desk, draft, officer).number)
    numbers.append(amend_call(desk, numbers[0], "记错了单位", {"unit": "城东街道"}, officer).number)
    close_item(desk, open_items(desk)[0].id, officer, "已处理")
    catch_up(desk)
    return numbers


def tamper(path: Path, *statements: str) -> None:
    """What someone with the sqlite3 shell could do: run any SQL, dropping a trigger first if
    the append-only guard is in the way."""
    with closing(sqlite3.connect(path)) as conn, conn:
        for statement in statements:
            conn.execute(statement)


def scalar(path: Path, sql: str, *params: object) -> object:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchone()[0]


def row_counts(path: Path) -> dict[str, int]:
    """Rows in every ordinary table (virtual tables and their shadows are left out)."""
    with closing(sqlite3.connect(path)) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'call_fts%' "
                "AND name NOT LIKE 'call_bigram%' AND name NOT LIKE 'call_phone%' "
                "AND name NOT LIKE 'call_digits%'"
            )
        ]
        return {
            name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names
        }


def error_line(result) -> str:
    """The one line a refused command writes on stderr (no traceback)."""
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
