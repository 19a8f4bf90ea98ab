"""A held archive's signature (issue 20, breaker #3): the city keeps the files a manifest lists,
not the `manifest.sig` beside them, so an archive held in quarantine before its desk was
enrolled was released unchecked once the gap before it was filled, a forged pack included.
The signature the archive came with is now kept beside the held archive (insert-only, one per
held manifest) and checked again, against the key in force, when it is released. The ingest
role writes it only through `central_hold_signature`, for an archive already held."""

from alembic import op

revision = "c0007"
down_revision = "c0006"
branch_labels = None
depends_on = None

SCHEMA = """
CREATE TABLE quarantine_signature (
    manifest_sha text PRIMARY KEY REFERENCES quarantine (manifest_sha),
    signature bytea NOT NULL CHECK (octet_length(signature) <= 4096),
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER quarantine_signature_no_change BEFORE UPDATE OR DELETE ON quarantine_signature
    FOR EACH ROW EXECUTE FUNCTION central_refuse();
CREATE TRIGGER quarantine_signature_no_truncate BEFORE TRUNCATE ON quarantine_signature
    FOR EACH STATEMENT EXECUTE FUNCTION central_refuse();

-- The signature an archive held in quarantine came with; the first one kept (a signature is
-- checked on release, so one given later by anybody else can only keep the archive held).
CREATE FUNCTION central_hold_signature(sha text, signature bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.manifest_sha = sha) THEN
        RAISE EXCEPTION 'dutydesk central: no archive % is held', sha;
    END IF;
    INSERT INTO quarantine_signature (manifest_sha, signature) VALUES (sha, signature)
    ON CONFLICT (manifest_sha) DO NOTHING;
END $$;
REVOKE ALL ON FUNCTION central_hold_signature FROM PUBLIC;
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("the central archive keeps its history: no downgrade past c0007")
