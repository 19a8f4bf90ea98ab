"""orders (应急指令, district flow chart): the draft, the director's decision, each dispatch and
each follow-up, all append-only and chained (issue 18 item 3)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TABLES = ("duty_order", "order_decision", "order_dispatch", "order_follow_up")


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=32), nullable=nullable)


def _create() -> None:
    op.create_table(
        "duty_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("instruction", sa.String(length=4000), nullable=False),
        sa.Column("revises_id", sa.Integer(), nullable=True),
        _time("drafted_at"),
        sa.Column("drafted_by_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["revises_id"], ["duty_order.id"]),
        sa.ForeignKeyConstraint(["drafted_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("revises_id"),
    )
    op.create_index("ix_duty_order_incident_id", "duty_order", ["incident_id"])
    op.create_index("ix_duty_order_drafted_at", "duty_order", ["drafted_at"])
    op.create_table(
        "order_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        _time("decided_at"),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["duty_order.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id"),
    )
    op.create_table(
        "order_dispatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("addressee", sa.String(length=100), nullable=False),
        sa.Column("addressee_kind", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        _time("dispatched_at"),
        _time("recorded_at"),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["duty_order.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_order_dispatch_order_id", "order_dispatch", ["order_id"])
    op.create_table(
        "order_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispatch_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("reported_back", sa.Boolean(), nullable=False),
        _time("at"),
        _time("recorded_at"),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dispatch_id"], ["order_dispatch.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_order_follow_up_dispatch_id", "order_follow_up", ["dispatch_id"])


def upgrade() -> None:
    connection = op.get_bind()
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'duty_order'"
    ).first()
    if exists:  # kept by an earlier downgrade with its records (see below)
        return
    _create()
    # Append-only, as on paper: a record is never changed or removed.
    for table in TABLES:
        for action in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {table} is append-only'); END"
            )


def downgrade() -> None:
    """Back to 0018. Empty tables go; orders already recorded stay, with their triggers and
    chain links (records are never deleted), as 0015's corrections do."""
    connection = op.get_bind()
    for table in TABLES:
        if connection.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar():
            return
    for table in reversed(TABLES):
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{action}")
        op.drop_table(table)
