"""calls' search indexes written after the save: the index triggers dropped, a mark of the last
call the indexes hold (issue 19)

The four indexes took about 16 of the 25-35 pages each save wrote, inside its transaction
(0.5-0.7 ms of a 1.9 ms save on the bench's ten-year register). The call register's three
index triggers are dropped, the save stops writing the bigram index, and
dutydesk.services.core.search_catch_up writes the calls above `search_indexed.up_to` after the
save (upkeep, the command line, restore, reindex); the search reads the calls above the mark
from the register itself. Every call is indexed when this runs (the triggers did it), so the
mark starts at the last call.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03
"""

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

MARKS = "search_indexed"
NAMES = "caller, unit, phone, summary, handling, place"
# the triggers as migrations 0012, 0014 and 0027 made them (for downgrade)
PHONE_DIGITS = "new.phone"
for _char in ("-", " ", "+", "(", ")", "#", "*", ",", "转", "x", "X"):
    PHONE_DIGITS = f"replace({PHONE_DIGITS}, '{_char}', '')"


def upgrade() -> None:
    for index in ("call_fts", "call_phone", "call_digits"):
        op.execute(f"DROP TRIGGER IF EXISTS {index}_insert")
    op.execute(
        # an id, as every plain table a pack carries has (archive_replay reads each one's ids)
        f"CREATE TABLE IF NOT EXISTS {MARKS} (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "up_to INTEGER NOT NULL)"
    )
    op.execute(
        f"INSERT OR REPLACE INTO {MARKS} (name, up_to) "
        "SELECT 'call_record', coalesce(max(id), 0) FROM call_record"
    )


def downgrade() -> None:
    """Back to 0029: the calls above the mark indexed first, then the triggers made again."""
    from dutydesk.services.core.search_catch_up import index_every_new_call
    from dutydesk.services.core.search_digits import digit_grams_sql

    driver = op.get_bind().connection.driver_connection
    assert driver is not None
    index_every_new_call(driver.cursor())
    values = ", ".join(f"new.{name}" for name in NAMES.split(", "))
    op.execute(
        "CREATE TRIGGER call_fts_insert AFTER INSERT ON call_record BEGIN "
        f"INSERT INTO call_fts(rowid, {NAMES}) VALUES (new.id, {values}); END"
    )
    op.execute(
        "CREATE TRIGGER call_phone_insert AFTER INSERT ON call_record BEGIN "
        f"INSERT INTO call_phone(rowid, digits) VALUES (new.id, {PHONE_DIGITS}); END"
    )
    op.execute(
        "CREATE TRIGGER call_digits_insert AFTER INSERT ON call_record BEGIN "
        f"INSERT INTO call_digits(rowid, digits) VALUES (new.id, {digit_grams_sql('new')}); END"
    )
    op.execute(f"DROP TABLE {MARKS}")
