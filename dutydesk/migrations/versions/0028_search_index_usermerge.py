"""calls' search indexes merged down to one segment a level by upkeep (issue 19)

Upkeep's 'merge' (dutydesk.services.core.upkeep) merges a level's segments once it has
'usermerge' of them, FTS5's default 4: ten years of calls then stood in 19-20 segments per
trigram index, and a phone fragment's lookup read each (0.75 ms of a 1.2 ms search on the
bench's register). At 2 a level keeps one segment, so an index is about 5 segments: the lookup
0.40 ms, every term class 10-25 % faster (bench, session 13). The merging stays in upkeep's
bounded runs (MERGE_PAGES), off the save path; a register upgraded from the old setting is
merged down a little at each run after a commit.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03
"""

from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

# as dutydesk.services.core.upkeep.SEARCH_INDEXES when this was written
SEARCH_INDEXES = ("call_fts", "call_bigram", "call_phone", "call_digits")
USERMERGE = 2
FTS5_DEFAULT_USERMERGE = 4


def upgrade() -> None:
    for index in SEARCH_INDEXES:
        op.execute(f"INSERT INTO {index}({index}, rank) VALUES ('usermerge', {USERMERGE})")


def downgrade() -> None:
    for index in SEARCH_INDEXES:
        op.execute(
            f"INSERT INTO {index}({index}, rank) VALUES ('usermerge', {FTS5_DEFAULT_USERMERGE})"
        )
