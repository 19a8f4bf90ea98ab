"""call place and device faults: a call's place (地点, Henan 6(2)); a pending item that carries a
device marked faulty at handover (Tianjin art. 14(3), 32)

Both are new nullable columns on chained, append-only tables. Rows written before them hold NULL
there, and the chain's canonical form leaves such a column out while it is NULL
(dutydesk.services.core.audit.LATER_COLUMNS), so every older row still verifies as it did.

The trigram search index gains the place: it is rebuilt from the call register.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

FTS_OLD = ("caller", "unit", "phone", "summary", "handling")
FTS_NEW = (*FTS_OLD, "place")


def _columns(table: str) -> set[str]:
    rows = op.get_bind().exec_driver_sql(f'PRAGMA table_info("{table}")').all()
    return {row[1] for row in rows}


def _search_index(columns: tuple[str, ...]) -> None:
    """(Re)create the trigram index over `columns` and refill it from the call register."""
    op.execute("DROP TRIGGER IF EXISTS call_fts_insert")
    op.execute("DROP TABLE IF EXISTS call_fts")
    names = ", ".join(columns)
    values = ", ".join(f"new.{column}" for column in columns)
    op.execute(
        f"CREATE VIRTUAL TABLE call_fts USING fts5({names}, "
        "content='call_record', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER call_fts_insert AFTER INSERT ON call_record BEGIN "
        f"INSERT INTO call_fts(rowid, {names}) VALUES (new.id, {values}); END"
    )
    op.execute("INSERT INTO call_fts(call_fts) VALUES ('rebuild')")
    # merging stays off the save path (0007)
    op.execute("INSERT INTO call_fts(call_fts, rank) VALUES ('automerge', 0)")


def upgrade() -> None:
    if "place" not in _columns("call_record"):
        op.execute("ALTER TABLE call_record ADD COLUMN place VARCHAR(200)")
    if "device" not in _columns("pending_item"):
        op.execute("ALTER TABLE pending_item ADD COLUMN device VARCHAR(80)")
    _search_index(FTS_NEW)


def downgrade() -> None:
    """Back to 0011. Refused (the migration rolls back) once a place or a device fault has been
    recorded: dropping the column would delete what the register holds, and 0011 would hash the
    rows with the column and find every one changed."""
    connection = op.get_bind()
    for table, column in (("call_record", "place"), ("pending_item", "device")):
        used = connection.exec_driver_sql(
            f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL"
        ).scalar()
        if used:
            raise RuntimeError(f"{table}.{column} holds records: the register stays at 0012")
    _search_index(FTS_OLD)
    op.execute("ALTER TABLE call_record DROP COLUMN place")
    op.execute("ALTER TABLE pending_item DROP COLUMN device")
