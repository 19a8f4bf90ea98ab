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
    """Copies again: each link gets the canonical form of its row as stored now (the rows are
    append-only); a link whose row is gone gets an empty copy, which verify then reports."""
    from dutydesk.services.core.audit import canonical

    op.execute("ALTER TABLE audit_link ADD COLUMN payload TEXT NOT NULL DEFAULT ''")
    connection = op.get_bind()
    links = connection.exec_driver_sql("SELECT seq, kind, record_id FROM audit_link").all()
    copies = []
    for seq, kind, record_id in links:
        result = connection.exec_driver_sql(f'SELECT * FROM "{kind}" WHERE id = ?', (record_id,))
        row = result.mappings().first()
        copies.append((canonical(dict(row)) if row is not None else "", seq))
    op.execute("DROP TRIGGER audit_link_no_update")
    connection.exec_driver_sql("UPDATE audit_link SET payload = ? WHERE seq = ?", copies)
    op.execute(
        "CREATE TRIGGER audit_link_no_update BEFORE UPDATE ON audit_link "
        "BEGIN SELECT RAISE(ABORT, 'dutydesk: audit_link is append-only'); END"
    )
