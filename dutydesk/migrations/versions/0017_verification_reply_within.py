"""the reply time a verification request (核报) asks for: "30分钟内电话反馈" is recorded as 30
minutes by phone, and sets a deadline where the profile's own rule is not stricter (Tianjin
art. 23: 按照时限要求反馈; where the text sets no limit, the time asked is the rule)

Two new nullable columns on a chained, append-only table. Rows written before them hold NULL
there, and the chain's canonical form leaves such a column out while it is NULL
(dutydesk.services.core.audit.LATER_COLUMNS), so every older row still verifies as it did.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLE = "verification"
COLUMNS = (("reply_within", "INTEGER"), ("reply_channel", "VARCHAR(10)"))


def _columns() -> set[str]:
    rows = op.get_bind().exec_driver_sql(f'PRAGMA table_info("{TABLE}")').all()
    return {row[1] for row in rows}


def upgrade() -> None:
    present = _columns()
    for name, kind in COLUMNS:
        if name not in present:
            op.execute(f"ALTER TABLE {TABLE} ADD COLUMN {name} {kind}")


def downgrade() -> None:
    """Back to 0016. Refused (the migration rolls back) once a reply time has been recorded:
    dropping the column would delete what the register holds, and 0016 would hash the rows
    without it and find them changed."""
    connection = op.get_bind()
    used = connection.exec_driver_sql(
        f"SELECT COUNT(*) FROM {TABLE} WHERE reply_within IS NOT NULL OR reply_channel IS NOT NULL"
    ).scalar()
    if used:
        raise RuntimeError(f"{TABLE}.reply_within holds records: the register stays at 0017")
    for name, _kind in COLUMNS:
        op.execute(f"ALTER TABLE {TABLE} DROP COLUMN {name}")
