"""One moment of the register for a whole export: its chain head, its snapshot and its forms all
read in one read transaction, whatever other terminals commit meanwhile.

The forms (the handover form, the calls CSV, the registers) were rendered from the live register
after the snapshot was taken, and rendered again when the head had moved, three times at most;
with another terminal saving a call every few seconds every attempt saw newer rows, and the
archive was written with forms that `verify` (which renders them again from the archive's own
rows) reports as changed: a false tamper alarm, and the city refusing the archive (breaker,
session 15). In WAL mode a read transaction sees the database as it was when it began, so a desk
whose every session reads through one connection held in one such transaction renders what the
snapshot holds, and the copy itself is taken from that connection."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from dutydesk.db import BUSY_TIMEOUT_MS

if TYPE_CHECKING:
    from dutydesk.services.core import Desk


class _Held:
    """The held connection as SQLAlchemy's pool sees it: its sessions' COMMIT and ROLLBACK, and
    the pool's reset on return, leave the read transaction open (it is ended by held_view), and
    no setting it makes reaches the connection (setting isolation_level would end it)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        object.__setattr__(self, "_connection", connection)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def commit(self) -> None:
        """Nothing is written through this connection."""

    def rollback(self) -> None:
        """The transaction is held_view's to end."""

    def close(self) -> None:
        """Closed by held_view."""


@contextmanager
def held_view(desk: Desk) -> Iterator[tuple[Desk, sqlite3.Connection]]:
    """`desk` reading the register as it is now, through one connection in one read transaction
    (also yielded: the snapshot is copied from it), until the block ends."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    connection = sqlite3.connect(os.path.abspath(desk.path), timeout=BUSY_TIMEOUT_MS / 1000,
                                 isolation_level=None, check_same_thread=False)  # fmt: skip
    engine = None
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("BEGIN")
        connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # the moment
        held = _Held(connection)
        engine = create_engine("sqlite://", creator=lambda: held, poolclass=StaticPool)
        yield dataclasses.replace(desk, engine=engine), connection
    finally:
        if engine is not None:
            engine.dispose()
        if connection.in_transaction:
            connection.rollback()
        connection.close()
