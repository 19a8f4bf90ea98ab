"""initial schema: office, people, shifts, call register, pending items, audit chain

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

APPEND_ONLY = ("call_record", "pending_item", "pending_closure", "person", "shift", "audit_link")

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_link",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("written_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("hash"),
    )
    op.create_table(
        "office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("profile_id", sa.String(length=40), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("staff", sa.Boolean(), nullable=False),
        sa.Column("in_post_since", sa.Date(), nullable=True),
        sa.Column("trained", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "register_sequence",
        sa.Column("book", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("book", "year"),
    )
    op.create_table(
        "shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot_code", sa.String(length=20), nullable=False),
        sa.Column("starts_at", sa.String(length=32), nullable=False),
        sa.Column("ends_at", sa.String(length=32), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=True),
        sa.Column("standby_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["leader_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["standby_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "call_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("caller", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.String(length=4000), nullable=False),
        sa.Column("handling", sa.String(length=4000), nullable=False),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("amends_id", sa.Integer(), nullable=True),
        sa.Column("amend_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["amends_id"],
            ["call_record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shift.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("year", "seq", name="uq_call_year_seq"),
    )
    with op.batch_alter_table("call_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_record_amends_id"), ["amends_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_call_record_received_at"), ["received_at"], unique=False
        )

    op.create_table(
        "pending_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=4000), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call_record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shift.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pending_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_item_call_id"), ["call_id"], unique=False)

    op.create_table(
        "pending_closure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.String(length=32), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["pending_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id"),
    )

    # Full-text search over the call register (Chinese needs no word splitting):
    # a trigram index for terms of three or more characters, fed by a trigger ...
    op.execute(
        "CREATE VIRTUAL TABLE call_fts USING fts5("
        "caller, unit, phone, summary, handling, "
        "content='call_record', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER call_fts_insert AFTER INSERT ON call_record BEGIN "
        "INSERT INTO call_fts(rowid, caller, unit, phone, summary, handling) "
        "VALUES (new.id, new.caller, new.unit, new.phone, new.summary, new.handling); END"
    )
    # ... and a bigram index for two-character terms (积水, 停电), which a trigram index
    # silently cannot find. The service writes each row's bigrams in the same transaction.
    op.execute(
        "CREATE VIRTUAL TABLE call_bigram USING fts5(grams, content='', tokenize='unicode61')"
    )
    # The register is append-only, as on paper: corrections are new rows.
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
