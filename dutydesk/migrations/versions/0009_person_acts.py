"""person acts: who authorised each addition to the people register and each first or reset PIN

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

TABLE = "person_act"

revision = "0009"
down_revision = "0008"
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
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("authorised_by_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=400), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["authorised_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_person_act_person_id", TABLE, ["person_id"], unique=False)
    # Append-only, as on paper: a later act supersedes, nothing is changed or removed.
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_{action} BEFORE {action.upper()} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {TABLE} is append-only'); END"
        )


def downgrade() -> None:
    """Back to 0008. An empty table goes; acts already recorded stay, with their triggers and
    chain links (records are never deleted): 0008 reads and verifies a register holding an
    extra append-only table, and upgrading again finds the table in place."""
    connection = op.get_bind()
    if connection.exec_driver_sql(f"SELECT COUNT(*) FROM {TABLE}").scalar():
        return
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER {TABLE}_no_{action}")
    op.drop_index("ix_person_act_person_id", table_name=TABLE)
    op.drop_table(TABLE)
