"""The central archive's first schema: the desks, the archives ingested (their files kept), the
archives held in quarantine, every desk's chain links and rows, and what search and the report
read (calls and searchable texts). Every table is insert-only: a trigger refuses UPDATE,
DELETE and TRUNCATE, whoever connects (grants to the ingest role are in services/central)."""

from alembic import op

revision = "c0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("desk", "archive", "archive_file", "quarantine", "link", "record", "call", "doc")

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE desk (
    office_id text PRIMARY KEY,
    first_seen timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE archive (
    id bigserial PRIMARY KEY,
    office_id text NOT NULL REFERENCES desk,
    number integer NOT NULL,
    content text NOT NULL,
    name text NOT NULL,
    manifest_sha text NOT NULL UNIQUE,
    previous_sha text,
    created_at timestamptz NOT NULL,
    base_seq bigint,
    base_hash text,
    head_seq bigint NOT NULL,
    head_hash text NOT NULL,
    office text NOT NULL,
    profile_id text,
    profile_name text,
    manifest jsonb NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (office_id, number)
);
CREATE TABLE archive_file (
    manifest_sha text NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (manifest_sha, name)
);
CREATE TABLE quarantine (
    id bigserial PRIMARY KEY,
    office_id text NOT NULL,
    number integer,
    name text NOT NULL,
    manifest_sha text NOT NULL UNIQUE,
    previous_sha text,
    created_at timestamptz,
    base_seq bigint,
    head_seq bigint,
    office text,
    reason text NOT NULL,
    manifest jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quarantine_office ON quarantine (office_id, number);
CREATE TABLE link (
    office_id text NOT NULL,
    seq bigint NOT NULL,
    kind text NOT NULL,
    record_id bigint NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    written_at text,
    PRIMARY KEY (office_id, seq)
);
CREATE TABLE record (
    office_id text NOT NULL,
    kind text NOT NULL,
    record_id bigint NOT NULL,
    seq bigint NOT NULL,
    data jsonb NOT NULL,
    PRIMARY KEY (office_id, seq)  -- the row each link names, as the link found it
);
CREATE INDEX record_kind ON record (kind, office_id, record_id);
CREATE TABLE call (
    office_id text NOT NULL,
    record_id bigint NOT NULL,
    received_at timestamptz NOT NULL,
    unit text NOT NULL,
    amends_id bigint,
    PRIMARY KEY (office_id, record_id)
);
CREATE INDEX call_received ON call (received_at);
CREATE INDEX call_amends ON call (office_id, amends_id) WHERE amends_id IS NOT NULL;
CREATE TABLE doc (
    office_id text NOT NULL,
    kind text NOT NULL,
    record_id bigint NOT NULL,
    at timestamptz,
    body text NOT NULL,
    grams text[] NOT NULL,
    PRIMARY KEY (office_id, kind, record_id)
);
CREATE INDEX doc_body_trgm ON doc USING gin (body gin_trgm_ops);
CREATE INDEX doc_grams ON doc USING gin (grams);
-- newest first: a common term is answered by walking back from the newest texts, a rare one
-- by the GIN indexes (the planner picks by the term's statistics)
CREATE INDEX doc_at ON doc (at DESC NULLS LAST);
CREATE FUNCTION central_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dutydesk central: % is insert-only (% refused)', TG_TABLE_NAME, TG_OP;
END $$;
"""


def upgrade() -> None:
    op.execute(SCHEMA)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION central_refuse()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION central_refuse()"
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION central_refuse()")
