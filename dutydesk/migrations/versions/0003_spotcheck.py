"""spot checks: units to be checked, their status changes, rounds, outcomes, closures

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

APPEND_ONLY = (
    "spotcheck_unit",
    "spotcheck_unit_status",
    "spotcheck_round",
    "spotcheck_outcome",
    "spotcheck_closure",
)

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def _time(name: str) -> sa.Column:
    return sa.Column(name, sa.String(length=32), nullable=False)


def _index(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "spotcheck_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("duty_phone", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "spotcheck_unit_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        _time("changed_at"),
        sa.ForeignKeyConstraint(["unit_id"], ["spotcheck_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("spotcheck_unit_status", "unit_id")
    op.create_table(
        "spotcheck_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        _time("drawn_at"),
        sa.Column("drawn_by_id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("active_units", sa.Integer(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("drawn", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.ForeignKeyConstraint(["drawn_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("spotcheck_round", "shift_id")
    op.create_table(
        "spotcheck_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        _time("checked_at"),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("answered_by", sa.String(length=50), nullable=False),
        sa.Column("on_roster", sa.Boolean(), nullable=True),
        sa.Column("faults", sa.String(length=400), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        _time("recorded_at"),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["spotcheck_round.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["spotcheck_unit.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("spotcheck_outcome", "round_id")
    _index("spotcheck_outcome", "unit_id")
    op.create_table(
        "spotcheck_closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        _time("closed_at"),
        sa.Column("closed_by_id", sa.Integer(), nullable=False),
        sa.Column("unreached", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["spotcheck_round.id"]),
        sa.ForeignKeyConstraint(["closed_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id"),
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
