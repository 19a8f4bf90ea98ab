"""audit links keep the hash of each row, not a copy of it

Revision ID: 0008
Revises: 0007

The copies were 40 % of a ten-year register (and of every archive). The link's hash already
covers the row's canonical form, which `dutydesk verify` recomputes from the append-only row.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE audit_link DROP COLUMN payload")


def downgrade() -> None:
    raise NotImplementedError(
        "dutydesk: downgrading below 0008 would need every row re-copied into its link; "
        "restore an archive taken before the upgrade instead"
    )
