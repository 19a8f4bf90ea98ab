"""The desks' enrolled signing keys (issue 20, breaker #4): a desk's chain alone has no key, so
anyone holding a copy of its register or an old pack could fabricate a continuation the city
took. Each desk signs its archives' manifests with an Ed25519 key kept beside its register
(services/archive/desk_key.py); the city's administrator enrols the desk's public key, given
out of band (`dutydesk central enrol`), and ingest refuses a pack of an enrolled desk that is
unsigned or signed by another key. Insert-only like every table: a new key (a desk's new
machine) is a new row, the newest one in force; the ingest role may only read it."""

from alembic import op

revision = "c0005"
down_revision = "c0004"
branch_labels = None
depends_on = None

SCHEMA = """
CREATE TABLE desk_key (
    id bigserial PRIMARY KEY,
    office_id text NOT NULL,
    public_key text NOT NULL,
    enrolled_by text NOT NULL,
    reason text NOT NULL,
    enrolled_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX desk_key_office ON desk_key (office_id, id DESC);
CREATE TRIGGER desk_key_no_change BEFORE UPDATE OR DELETE ON desk_key
    FOR EACH ROW EXECUTE FUNCTION central_refuse();
CREATE TRIGGER desk_key_no_truncate BEFORE TRUNCATE ON desk_key
    FOR EACH STATEMENT EXECUTE FUNCTION central_refuse();
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("the central archive keeps its history: no downgrade past c0005")
