"""the official calendar's years imported from the State Council's notices

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

TABLE = "calendar_year"

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("notice_title", sa.String(length=300), nullable=False),
        sa.Column("days_off", sa.String(length=20000), nullable=False),
        sa.Column("workdays", sa.String(length=20000), nullable=False),
        sa.Column("notice_text", sa.String(length=50000), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["supersedes_id"], [f"{TABLE}.id"]),
        sa.ForeignKeyConstraint(["entered_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(f"ix_{TABLE}_year", TABLE, ["year"], unique=False)
    # Records are append-only, as on paper: a new notice is a new row.
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {TABLE} is append-only'); END"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {TABLE} is append-only'); END"
    )


def downgrade() -> None:
    """The table goes, and with it its links in the chain; the chain is then re-linked so that
    `dutydesk verify` finds the remaining records whole (the years imported are lost: the
    notices are public and can be imported again)."""
    from dutydesk.services.core.audit import relink_without

    op.execute(f"DROP TRIGGER {TABLE}_no_update")
    op.execute(f"DROP TRIGGER {TABLE}_no_delete")
    relink_without(op.get_bind(), TABLE)
    op.drop_index(f"ix_{TABLE}_year", table_name=TABLE)
    op.drop_table(TABLE)
