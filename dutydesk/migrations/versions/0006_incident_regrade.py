"""incident re-grading: the level changed later, and the deadlines it superseded

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

APPEND_ONLY = ("incident_regrade", "deadline_supersession")

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _time(name: str) -> sa.Column:
    return sa.Column(name, sa.String(length=32), nullable=False)


def upgrade() -> None:
    op.create_table(
        "incident_regrade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("old_level", sa.String(length=4), nullable=False),
        sa.Column("new_level", sa.String(length=4), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        _time("regraded_at"),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_incident_regrade_incident_id", "incident_regrade", ["incident_id"], unique=False
    )
    op.create_table(
        "deadline_supersession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("regrade_id", sa.Integer(), nullable=False),
        _time("superseded_at"),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadline.id"]),
        sa.ForeignKeyConstraint(["regrade_id"], ["incident_regrade.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deadline_id"),
    )
    op.create_index(
        "ix_deadline_supersession_regrade_id",
        "deadline_supersession",
        ["regrade_id"],
        unique=False,
    )
    # Records are append-only, as on paper: a change is a new row.
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {table} is append-only'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {table} is append-only'); END"
        )


def downgrade() -> None:
    raise RuntimeError("DutyDesk never downgrades a register")
