"""phone digits index: a call's phone number as digits only, so `037166123456` finds
0371-66123456 (dutydesk.services.core.search)

A trigram index, filled by a trigger on the call register, of the phone with every character a
phone may hold besides digits removed (validation._PHONE). Contentless: it is only searched.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEX = "call_phone"
NOT_DIGITS = ("-", " ", "+", "(", ")", "#", "*", ",", "转", "x", "X")


def digits_sql(column: str) -> str:
    """`column` with every non-digit a phone may hold removed, as an SQL expression."""
    expression = column
    for char in NOT_DIGITS:
        expression = f"replace({expression}, '{char}', '')"
    return expression


def upgrade() -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {INDEX}_insert")
    op.execute(f"DROP TABLE IF EXISTS {INDEX}")
    op.execute(f"CREATE VIRTUAL TABLE {INDEX} USING fts5(digits, content='', tokenize='trigram')")
    op.execute(
        f"CREATE TRIGGER {INDEX}_insert AFTER INSERT ON call_record BEGIN "
        f"INSERT INTO {INDEX}(rowid, digits) VALUES (new.id, {digits_sql('new.phone')}); END"
    )
    op.execute(
        f"INSERT INTO {INDEX}(rowid, digits) SELECT id, {digits_sql('phone')} FROM call_record"
    )
    # merging stays off the save path (0007)
    op.execute(f"INSERT INTO {INDEX}({INDEX}, rank) VALUES ('automerge', 0)")


def downgrade() -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {INDEX}_insert")
    op.execute(f"DROP TABLE IF EXISTS {INDEX}")
