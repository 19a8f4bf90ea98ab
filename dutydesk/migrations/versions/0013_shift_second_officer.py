"""a second duty officer on a shift, where the profile requires two (Henan 三(一) 双人专职)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

TABLE = "shift_second_officer"

revision = "0013"
down_revision = "0012"
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
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("shift_id"),
    )
    # Append-only, as on paper: who sat a shift is never changed or removed.
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{action} BEFORE {action.upper()} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {TABLE} is append-only'); END"
        )


def downgrade() -> None:
    """Back to 0011. An empty table goes; a second officer already recorded stays, with its
    triggers and chain link (records are never deleted), as 0011's restore records do."""
    connection = op.get_bind()
    if connection.exec_driver_sql(f"SELECT COUNT(*) FROM {TABLE}").scalar():
        return
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER {TABLE}_no_{action}")
    op.drop_table(TABLE)
