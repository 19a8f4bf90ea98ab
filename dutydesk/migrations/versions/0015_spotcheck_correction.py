"""spot-check corrections (更正): a recorded outcome put right by a new outcome row, with the
reason, linked to the one it replaces (append-only and chained like every record)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

TABLE = "spotcheck_correction"

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).first()
    if exists:  # kept by an earlier downgrade with its records (see below)
        return
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["outcome_id"], ["spotcheck_outcome.id"]),
        sa.ForeignKeyConstraint(["corrects_id"], ["spotcheck_outcome.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("outcome_id"),
        sa.UniqueConstraint("corrects_id"),
    )
    # Append-only, as on paper: a correction is itself never changed or removed.
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{action} BEFORE {action.upper()} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {TABLE} is append-only'); END"
        )


def downgrade() -> None:
    """Back to 0014. An empty table goes; corrections already recorded stay, with their
    triggers and chain links (records are never deleted), as 0013's second officers do."""
    connection = op.get_bind()
    if connection.exec_driver_sql(f"SELECT COUNT(*) FROM {TABLE}").scalar():
        return
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER {TABLE}_no_{action}")
    op.drop_table(TABLE)
