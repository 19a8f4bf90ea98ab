"""Key rotation, retired keys and unenrolled desks (issue 20, breaker #8 of session 8).

Each `desk_key` row now applies from an archive number on (`from_number`): an archive is checked
against the key in force for ITS number (the row with the greatest `from_number` not past it,
the newest of equal ones), so a genuine archive signed with the old key before a rotation, and
arriving late, is still taken, and one signed with the old key after it is refused. Two more
kinds of row, insert-only like the rest: `retired` (the key named is refused for archives from
`from_number` on: a compromised key) and `unsigned` (archives `from_number`..`until_number` of a
desk made before signing existed may come unsigned: the administrator's explicit choice for a
legacy desk). `central_setting` holds the city's insert-only settings, the newest row of a name
in force: `unenrolled` = `hold` (the default, also with no row) or `accept`."""

from alembic import op

revision = "c0010"
down_revision = "c0009"
branch_labels = None
depends_on = None

SCHEMA = """
ALTER TABLE desk_key ALTER COLUMN public_key DROP NOT NULL;
ALTER TABLE desk_key ADD COLUMN kind text NOT NULL DEFAULT 'key'
    CHECK (kind IN ('key', 'retired', 'unsigned'));
ALTER TABLE desk_key ADD COLUMN from_number bigint NOT NULL DEFAULT 1 CHECK (from_number >= 1);
ALTER TABLE desk_key ADD COLUMN until_number bigint
    CHECK (until_number IS NULL OR until_number >= from_number);
ALTER TABLE desk_key ADD CONSTRAINT desk_key_shape CHECK (
    (kind = 'unsigned' AND public_key IS NULL AND until_number IS NOT NULL)
    OR (kind <> 'unsigned' AND public_key IS NOT NULL AND until_number IS NULL));

CREATE TABLE central_setting (
    id bigserial PRIMARY KEY,
    name text NOT NULL CHECK (name IN ('unenrolled')),
    value text NOT NULL,
    set_by text NOT NULL,
    reason text NOT NULL,
    set_at timestamptz NOT NULL DEFAULT now(),
    CHECK (name <> 'unenrolled' OR value IN ('hold', 'accept'))
);
CREATE INDEX central_setting_name ON central_setting (name, id DESC);
CREATE TRIGGER central_setting_no_change BEFORE UPDATE OR DELETE ON central_setting
    FOR EACH ROW EXECUTE FUNCTION central_refuse();
CREATE TRIGGER central_setting_no_truncate BEFORE TRUNCATE ON central_setting
    FOR EACH STATEMENT EXECUTE FUNCTION central_refuse();

-- c0003's quarantine reasons, and "desk not enrolled" (an archive the city has no key for).
CREATE OR REPLACE FUNCTION central_reason(reason jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public AS $$
BEGIN
    IF jsonb_typeof(reason) IS DISTINCT FROM 'object'
       OR reason->>'key' IS NULL OR reason->>'key' NOT IN (
           'q_no_start', 'q_fork', 'q_gap', 'q_not_continuing', 'q_rewritten',
           'q_conflict', 'q_conflict_pending', 'q_not_enrolled')
       OR EXISTS (SELECT 1 FROM jsonb_object_keys(reason) k WHERE k NOT IN ('key', 'params'))
       OR jsonb_typeof(coalesce(reason->'params', '{}')) <> 'object'
       OR EXISTS (SELECT 1 FROM jsonb_each(coalesce(reason->'params', '{}')) p
                  WHERE p.key !~ '^[a-z_]{1,20}$' OR NOT (jsonb_typeof(p.value) = 'number'
                        OR (jsonb_typeof(p.value) = 'string' AND p.value #>> '{}' ~ '^[0-9a-f]{0,64}$')))
    THEN
        RAISE EXCEPTION 'dutydesk central: not a reason the desk''s catalogue knows';
    END IF;
    RETURN jsonb_build_object('key', reason->'key', 'params', coalesce(reason->'params', '{}'));
END $$;
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    raise NotImplementedError("the central archive keeps its history: no downgrade past c0010")
