"""search indexes of the document register and the phone list (issues 18 and 19)

Each register gets a derived table holding, per live record, the text search reads
(`document_search`, `contact_search`: id, text) and two FTS5 indexes over it, as the calls
have: a trigram index of the text for terms of three or more characters, and a unicode61 index
of every character and adjacent pair for one- and two-character terms (a trigram index finds
nothing for them). Triggers keep all of it current, so no write path can forget it: a document's
text grows with each routing, follow-up and closing; a contact change takes the replaced row
out and puts the new one in; a withdrawal takes it out. What the text holds is defined once in
dutydesk.services.lookup.register_sql, which `dutydesk reindex` and `dutydesk verify` use too.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""

from alembic import op

from dutydesk.services.lookup.register_sql import (
    MAX_TEXT,
    POSITIONS,
    REGISTER_INDEXES,
    RegisterIndex,
    insert_sql,
    rebuild_sql,
    refresh_document_sql,
    sync_triggers_sql,
)

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

STEPS = ("document_routing", "document_followup", "document_closure")


def _index_tables(index: RegisterIndex) -> None:
    fts, grams = index.fts
    op.execute(f"CREATE TABLE {index.table} (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5(text, content='{index.table}', "
        "content_rowid='id', tokenize='trigram')"
    )
    op.execute(f"CREATE VIRTUAL TABLE {grams} USING fts5(grams, content='', tokenize='unicode61')")
    for statement in rebuild_sql(index):  # the records already there
        op.execute(statement)
    for name, body in sync_triggers_sql(index).items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _register_triggers() -> None:
    documents, contacts = REGISTER_INDEXES
    op.execute(
        "CREATE TRIGGER document_search_new AFTER INSERT ON document BEGIN "
        f"{insert_sql(documents, 'new.id')}; END"
    )
    for step in STEPS:
        op.execute(
            f"CREATE TRIGGER {step}_search AFTER INSERT ON {step} BEGIN "
            f"{refresh_document_sql('new.document_id')}; END"
        )
    op.execute(
        "CREATE TRIGGER contact_search_new AFTER INSERT ON contact BEGIN "
        "DELETE FROM contact_search WHERE id = new.replaces_id; "
        f"{insert_sql(contacts, 'new.id', 'WHERE NOT new.withdrawn')}; END"
    )


def upgrade() -> None:
    op.execute(f"CREATE TABLE {POSITIONS} (id INTEGER PRIMARY KEY)")
    op.execute(
        f"WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < {MAX_TEXT}) "
        f"INSERT INTO {POSITIONS}(id) SELECT n FROM k"
    )
    for index in REGISTER_INDEXES:
        _index_tables(index)
    _register_triggers()


def downgrade() -> None:
    for step in STEPS:
        op.execute(f"DROP TRIGGER IF EXISTS {step}_search")
    op.execute("DROP TRIGGER IF EXISTS document_search_new")
    op.execute("DROP TRIGGER IF EXISTS contact_search_new")
    for index in REGISTER_INDEXES:
        for fts in index.fts:
            op.execute(f"DROP TABLE IF EXISTS {fts}")
        op.execute(f"DROP TABLE IF EXISTS {index.table}")
    op.execute(f"DROP TABLE IF EXISTS {POSITIONS}")
