"""Registers whose calls are not yet in the search indexes (search_catch_up): a copy of a register
taken before upkeep wrote its calls into the indexes, to compare what the search finds in the
register itself with what the indexes find."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from dutydesk.services.core.desk import Desk, open_desk
from dutydesk.services.core.search_catch_up import catch_up


@contextmanager
def indexed_and_not(desk: Desk, folder: Path) -> Iterator[Desk]:
    """Copy `desk`'s register as it stands into `folder`, then write its calls into its indexes.
    Yields the copy, opened: every call saved so far above its mark."""
    copy = folder / "unindexed.sqlite3"
    with closing(sqlite3.connect(desk.path)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    assert catch_up(desk) > 0  # the copy's calls are all above its mark
    unindexed = open_desk(copy, desk.clock)
    try:
        yield unindexed
    finally:
        unindexed.close()
