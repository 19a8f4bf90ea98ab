"""calls' digit-gram index: rare phone fragments found in well under a millisecond (issue 19)

A contentless FTS5 index (ids only) of six-digit runs of each call's searched fields, with the
characters a phone may hold besides digits removed, filled by a trigger on the call register
and here from the calls already recorded. A phone-like term with six digits or more is looked
up there and checked in the call's own text (dutydesk.services.core.search_digits, which
defines what the index holds for this migration, `dutydesk reindex` and `dutydesk verify`).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02
"""

from alembic import op

from dutydesk.services.core.search_digits import INDEX, create_sql

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in create_sql():
        op.execute(statement)


def downgrade() -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {INDEX}_insert")
    op.execute(f"DROP TABLE IF EXISTS {INDEX}")
