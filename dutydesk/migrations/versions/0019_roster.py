"""the duty roster (排班): rosters, their assignments, filings, changes after filing and the
rostered people's phones, each append-only and chained (issue 17)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

TABLES = ("roster", "roster_assignment", "roster_change", "roster_filing", "roster_phone")

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _stamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=32), nullable=nullable)


def _create() -> None:
    op.create_table(
        "roster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        _stamp("created_at"),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_roster_starts_on", "roster", ["starts_on"])
    op.create_index("ix_roster_ends_on", "roster", ["ends_on"])
    op.create_table(
        "roster_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot_code", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=True),
        _stamp("set_at"),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["roster_id"], ["roster.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["set_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_roster_assignment_roster_id", "roster_assignment", ["roster_id"])
    op.create_table(
        "roster_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot_code", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("from_person_id", sa.Integer(), nullable=False),
        sa.Column("to_person_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=False),
        sa.Column("pairs_with_id", sa.Integer(), nullable=True),
        _stamp("tell_upper_by", nullable=True),
        sa.Column("cite", sa.String(length=120), nullable=False),
        _stamp("recorded_at"),
        sa.ForeignKeyConstraint(["roster_id"], ["roster.id"]),
        sa.ForeignKeyConstraint(["from_person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["to_person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["approved_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["pairs_with_id"], ["roster_change.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_roster_change_roster_id", "roster_change", ["roster_id"])
    op.create_table(
        "roster_filing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        _stamp("sent_at"),
        sa.Column("sent_to", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("xlsx_sha256", sa.String(length=64), nullable=True),
        sa.Column("docx_sha256", sa.String(length=64), nullable=True),
        _stamp("recorded_at"),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["roster_id"], ["roster.id"]),
        sa.ForeignKeyConstraint(["change_id"], ["roster_change.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_roster_filing_roster_id", "roster_filing", ["roster_id"])
    op.create_table(
        "roster_phone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        _stamp("set_at"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_roster_phone_person_id", "roster_phone", ["person_id"])


def upgrade() -> None:
    connection = op.get_bind()
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'roster'"
    ).first()
    if exists:  # kept by an earlier downgrade with its records (see below)
        return
    _create()
    # Append-only, as on paper: a roster is corrected by new rows, never edited.
    for table in TABLES:
        for action in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {table} is append-only'); END"
            )


def downgrade() -> None:
    """Back to 0018. Empty tables go; a roster already recorded stays, with its triggers and
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
