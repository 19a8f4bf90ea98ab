"""incidents: incident information, report chain, unit reports, verification requests, leader
instructions, and the report deadlines with their closings and acknowledgements

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

APPEND_ONLY = (
    "incident",
    "report_step",
    "unit_report",
    "verification",
    "verification_reply",
    "instruction",
    "instruction_feedback",
    "deadline",
    "deadline_closure",
    "deadline_ack",
)

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=32), nullable=nullable)


def _text(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=False)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _ref(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "incident",
        _id(),
        _text("type", 20),
        _text("level", 4),
        _time("occurred_at"),
        _time("received_at"),
        _time("recorded_at"),
        _text("place", 200),
        _text("summary", 4000),
        sa.Column("dead", sa.Integer(), nullable=True),
        sa.Column("injured", sa.Integer(), nullable=True),
        sa.Column("missing", sa.Integer(), nullable=True),
        sa.Column("trapped", sa.Integer(), nullable=True),
        _text("scope", 2000),
        _text("secondary_risk", 1000),
        _text("measures", 4000),
        _text("next_steps", 2000),
        _text("source_caller", 100),
        _text("source_unit", 100),
        _ref("call_id", nullable=True),
        _text("reporter", 50),
        _text("reviewer", 50),
        _ref("recorded_by_id"),
        _ref("shift_id", nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["call_record.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("incident", "occurred_at", "call_id", "shift_id")
    op.create_table(
        "report_step",
        _id(),
        _ref("incident_id"),
        _text("kind", 10),
        sa.Column("number", sa.Integer(), nullable=False),
        _time("phoned_at", nullable=True),
        _time("written_at", nullable=True),
        _text("to_whom", 100),
        _text("by_whom", 50),
        _time("recorded_at"),
        _ref("recorded_by_id"),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("report_step", "incident_id")
    op.create_table(
        "unit_report",
        _id(),
        _ref("incident_id"),
        _text("unit", 100),
        _text("channel", 10),
        _time("reported_at"),
        _time("due_at", nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("late_minutes", sa.Integer(), nullable=False),
        _text("rule_code", 40),
        _text("cite", 200),
        _time("recorded_at"),
        _ref("recorded_by_id"),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("unit_report", "incident_id", "unit")
    op.create_table(
        "verification",
        _id(),
        _time("received_at"),
        _text("subject", 2000),
        _text("requested_by", 100),
        sa.Column("written_requested", sa.Boolean(), nullable=False),
        _ref("incident_id", nullable=True),
        _time("recorded_at"),
        _ref("recorded_by_id"),
        _ref("shift_id", nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("verification", "received_at", "incident_id")
    op.create_table(
        "verification_reply",
        _id(),
        _ref("verification_id"),
        _text("channel", 10),
        _time("replied_at"),
        _text("content", 4000),
        _text("by_whom", 50),
        _time("recorded_at"),
        _ref("recorded_by_id"),
        sa.ForeignKeyConstraint(["verification_id"], ["verification.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("verification_reply", "verification_id")
    op.create_table(
        "instruction",
        _id(),
        _time("received_at"),
        _text("leader", 50),
        _text("text", 4000),
        _text("passed_to", 500),
        _ref("incident_id", nullable=True),
        _time("recorded_at"),
        _ref("recorded_by_id"),
        _ref("shift_id", nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("instruction", "received_at", "incident_id")
    op.create_table(
        "instruction_feedback",
        _id(),
        _ref("instruction_id"),
        _time("fed_back_at"),
        _text("text", 4000),
        _time("recorded_at"),
        _ref("recorded_by_id"),
        sa.ForeignKeyConstraint(["instruction_id"], ["instruction.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("instruction_feedback", "instruction_id")
    op.create_table(
        "deadline",
        _id(),
        _text("subject", 20),
        _ref("incident_id", nullable=True),
        _ref("verification_id", nullable=True),
        _ref("instruction_id", nullable=True),
        _text("rule_code", 40),
        _text("channel", 10),
        _text("cite", 200),
        _text("counts_from", 20),
        _time("clock_at"),
        sa.Column("minutes", sa.Integer(), nullable=True),
        _time("due_at", nullable=True),
        _time("created_at"),
        _ref("shift_id", nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incident.id"]),
        sa.ForeignKeyConstraint(["verification_id"], ["verification.id"]),
        sa.ForeignKeyConstraint(["instruction_id"], ["instruction.id"]),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("deadline", "incident_id", "verification_id", "instruction_id", "due_at")
    op.create_table(
        "deadline_closure",
        _id(),
        _ref("deadline_id"),
        _time("done_at"),
        sa.Column("late_minutes", sa.Integer(), nullable=False),
        _text("source", 40),
        _time("closed_at"),
        _ref("closed_by_id"),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadline.id"]),
        sa.ForeignKeyConstraint(["closed_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deadline_id"),
    )
    op.create_table(
        "deadline_ack",
        _id(),
        _ref("deadline_id"),
        _text("status", 10),
        _time("acked_at"),
        _ref("acked_by_id"),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadline.id"]),
        sa.ForeignKeyConstraint(["acked_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("deadline_ack", "deadline_id")
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
