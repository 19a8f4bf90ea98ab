"""restore records: a register restored from an archive says so, chained, naming the archive

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

TABLE = "restore_record"

revision = "0011"
down_revision = "0010"
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
        sa.Column("restored_at", sa.String(length=32), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("archive_head_seq", sa.Integer(), nullable=False),
        sa.Column("archive_head", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # Append-only, as on paper: the record of a restore is never changed or removed.
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{action} BEFORE {action.upper()} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {TABLE} is append-only'); END"
        )


def downgrade() -> None:
    """Back to 0010. An empty table goes; a restore already recorded stays, with its triggers
    and chain link (records are never deleted), as 0009's acts do."""
    connection = op.get_bind()
    if connection.exec_driver_sql(f"SELECT COUNT(*) FROM {TABLE}").scalar():
        return
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER {TABLE}_no_{action}")
    op.drop_table(TABLE)
