"""Ingest throughput (issue 20, session 8): the same checks, done by the set instead of row by row.

Measured on one desk-year (54 weekly archives, 100,071 rows), the server spent 52 s of its 89 s
in `central_store_docs`: each searchable text was checked against its row by a join to the
whole `record` table, which has no index on the archive that brought a row, and the count of
the archive's rows scanned that table again, so each archive cost more than the one before.
The rows this archive stores are the links given, so the texts are now checked against those
(a hash join of two arrays the size of one archive); what is checked is unchanged: every text
the text of a row of this archive, its time that row's time, every gram found in it, one text
for every searched row. Each row's JSON is parsed once, not once per column, and each text
lowered once, not once for each of its grams.

The archives' files (the city keeps the packs) were compressed with pglz, 23 s of the rest:
lz4 where the server has it, an order of magnitude faster at a little less compression.
"""

from alembic import op

revision = "c0006"
down_revision = "c0005"
branch_labels = None
depends_on = None

DOCS = """
-- The searchable texts of the rows this archive stores (its links' rows, never the caller's
-- words), checked as central_store_docs (c0003) checked them against the stored rows.
CREATE FUNCTION central_store_checked_docs(
    desk_id text, sha text, link_kind text[], link_record bigint[], link_payload text[],
    kinds text[], records bigint[], ats timestamptz[], bodies text[], grams text[]
) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    bad text;
BEGIN
    SELECT d.kind || ' ' || d.rec INTO bad
    FROM unnest(kinds, records, ats, bodies, grams) AS d(kind, rec, at, body, grams)
    LEFT JOIN (SELECT l.kind, l.rec, l.payload::jsonb AS data
               FROM unnest(link_kind, link_record, link_payload) AS l(kind, rec, payload)
               WHERE central_doc_at(l.kind) IS NOT NULL) r
           ON r.kind = d.kind AND r.rec = d.rec
    CROSS JOIN LATERAL (SELECT lower(d.body) AS low OFFSET 0) x  -- once a text, not a gram
    WHERE r.data IS NULL OR central_doc_at(d.kind) IS NULL
       OR d.body IS DISTINCT FROM central_doc_body(d.kind, r.data)
       OR (d.at IS NOT NULL AND d.at IS DISTINCT FROM
           (r.data->>central_doc_at(d.kind))::timestamptz)
       OR EXISTS (SELECT 1 FROM unnest(string_to_array(nullif(d.grams, ''), ' ')) g
                  WHERE position(g IN x.low) = 0 AND position(g IN d.body) = 0)
    LIMIT 1;
    IF FOUND OR (SELECT count(*) FROM unnest(link_kind) k WHERE central_doc_at(k) IS NOT NULL)
                <> coalesce(cardinality(kinds), 0) THEN
        RAISE EXCEPTION 'dutydesk central: a searchable text is not its row''s text (%)',
            coalesce(bad, 'one missing');
    END IF;
    INSERT INTO doc (office_id, kind, record_id, at, body, grams, archive_sha)
    SELECT desk_id, d.kind, d.rec, d.at, d.body, string_to_array(nullif(d.grams, ''), ' '), sha
        FROM unnest(kinds, records, ats, bodies, grams) AS d(kind, rec, at, body, grams);
END $$;
"""

INGEST = """
CREATE OR REPLACE FUNCTION central_ingest(
    archive_name text, file_name text[], file_role text[], file_data bytea[],
    link_seq bigint[], link_kind text[], link_record bigint[], link_prev text[],
    link_hash text[], link_payload text[], link_written text[],
    doc_kind text[], doc_record bigint[], doc_at timestamptz[], doc_body text[], doc_grams text[]
) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    checked jsonb := central_checked_manifest(file_name, file_data)
                     || jsonb_build_object('name', archive_name);
    m jsonb := checked->'manifest';
    sha text := checked->>'sha';
    desk_id text := m->>'office_id';
    num integer := (m->>'archive_number')::integer;
    head_seq bigint := (m->'chain_head'->>'seq')::bigint;
    head_hash text := m->'chain_head'->>'hash';
    known record;
    links integer := cardinality(link_seq);
BEGIN
    IF desk_id IS NULL OR desk_id NOT LIKE 'chain:%' OR num IS NULL OR head_seq IS NULL
       OR head_hash IS NULL THEN
        RAISE EXCEPTION 'dutydesk central: the manifest does not name its office, number and head';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(desk_id, 0));
    IF EXISTS (SELECT 1 FROM archive a WHERE a.manifest_sha = sha) THEN
        RETURN 'already';
    END IF;
    PERFORM central_check_links(link_seq, link_kind, link_record, link_prev, link_hash,
                                link_payload);
    SELECT * INTO known FROM central_head(desk_id);
    IF known IS NULL THEN
        IF m->>'content' IS DISTINCT FROM 'full_snapshot' OR links = 0 OR link_seq[1] <> 1
           OR desk_id <> 'chain:' || link_hash[1] THEN
            RAISE EXCEPTION 'dutydesk central: a desk''s first archive must be a full snapshot '
                'from the first link of the chain its office id names';
        END IF;
    ELSIF num <> known.number + 1 OR m->>'previous_manifest' IS DISTINCT FROM known.manifest_sha
          OR (m->>'content' <> 'full_snapshot' AND
              (m->'base_head'->>'seq')::bigint IS DISTINCT FROM known.head_seq)
          OR (links = 0 AND (head_seq, head_hash) <> (known.head_seq, known.head_hash))
          OR (links > 0 AND (link_seq[1] <> known.head_seq + 1
                             OR link_prev[1] <> known.head_hash)) THEN
        RAISE EXCEPTION 'dutydesk central: archive % does not continue the head the city holds '
            '(archive %, link %)', num, known.number, known.head_seq;
    END IF;
    IF links > 0 AND (link_seq[links] <> head_seq OR link_hash[links] <> head_hash) THEN
        RAISE EXCEPTION 'dutydesk central: the manifest''s head is not the last link given';
    END IF;
    PERFORM central_store(checked, file_name, file_role, file_data);
    INSERT INTO link (office_id, seq, kind, record_id, prev_hash, hash, written_at, archive_sha)
    SELECT desk_id, l.seq, l.kind, l.rec, l.prev, l.hash, l.written, sha
        FROM unnest(link_seq, link_kind, link_record, link_prev, link_hash, link_written)
        AS l(seq, kind, rec, prev, hash, written);
    WITH parsed AS MATERIALIZED (
        SELECT l.seq, l.kind, l.rec, l.payload::jsonb AS data
        FROM unnest(link_seq, link_kind, link_record, link_payload) AS l(seq, kind, rec, payload)
    ), stored AS (
        INSERT INTO record (office_id, kind, record_id, seq, data, archive_sha)
        SELECT desk_id, p.kind, p.rec, p.seq, p.data, sha FROM parsed p
    )
    INSERT INTO call (office_id, record_id, received_at, unit, amends_id, archive_sha)
    SELECT desk_id, p.rec, (p.data->>'received_at')::timestamptz,
           coalesce(p.data->>'unit', ''), (p.data->>'amends_id')::bigint, sha
        FROM parsed p WHERE p.kind = 'call_record';
    PERFORM central_store_checked_docs(desk_id, sha, link_kind, link_record, link_payload,
                                       doc_kind, doc_record, doc_at, doc_body, doc_grams);
    RETURN 'ingested';
END $$;
"""

LZ4 = """
DO $$
BEGIN
    ALTER TABLE archive_file ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    NULL;  -- a server built without lz4 keeps pglz
END $$;
"""


def upgrade() -> None:
    for sql in (DOCS, INGEST, LZ4):
        op.execute(sql)
    op.execute("REVOKE ALL ON FUNCTION central_store_checked_docs FROM PUBLIC")


def downgrade() -> None:
    raise NotImplementedError("the central archive keeps its history: no downgrade past c0006")
