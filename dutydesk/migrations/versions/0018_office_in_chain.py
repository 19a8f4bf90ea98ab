"""the office in the chain: the office row is chained and append-only; a change of its name,
time zone, profile or clock tolerance is a new chained office_setting row (issue 16 item 4)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

TABLE = "office_setting"
GENESIS = "0" * 64

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _guard(table: str) -> None:
    for action in ("update", "delete"):
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action} BEFORE {action.upper()} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'dutydesk: {table} is append-only'); END"
        )


def _chain_office(connection: sa.engine.Connection) -> None:
    """The office row joins the chain at the end, as it stands now (as audit.append would link
    it; frozen here so that later changes to the program do not change this migration)."""
    office = connection.exec_driver_sql("SELECT * FROM office ORDER BY id").mappings().all()
    linked = connection.exec_driver_sql(
        "SELECT record_id FROM audit_link WHERE kind = 'office'"
    ).all()
    done = {row[0] for row in linked}
    for row in office:
        if row["id"] in done:
            continue
        head = connection.exec_driver_sql(
            "SELECT seq, hash FROM audit_link ORDER BY seq DESC LIMIT 1"
        ).first()
        seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
        payload = json.dumps(dict(row), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(
            f"{seq}\noffice\n{row['id']}\n{prev}\n{payload}".encode()
        ).hexdigest()
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
        connection.exec_driver_sql(
            "INSERT INTO audit_link (seq, kind, record_id, prev_hash, hash, written_at) "
            "VALUES (?, 'office', ?, ?, ?, ?)",
            (seq, row["id"], prev, digest, now),
        )


def upgrade() -> None:
    connection = op.get_bind()
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).first()
    if not exists:  # else kept by an earlier downgrade with its records (see below)
        op.create_table(
            TABLE,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=100), nullable=False),
            sa.Column("profile_id", sa.String(length=40), nullable=False),
            sa.Column("timezone", sa.String(length=64), nullable=False),
            sa.Column("clock_tolerance_s", sa.Integer(), nullable=False),
            sa.Column("set_at", sa.String(length=32), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
    _guard(TABLE)
    _chain_office(connection)
    _guard("office")


def downgrade() -> None:
    """Back to 0017. An empty office_setting goes; a change already recorded stays, with its
    triggers and chain link (records are never deleted). The office row keeps its link and its
    triggers: 0017 verifies a chained office row as any other."""
    connection = op.get_bind()
    if connection.exec_driver_sql(f"SELECT COUNT(*) FROM {TABLE}").scalar():
        return
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER {TABLE}_no_{action}")
    op.drop_table(TABLE)
