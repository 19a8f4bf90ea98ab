"""Finer statistics of the texts' grams, for search to tell a rare term from a common one.

ANALYZE keeps the most common elements of `doc.grams` with their shares; at the default target
(100) the least listed at two million texts was 3.5%, so a character under that (沙 in 白沙镇,
3.4%) looked as rare as an absent one. Search reads the shares to choose between walking back
from the newest texts and sorting every match (services/central/search.py); at 1,000 the list
goes down to ~0.09%."""

from alembic import op

revision = "c0004"
down_revision = "c0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE doc ALTER COLUMN grams SET STATISTICS 1000")
    op.execute("ANALYZE doc")


def downgrade() -> None:
    op.execute("ALTER TABLE doc ALTER COLUMN grams SET STATISTICS -1")
