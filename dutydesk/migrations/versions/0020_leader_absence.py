"""leader absence: the shift leader away from the post (where, contact, who stands in, until
when) and back early, append-only and chained (issue 17 item 5; Tianjin art. 16(2), 12(5))

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

TABLES = ("leader_absence", "leader_return")

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _guard(table: str) -> None:
    """Append-only, as on paper: an entry is never changed or removed."""
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {table} is append-only'); END"
        )


def _exists(table: str) -> bool:
    return bool(
        op.get_bind()
        .exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
        .first()
    )


def upgrade() -> None:
    if _exists("leader_absence"):  # kept by an earlier downgrade with its records (see below)
        return
    op.create_table(
        "leader_absence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("stands_in_id", sa.Integer(), nullable=False),
        sa.Column("whereabouts", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.String(length=32), nullable=False),
        sa.Column("until", sa.String(length=32), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.ForeignKeyConstraint(["leader_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["stands_in_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_leader_absence_leader_id", "leader_absence", ["leader_id"])
    op.create_table(
        "leader_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("absence_id", sa.Integer(), nullable=False),
        sa.Column("returned_at", sa.String(length=32), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["absence_id"], ["leader_absence.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("absence_id"),
    )
    for table in TABLES:
        _guard(table)


def downgrade() -> None:
    """Back to 0019. Empty tables go; entries already recorded stay, with their triggers and
    chain links (records are never deleted), as 0015's corrections do."""
    connection = op.get_bind()
    if any(
        connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar() for table in TABLES
    ):
        return
    for table in reversed(TABLES):
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{action}")
        op.drop_table(table)
