"""report numbers and reasons: the 文号 of each written 首报 (〔2026〕15号, numbered per year, never
reused), and the reason an officer types when acknowledging a deadline's alert or closing a
deadline by hand without a report record (issue 15)

The reasons are new nullable columns on chained, append-only tables: rows written before them
hold NULL there and the chain's canonical form leaves such a column out while it is NULL
(dutydesk.services.core.audit.LATER_COLUMNS), so every older row still verifies as it did.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

TABLE = "report_number"
REASONS = ("deadline_ack", "deadline_closure")

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    rows = op.get_bind().exec_driver_sql(f'PRAGMA table_info("{table}")').all()
    return {row[1] for row in rows}


def _table_exists() -> bool:
    found = op.get_bind().exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    )
    return found.first() is not None


def upgrade() -> None:
    for table in REASONS:
        if "reason" not in _columns(table):
            op.execute(f"ALTER TABLE {table} ADD COLUMN reason VARCHAR(1000)")
    if _table_exists():  # kept by an earlier downgrade with its records (see below)
        return
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("allocated_at", sa.String(length=32), nullable=False),
        sa.Column("allocated_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["allocated_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id"),
        sa.UniqueConstraint("year", "number"),
    )
    # Append-only, as a register of numbers issued: a number is never changed or handed out again.
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{action} BEFORE {action.upper()} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {TABLE} is append-only'); END"
        )


def downgrade() -> None:
    """Back to 0015. Refused (the migration rolls back) once a reason has been typed: dropping
    the column would delete what the register holds. An empty numbers table goes; numbers
    already issued stay, with their triggers and chain links (records are never deleted)."""
    connection = op.get_bind()
    for table in REASONS:
        used = connection.exec_driver_sql(
            f"SELECT COUNT(*) FROM {table} WHERE reason IS NOT NULL"
        ).scalar()
        if used:
            raise RuntimeError(f"{table}.reason holds records: the register stays at 0016")
    for table in REASONS:
        op.execute(f"ALTER TABLE {table} DROP COLUMN reason")
    if connection.exec_driver_sql(f"SELECT COUNT(*) FROM {TABLE}").scalar():
        return
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER {TABLE}_no_{action}")
    op.drop_table(TABLE)
