"""handover: PINs, sign-in attempts, checklist marks, sign-off, closures, carry-over, exports

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

APPEND_ONLY = (
    "person_pin",
    "pin_attempt",
    "handover_mark",
    "handover",
    "handover_signature",
    "shift_closure",
    "carry_over",
    "export_record",
)

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=32), nullable=nullable)


def _index(table: str, column: str, unique: bool = False) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=unique)


def upgrade() -> None:
    op.create_table(
        "person_pin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("pin_hash", sa.String(length=128), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("cost_n", sa.Integer(), nullable=False),
        sa.Column("cost_r", sa.Integer(), nullable=False),
        sa.Column("cost_p", sa.Integer(), nullable=False),
        _time("set_at"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("person_pin", "person_id")
    op.create_table(
        "pin_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        _time("at"),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("pin_attempt", "person_id")
    op.create_table(
        "handover_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=True),
        sa.Column("role", sa.String(length=10), nullable=False),
        _time("at"),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("handover_mark", "shift_id")
    op.create_table(
        "handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("incoming_shift_id", sa.Integer(), nullable=False),
        _time("signed_at"),
        sa.Column("checklist", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["incoming_shift_id"], ["shift.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("shift_id"),
    )
    op.create_table(
        "handover_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        _time("signed_at"),
        sa.ForeignKeyConstraint(["handover_id"], ["handover.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("handover_signature", "handover_id")
    op.create_table(
        "shift_closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        _time("closed_at"),
        sa.ForeignKeyConstraint(["handover_id"], ["handover.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("shift_id"),
    )
    op.create_table(
        "carry_over",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("to_shift_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["handover_id"], ["handover.id"]),
        sa.ForeignKeyConstraint(["to_shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("carry_over", "handover_id")
    op.create_table(
        "export_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=True),
        _time("at"),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("target", sa.String(length=1000), nullable=False),
        sa.Column("archive", sa.String(length=200), nullable=True),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=True),
        sa.Column("error", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["handover_id"], ["handover.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("export_record", "handover_id")
    # Append-only, as on paper: a later row supersedes, nothing is changed or removed.
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
