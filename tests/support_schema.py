"""New registers in tests get their schema copied, not migrated.

`dutydesk.db.migrate` on an empty register runs every Alembic migration (~0.15 s of CPU each
time, for hundreds of tests). Each test process runs them once, on the real path, into a schema
template; afterwards `migrate` on a register with no tables copies that template into it with
SQLite's backup API (a few ms), and on a register with tables (an older one being brought up to
date) it runs the real migrations. Everything else `init_database` does (the office row, its
chain link, file modes, refusals) runs as shipped.

tests/test_schema_template.py checks that the copy is what the migrations make. Tests about
creating a schema from nothing through `migrate` itself opt out with
`@pytest.mark.real_migrations`; tests that drive Alembic directly (alembic_config + command)
never pass through here.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk import db

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

REAL_MIGRATE = db.migrate
# The modules that call `migrate` by a name imported from dutydesk.db (restore_record imports it
# at call time, from dutydesk.db itself).
CALLERS = ("dutydesk.db", "dutydesk.services.core.desk")


def make_schema_template(path: Path) -> Path:
    """A register with only the schema, made by the real migrations."""
    engine = db.make_engine(path)
    try:
        REAL_MIGRATE(engine)
    finally:
        engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


def has_no_tables(connection: sqlite3.Connection) -> bool:
    return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def copying_migrate(template: Path):  # noqa: ANN201 - returns migrate's own signature
    def migrate(engine: Engine) -> None:
        with engine.connect() as connection:
            raw = connection.connection.driver_connection
            if raw is not None and has_no_tables(raw):
                with closing(sqlite3.connect(f"file:{template}?mode=ro", uri=True)) as source:
                    source.backup(raw)
                return
        REAL_MIGRATE(engine)

    return migrate
