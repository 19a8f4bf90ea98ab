"""the document register (收发文登记): documents received and sent, their routing (交办),
follow-up (督办) and closing, each append-only and chained (issue 18 item 1)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

TABLES = ("document", "document_routing", "document_followup", "document_closure")

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _recorded() -> list[sa.Column]:
    return [
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
    ]


def _create_tables() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("party", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("classified", sa.Boolean(), nullable=False),
        sa.Column("body", sa.String(length=4000), nullable=False),
        sa.Column("moved_at", sa.String(length=32), nullable=False),
        *_recorded(),
        sa.Column("shift_id", sa.Integer(), sa.ForeignKey("shift.id"), nullable=True),
    )
    op.create_index("ix_document_moved_at", "document", ["moved_at"])
    op.create_table(
        "document_routing",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), nullable=False),
        sa.Column("routed_to", sa.String(length=200), nullable=False),
        sa.Column("routed_at", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        *_recorded(),
    )
    op.create_index("ix_document_routing_document_id", "document_routing", ["document_id"])
    op.create_table(
        "document_followup",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), nullable=False),
        sa.Column("followed_at", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        *_recorded(),
    )
    op.create_index("ix_document_followup_document_id", "document_followup", ["document_id"])
    op.create_table(
        "document_closure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), nullable=False),
        sa.Column("closed_at", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        *_recorded(),
        sa.UniqueConstraint("document_id"),
    )


def upgrade() -> None:
    connection = op.get_bind()
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'document'"
    ).first()
    if exists:  # kept by an earlier downgrade with its records (see below)
        return
    _create_tables()
    # Append-only, as on paper: a routing, follow-up or closing is a new row, never an edit.
    for table in TABLES:
        for action in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {table} is append-only'); END"
            )


def downgrade() -> None:
    """Back to 0020. Empty tables go; documents already registered stay, with their triggers
    and chain links (records are never deleted), as 0015's corrections do."""
    connection = op.get_bind()
    if connection.exec_driver_sql("SELECT COUNT(*) FROM document").scalar():
        return
    for table in reversed(TABLES):
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{action}")
        op.drop_table(table)
