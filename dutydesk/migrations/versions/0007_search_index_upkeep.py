"""search indexes: FTS5 automatic merging off; dutydesk.services.core.upkeep merges off the save path

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SEARCH_INDEXES = ("call_fts", "call_bigram")
FTS5_DEFAULT_AUTOMERGE = 4


def upgrade() -> None:
    for index in SEARCH_INDEXES:
        op.execute(f"INSERT INTO {index}({index}, rank) VALUES ('automerge', 0)")


def downgrade() -> None:
    for index in SEARCH_INDEXES:
        op.execute(
            f"INSERT INTO {index}({index}, rank) VALUES ('automerge', {FTS5_DEFAULT_AUTOMERGE})"
        )
