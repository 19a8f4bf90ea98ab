"""A held archive is checked as an ingested one is (the breaker's findings, session 7).

`central_hold` took a hand-written manifest with no files and a made-up head, and if it named
a held archive as its predecessor it was recorded as a conflict: the desk's genuine archive
was set aside and its head moved back. Now the hold takes the archive's links too and checks
them as `central_ingest` does (the manifest's hash, the files against it, every link
re-hashed, the manifest's head the last link); one that would start a conflict must also
continue the fork point (the next number, from its head: a pack's first link names it, a full
snapshot's chain holds it, as its first link names the office). What it does not, is refused
with nothing stored. The reason stored is a key of the catalogue with plain values only, and
a conflict's is built here.

`central_check_links` let a blanked PIN row (its hash and salt emptied: roster.redact_pins)
pass with any hash, so a forged first link could take a desk's office id. As `dutydesk
verify` does (verify._redacted: only before the archive's head), a blanked PIN row is let
pass only where its neighbours vouch for it: never the desk's first link (it fixes the
office id), never the last link given (no successor covers its hash).
"""

from alembic import op

revision = "c0003"
down_revision = "c0002"
branch_labels = None
depends_on = None

CHECKS = """
CREATE OR REPLACE FUNCTION central_check_links(
    seqs bigint[], kinds text[], records bigint[], prevs text[], hashes text[], payloads text[]
) RETURNS void LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public AS $$
DECLARE
    bad bigint;
BEGIN
    IF cardinality(seqs) IS DISTINCT FROM cardinality(hashes) THEN
        RAISE EXCEPTION 'dutydesk central: the links are not given whole';
    END IF;
    SELECT l.seq INTO bad
    FROM unnest(seqs, kinds, records, prevs, hashes, payloads) WITH ORDINALITY
         AS l(seq, kind, rec, prev, hash, payload, i)
    WHERE l.seq IS DISTINCT FROM seqs[1] + l.i - 1
       OR (l.i > 1 AND l.prev IS DISTINCT FROM hashes[l.i - 1])
       OR (l.hash IS DISTINCT FROM encode(sha256(convert_to(
               l.seq || E'\\n' || l.kind || E'\\n' || l.rec || E'\\n' || l.prev || E'\\n'
               || l.payload, 'UTF8')), 'hex')
           AND NOT (l.kind = 'person_pin' AND l.payload::jsonb->>'pin_hash' = ''
                    AND l.payload::jsonb->>'salt' = ''
                    AND l.seq > 1 AND l.i < cardinality(seqs)))
    ORDER BY l.i LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'dutydesk central: link % does not chain (its hash, its predecessor '
            'or its place)', bad;
    END IF;
END $$;
"""

REASON = """
-- A quarantine reason as the desk's catalogue shows it: a known key, values plain numbers or
-- short hex (a head's hash); anything else is refused.
CREATE FUNCTION central_reason(reason jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public AS $$
BEGIN
    IF jsonb_typeof(reason) IS DISTINCT FROM 'object'
       OR reason->>'key' IS NULL OR reason->>'key' NOT IN (
           'q_no_start', 'q_fork', 'q_gap', 'q_not_continuing', 'q_rewritten',
           'q_conflict', 'q_conflict_pending')
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

-- Whether the archive (its manifest and its checked links) continues the archive `fork`.
CREATE FUNCTION central_continues(
    m jsonb, fork_number integer, fork_seq bigint, fork_hash text,
    seqs bigint[], prevs text[], hashes text[]
) RETURNS boolean LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
    SELECT (m->>'archive_number')::integer = fork_number + 1 AND CASE
        WHEN m->>'content' = 'full_snapshot' THEN
            coalesce(cardinality(seqs), 0) >= fork_seq AND hashes[fork_seq] = fork_hash
        WHEN coalesce(cardinality(seqs), 0) = 0 THEN
            (m->'base_head'->>'seq')::bigint = fork_seq
            AND (m->'chain_head'->>'seq')::bigint = fork_seq
            AND m->'chain_head'->>'hash' = fork_hash
        ELSE (m->'base_head'->>'seq')::bigint = fork_seq
            AND seqs[1] = fork_seq + 1 AND prevs[1] = fork_hash
    END IS TRUE
$$;
"""

HOLD = """
DROP FUNCTION central_hold(text, text[], text[], bytea[], jsonb);
CREATE FUNCTION central_hold(
    archive_name text, file_name text[], file_role text[], file_data bytea[],
    link_seq bigint[], link_kind text[], link_record bigint[], link_prev text[],
    link_hash text[], link_payload text[], reason jsonb
) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    checked jsonb := central_checked_manifest(file_name, file_data);
    m jsonb := checked->'manifest';
    sha text := checked->>'sha';
    desk_id text := m->>'office_id';
    head_seq bigint := (m->'chain_head'->>'seq')::bigint;
    head_hash text := m->'chain_head'->>'hash';
    links integer := coalesce(cardinality(link_seq), 0);
    told jsonb := central_reason(reason);
    fork record;
BEGIN
    IF desk_id IS NULL OR desk_id NOT LIKE 'chain:%' OR (m->>'archive_number')::integer IS NULL
       OR head_seq IS NULL OR head_hash IS NULL THEN
        RAISE EXCEPTION 'dutydesk central: the manifest does not name its office, number and head';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(desk_id, 0));
    IF EXISTS (SELECT 1 FROM quarantine q WHERE q.manifest_sha = sha) THEN
        RETURN 'already';
    END IF;
    PERFORM central_check_links(link_seq, link_kind, link_record, link_prev, link_hash,
                                link_payload);
    IF (links > 0 AND (link_seq[links] <> head_seq OR link_hash[links] <> head_hash))
       OR (m->>'content' = 'full_snapshot' AND (links = 0 OR link_seq[1] <> 1
           OR desk_id <> 'chain:' || link_hash[1])) THEN
        RAISE EXCEPTION 'dutydesk central: the archive''s links are not its manifest''s chain';
    END IF;
    SELECT f.number, f.head_seq, f.head_hash INTO fork FROM archive f
    WHERE f.office_id = desk_id AND f.manifest_sha = m->>'previous_manifest'
      AND EXISTS (SELECT 1 FROM archive a WHERE a.office_id = desk_id
                  AND a.previous_sha = f.manifest_sha AND a.manifest_sha <> sha)
    LIMIT 1;
    IF FOUND THEN
        IF NOT central_continues(m, fork.number, fork.head_seq, fork.head_hash,
                                 link_seq, link_prev, link_hash) THEN
            RAISE EXCEPTION 'dutydesk central: archive % does not continue the archive it forks '
                'from (archive %, link %)', m->>'archive_number', fork.number, fork.head_seq;
        END IF;
        told := jsonb_build_object('key', 'q_conflict',
                                   'params', jsonb_build_object('number', fork.number + 1));
    END IF;
    INSERT INTO quarantine (office_id, number, name, manifest_sha, previous_sha, created_at,
        base_seq, head_seq, office, reason, manifest)
    VALUES (desk_id, (m->>'archive_number')::integer,
        archive_name, sha, m->>'previous_manifest',
        (m->>'created_at')::timestamptz, (m->'base_head'->>'seq')::bigint,
        head_seq, coalesce(m->>'office', ''), told::text, m);
    PERFORM central_store_files(sha, file_name, file_role, file_data);
    PERFORM central_note_conflict(sha);
    RETURN 'held';
END $$;
"""

DOCS = """
-- The searchable text of a stored row as services/central/store.py SEARCHED makes it: its
-- texts that are not empty, joined by a space; and the column of the time it is shown at.
CREATE FUNCTION central_doc_body(kind text, data jsonb) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
    SELECT array_to_string(ARRAY(
        SELECT t.text FROM unnest(CASE kind
            WHEN 'call_record' THEN ARRAY[data->>'caller', data->>'unit', data->>'phone',
                                          data->>'summary', data->>'handling', data->>'place']
            WHEN 'incident' THEN ARRAY[data->>'place', data->>'summary', data->>'scope',
                                       data->>'measures', data->>'source_unit']
            END) WITH ORDINALITY AS t(text, i)
        WHERE t.text <> '' ORDER BY t.i), ' ')
$$;

CREATE FUNCTION central_doc_at(kind text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
    SELECT CASE kind WHEN 'call_record' THEN 'received_at' WHEN 'incident' THEN 'occurred_at' END
$$;

-- The searchable texts: each the text of the row this archive stored (never the caller's
-- words), its grams each found in that text, one for every searched row.
CREATE OR REPLACE FUNCTION central_store_docs(
    desk_id text, sha text, link_kind text[], link_record bigint[],
    kinds text[], records bigint[], ats timestamptz[], bodies text[], grams text[]
) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    bad text;
BEGIN
    SELECT d.kind || ' ' || d.rec INTO bad
    FROM unnest(kinds, records, ats, bodies, grams) AS d(kind, rec, at, body, grams)
    LEFT JOIN record r ON r.office_id = desk_id AND r.archive_sha = sha
                      AND r.kind = d.kind AND r.record_id = d.rec
    WHERE r.data IS NULL OR central_doc_at(d.kind) IS NULL
       OR d.body IS DISTINCT FROM central_doc_body(d.kind, r.data)
       OR (d.at IS NOT NULL AND d.at IS DISTINCT FROM
           (r.data->>central_doc_at(d.kind))::timestamptz)
       OR EXISTS (SELECT 1 FROM unnest(string_to_array(nullif(d.grams, ''), ' ')) g
                  WHERE position(g IN lower(d.body)) = 0 AND position(g IN d.body) = 0)
    LIMIT 1;
    IF FOUND OR (SELECT count(*) FROM record r WHERE r.office_id = desk_id
                 AND r.archive_sha = sha AND central_doc_at(r.kind) IS NOT NULL)
                <> coalesce(cardinality(kinds), 0) THEN
        RAISE EXCEPTION 'dutydesk central: a searchable text is not its row''s text (%)',
            coalesce(bad, 'one missing');
    END IF;
    INSERT INTO doc (office_id, kind, record_id, at, body, grams, archive_sha)
    SELECT desk_id, d.kind, d.rec, d.at, d.body, string_to_array(nullif(d.grams, ''), ' '), sha
        FROM unnest(kinds, records, ats, bodies, grams) AS d(kind, rec, at, body, grams);
END $$;
"""


def upgrade() -> None:
    for sql in (CHECKS, REASON, HOLD, DOCS):
        op.execute(sql)
    for name in (
        "central_reason",
        "central_continues",
        "central_hold",
        "central_doc_body",
        "central_doc_at",
    ):
        op.execute(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")


def downgrade() -> None:
    raise NotImplementedError("the central archive keeps its history: no downgrade past c0003")
