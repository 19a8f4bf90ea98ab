"""pending closures: a correction that unticks 需跟进 closes the call's open pending item, and
the closure names that correction (amendment_id, the correction's register line)

A new nullable column on a chained, append-only table. Rows written before it hold NULL there,
and the chain's canonical form leaves such a column out while it is NULL
(dutydesk.services.core.audit.LATER_COLUMNS), so every older row still verifies as it did.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03
"""

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

TABLE = "pending_closure"
COLUMN = "amendment_id"


def _columns() -> set[str]:
    rows = op.get_bind().exec_driver_sql(f'PRAGMA table_info("{TABLE}")').all()
    return {row[1] for row in rows}


def upgrade() -> None:
    if COLUMN not in _columns():
        op.execute(f"ALTER TABLE {TABLE} ADD COLUMN {COLUMN} INTEGER REFERENCES call_record (id)")


def downgrade() -> None:
    """Back to 0028. Refused (the migration rolls back) once a correction has closed an item:
    dropping the column would delete what the register holds, and 0028 would hash the rows
    without it and find them changed."""
    connection = op.get_bind()
    used = connection.exec_driver_sql(
        f"SELECT COUNT(*) FROM {TABLE} WHERE {COLUMN} IS NOT NULL"
    ).scalar()
    if used:
        raise RuntimeError(f"{TABLE}.{COLUMN} holds records: the register stays at 0029")
    op.execute(f"ALTER TABLE {TABLE} DROP COLUMN {COLUMN}")
