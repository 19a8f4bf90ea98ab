"""The full export's snapshot copied in steps (to show its progress) while another terminal
writes: one read transaction across the steps, so a write between two steps does not start
the copy again from its first page (a busy desk's export never finished)."""

from __future__ import annotations

import sqlite3

from dutydesk.services.archive import export_snapshot
from dutydesk.services.archive.export import write_archive
from tests.support_reliability import fill


def test_a_write_between_steps_does_not_restart_the_copy(desk, officer, monkeypatch):
    fill(desk, officer)
    monkeypatch.setattr(export_snapshot, "BACKUP_STEP", 1)  # a step per page: many steps
    other = sqlite3.connect(desk.path)  # another terminal's connection
    other.execute("CREATE TABLE other_terminal (x)")
    other.commit()
    pages: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        pages.append((done, total))
        if len(pages) <= 5:  # a save between each of the first steps
            other.execute("INSERT INTO other_terminal VALUES (?)", (len(pages),))
            other.commit()

    try:
        write_archive(desk, full=True, progress=progress)
    finally:
        other.close()
    done = [step for step, _total in pages]
    assert len(pages) > 10
    assert done == sorted(done), "the copy started again after a write"
    assert pages[-1][0] == pages[-1][1]
    assert len(pages) == pages[-1][1]  # one step per page, none copied twice
