"""roster: a 替岗 may fill a seat nobody held (an empty or vacated seat of a filed roster), so a
change's original person may be absent (issue 17)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02
"""

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

TABLE = "roster_change"


def _nullable(nullable: bool) -> None:
    """from_person_id NULL-able or not. SQLite cannot alter a column, and rebuilding the table
    (copy, drop, rename) is refused here: the migrations run in one transaction with foreign
    keys on, and the filings refer to its rows. Adding or removing a NOT NULL changes nothing
    stored, so the table's definition is edited in place, as SQLite documents for such changes
    (https://www.sqlite.org/lang_altertable.html#otheralter): the rows, their ids, the
    append-only triggers and the chain links stay as they are."""
    connection = op.get_bind()
    create = str(
        connection.exec_driver_sql(
            f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'"
        ).scalar()
    )
    strict, loose = "from_person_id INTEGER NOT NULL,", "from_person_id INTEGER,"
    before, after = (strict, loose) if nullable else (loose, strict)
    if before not in create:
        return  # already as wanted
    version = int(connection.exec_driver_sql("PRAGMA schema_version").scalar() or 0)
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    connection.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
        (create.replace(before, after), TABLE),
    )
    connection.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    _nullable(True)


def downgrade() -> None:
    """Back to 0024 only while no change fills an empty seat (records are never deleted)."""
    connection = op.get_bind()
    vacancies = connection.exec_driver_sql(
        f"SELECT COUNT(*) FROM {TABLE} WHERE from_person_id IS NULL"
    ).scalar()
    if not vacancies:
        _nullable(False)
