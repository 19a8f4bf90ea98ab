"""roster: a swap or substitution that breaks a rest rule is refused unless the approver
records why it stands (issue 17): the reason is kept on the change record

A new nullable column on a chained, append-only table. Rows written before it hold NULL there,
and the chain's canonical form leaves such a column out while it is NULL
(dutydesk.services.core.audit.LATER_COLUMNS), so every older row still verifies as it did.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02
"""

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

TABLE = "roster_change"
COLUMN = "rest_override"


def _columns() -> set[str]:
    rows = op.get_bind().exec_driver_sql(f'PRAGMA table_info("{TABLE}")').all()
    return {row[1] for row in rows}


def upgrade() -> None:
    if COLUMN not in _columns():
        op.execute(f"ALTER TABLE {TABLE} ADD COLUMN {COLUMN} VARCHAR(200)")


def downgrade() -> None:
    """Back to 0025. Refused (the migration rolls back) once an override has been recorded:
    dropping the column would delete what the register holds, and 0025 would hash the rows
    without it and find them changed."""
    connection = op.get_bind()
    used = connection.exec_driver_sql(
        f"SELECT COUNT(*) FROM {TABLE} WHERE {COLUMN} IS NOT NULL"
    ).scalar()
    if used:
        raise RuntimeError(f"{TABLE}.{COLUMN} holds records: the register stays at 0026")
    op.execute(f"ALTER TABLE {TABLE} DROP COLUMN {COLUMN}")
