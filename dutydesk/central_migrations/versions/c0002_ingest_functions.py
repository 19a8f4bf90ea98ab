"""Ingest only through functions that check what they store (the breaker's finding: the ingest
role could INSERT a forged head, an office's name, or a row into central_version).

`central_ingest` and `central_hold` are SECURITY DEFINER functions owned by the schema's owner,
with a fixed search_path; the ingest role gets EXECUTE on them and SELECT on the tables, no
INSERT anywhere (services/central/schema.py GRANTS). What the database can work out, it works
out itself rather than trusting the caller: the manifest's SHA-256 from its bytes, every file
against the digest its manifest lists, every link's hash from its predecessor's and the row
it covers (the desk's audit.link_hash), the chain's continuity from the head the city holds,
the office's stable id from the chain's first link, the stored head from the last link.

Forks held for a person to decide (issue 20): two archives that continue the same archive
differently are a conflict. Neither branch advances the desk's head past the fork point until
a person keeps one (`dutydesk central resolve`, an insert-only `resolution` row); the other
branch is then set aside: its rows stay (nothing is ever deleted) but search, the report,
the head and the anchors leave them out.

Both branches' rows must be storable, so each stored row names the archive that brought it
(`archive_sha`; '' for rows stored before this revision) and is keyed by it too. Which
archives are set aside is worked out from the conflicts alone (`central_set_aside`), so a
city without conflicts pays nothing for it.
"""

from alembic import op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None

KEYS = {  # table: its key, now with the archive that brought the row
    "link": "office_id, seq",
    "record": "office_id, seq",
    "call": "office_id, record_id",
    "doc": "office_id, kind, record_id",
}

FORK_TABLES = """
ALTER TABLE archive DROP CONSTRAINT archive_office_id_number_key;
CREATE INDEX archive_office_number ON archive (office_id, number);
CREATE INDEX archive_previous ON archive (office_id, previous_sha);
CREATE TABLE conflict (
    id bigserial PRIMARY KEY,
    office_id text NOT NULL,
    fork_sha text NOT NULL,     -- the archive both continue
    number integer NOT NULL,
    first_sha text NOT NULL,    -- the one held first
    second_sha text NOT NULL,   -- the one that came after it
    found_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (first_sha, second_sha)
);
CREATE TABLE resolution (
    id bigserial PRIMARY KEY,
    conflict_id bigint NOT NULL UNIQUE REFERENCES conflict,
    keep_sha text NOT NULL,
    decided_by text NOT NULL CHECK (length(btrim(decided_by)) > 0),
    reason text NOT NULL CHECK (length(btrim(reason)) > 0),
    decided_at timestamptz NOT NULL DEFAULT now()
);
"""

HEAD = """
-- The archives set aside: past a fork not yet decided, every successor of the fork point and
-- what follows them; past a decided one, the successors other than the one the latest decision kept, and what follows them.
CREATE FUNCTION central_set_aside()
RETURNS TABLE (office_id text, manifest_sha text)
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    WITH RECURSIVE forks AS (
        SELECT DISTINCT c.office_id, c.fork_sha FROM conflict c
    ), aside(office_id, manifest_sha) AS (
        SELECT a.office_id, a.manifest_sha FROM forks f
        JOIN archive a ON a.office_id = f.office_id AND a.previous_sha = f.fork_sha
        WHERE EXISTS (SELECT 1 FROM conflict o WHERE o.office_id = f.office_id
                      AND o.fork_sha = f.fork_sha
                      AND NOT EXISTS (SELECT 1 FROM resolution p WHERE p.conflict_id = o.id))
           OR a.manifest_sha IS DISTINCT FROM (
                SELECT r.keep_sha FROM conflict k JOIN resolution r ON r.conflict_id = k.id
                WHERE k.office_id = f.office_id AND k.fork_sha = f.fork_sha
                ORDER BY r.id DESC LIMIT 1)
        UNION
        SELECT a.office_id, a.manifest_sha FROM archive a
        JOIN aside s ON a.office_id = s.office_id AND a.previous_sha = s.manifest_sha
    )
    SELECT office_id, manifest_sha FROM aside
$$;

CREATE FUNCTION central_head(desk_id text)
RETURNS TABLE (number integer, manifest_sha text, head_seq bigint, head_hash text, name text)
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT a.number, a.manifest_sha, a.head_seq, a.head_hash, a.name FROM archive a
    WHERE a.office_id = desk_id AND a.manifest_sha NOT IN (
        SELECT s.manifest_sha FROM central_set_aside() s WHERE s.office_id = desk_id)
    ORDER BY a.number DESC LIMIT 1
$$;

-- What search and the report read: the rows of the archives not set aside.
CREATE VIEW live_record AS SELECT * FROM record
    WHERE archive_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s);
CREATE VIEW live_call AS SELECT * FROM call
    WHERE archive_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s);

-- The conflicts of a desk not yet decided.
CREATE FUNCTION central_pending(desk_id text) RETURNS SETOF conflict
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
    SELECT c.* FROM conflict c WHERE c.office_id = desk_id
    AND NOT EXISTS (SELECT 1 FROM resolution r WHERE r.conflict_id = c.id)
    ORDER BY c.id
$$;
"""

RESOLVE = """
-- A person's decision: of the conflict whose two archives include `keep`, keep that one.
CREATE FUNCTION central_resolve(desk_id text, keep text, decided_by text, reason text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    found_id bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(desk_id, 0));
    SELECT c.id INTO found_id FROM central_pending(desk_id) c
    WHERE keep IN (c.first_sha, c.second_sha) ORDER BY c.id LIMIT 1;
    IF found_id IS NULL THEN
        RAISE EXCEPTION 'dutydesk central: no undecided conflict of this desk holds %', keep
            USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO resolution (conflict_id, keep_sha, decided_by, reason)
    VALUES (found_id, keep, decided_by, reason);
    RETURN found_id;
END $$;
"""

HOLD_CONFLICT = """
-- After an archive is held: if it continues an archive the city holds, whose successor at the
-- same place is another archive, that is a conflict (worked out here, not told by the caller).
CREATE FUNCTION central_note_conflict(sha text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, public AS $$
    INSERT INTO conflict (office_id, fork_sha, number, first_sha, second_sha)
    SELECT q.office_id, q.previous_sha, q.number, a.manifest_sha, q.manifest_sha
    FROM quarantine q
    JOIN archive f ON f.office_id = q.office_id AND f.manifest_sha = q.previous_sha
    JOIN archive a ON a.office_id = q.office_id AND a.previous_sha = q.previous_sha
    WHERE q.manifest_sha = sha AND a.manifest_sha <> sha
    ON CONFLICT DO NOTHING
$$;
"""


FILES = """
-- The manifest (its bytes, parsed) and every file it lists, with the digest it lists.
CREATE FUNCTION central_checked_manifest(names text[], datas bytea[])
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public AS $$
DECLARE
    raw bytea;
    manifest jsonb;
    entry jsonb;
    found bytea;
BEGIN
    IF cardinality(names) <> cardinality(datas) OR
       cardinality(names) <> (SELECT count(DISTINCT n) FROM unnest(names) n) THEN
        RAISE EXCEPTION 'dutydesk central: files given twice or without their data';
    END IF;
    SELECT f.data INTO raw FROM unnest(names, datas) AS f(name, data)
    WHERE f.name = 'manifest.json';
    IF raw IS NULL THEN
        RAISE EXCEPTION 'dutydesk central: the archive has no manifest';
    END IF;
    manifest := convert_from(raw, 'UTF8')::jsonb;
    IF jsonb_typeof(manifest->'files') IS DISTINCT FROM 'array' OR
       cardinality(names) <> jsonb_array_length(manifest->'files') + 1 THEN
        RAISE EXCEPTION 'dutydesk central: the files given are not the files the manifest lists';
    END IF;
    FOR entry IN SELECT jsonb_array_elements(manifest->'files') LOOP
        SELECT f.data INTO found FROM unnest(names, datas) AS f(name, data)
        WHERE f.name = entry->>'name';
        IF found IS NULL OR encode(sha256(found), 'hex') IS DISTINCT FROM entry->>'sha256' THEN
            RAISE EXCEPTION 'dutydesk central: file % does not match its manifest',
                entry->>'name';
        END IF;
    END LOOP;
    RETURN jsonb_build_object('manifest', manifest, 'sha', encode(sha256(raw), 'hex'));
END $$;
"""

INGEST = """
CREATE FUNCTION central_ingest(
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
    INSERT INTO record (office_id, kind, record_id, seq, data, archive_sha)
    SELECT desk_id, l.kind, l.rec, l.seq, l.payload::jsonb, sha
        FROM unnest(link_seq, link_kind, link_record, link_payload) AS l(seq, kind, rec, payload);
    INSERT INTO call (office_id, record_id, received_at, unit, amends_id, archive_sha)
    SELECT desk_id, l.rec, (l.payload::jsonb->>'received_at')::timestamptz,
            coalesce(l.payload::jsonb->>'unit', ''), (l.payload::jsonb->>'amends_id')::bigint, sha
        FROM unnest(link_kind, link_record, link_payload) AS l(kind, rec, payload)
        WHERE l.kind = 'call_record';
    PERFORM central_store_docs(desk_id, sha, link_kind, link_record, doc_kind, doc_record, doc_at,
                               doc_body, doc_grams);
    RETURN 'ingested';
END $$;
"""

CHECKS = """
-- Every link's hash as the desk's audit.link_hash makes it, each naming its predecessor's, the
-- sequence numbers without a gap. Raises on the first that does not hold. A PIN row whose hash
-- and salt an archive blanked (PIN hashes never leave the register: roster.redact_pins) cannot
-- be hashed again; its link still names its predecessor and is named by its successor, as
-- `dutydesk verify` counts such rows ("redacted") rather than failing them.
CREATE FUNCTION central_check_links(
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
                    AND l.payload::jsonb->>'salt' = ''))
    ORDER BY l.i LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'dutydesk central: link % does not chain (its hash, its predecessor '
            'or its place)', bad;
    END IF;
END $$;

-- The archive's row, from its manifest (never from the caller), and its files, once.
CREATE FUNCTION central_store(checked jsonb, names text[], roles text[], datas bytea[])
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    m jsonb := checked->'manifest';
BEGIN
    INSERT INTO desk (office_id) VALUES (m->>'office_id') ON CONFLICT DO NOTHING;
    INSERT INTO archive (office_id, number, content, name, manifest_sha, previous_sha,
        created_at, base_seq, base_hash, head_seq, head_hash, office, profile_id, profile_name,
        manifest)
    VALUES (m->>'office_id', (m->>'archive_number')::integer, coalesce(m->>'content', 'full_snapshot'),
        checked->>'name', checked->>'sha',
        m->>'previous_manifest', (m->>'created_at')::timestamptz,
        (m->'base_head'->>'seq')::bigint, m->'base_head'->>'hash',
        (m->'chain_head'->>'seq')::bigint, m->'chain_head'->>'hash', coalesce(m->>'office', ''),
        m->'profile'->>'id', m->'profile'->>'name', m);
    PERFORM central_store_files(checked->>'sha', names, roles, datas);
END $$;

CREATE FUNCTION central_store_files(sha text, names text[], roles text[], datas bytea[])
RETURNS void LANGUAGE sql SET search_path = pg_catalog, public AS $$
    INSERT INTO archive_file
    SELECT sha, f.name, CASE WHEN f.name = 'manifest.json' THEN 'manifest' ELSE f.role END, f.data
    FROM unnest(names, roles, datas) AS f(name, role, data)
    WHERE NOT EXISTS (SELECT 1 FROM archive_file x WHERE x.manifest_sha = sha)
$$;

-- The searchable texts, each of a row this archive's links name.
CREATE FUNCTION central_store_docs(
    desk_id text, sha text, link_kind text[], link_record bigint[],
    kinds text[], records bigint[], ats timestamptz[], bodies text[], grams text[]
) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM unnest(kinds, records) AS d(kind, rec) WHERE NOT EXISTS (
            SELECT 1 FROM unnest(link_kind, link_record) AS l(kind, rec)
            WHERE l.kind = d.kind AND l.rec = d.rec)) THEN
        RAISE EXCEPTION 'dutydesk central: a searchable text names no row of the archive';
    END IF;
    INSERT INTO doc (office_id, kind, record_id, at, body, grams, archive_sha)
    SELECT desk_id, d.kind, d.rec, d.at, d.body, string_to_array(nullif(d.grams, ''), ' '), sha
        FROM unnest(kinds, records, ats, bodies, grams) AS d(kind, rec, at, body, grams);
END $$;
"""

HOLD = """
-- An archive held in quarantine: its manifest and files (checked against each other); the
-- reason is the caller's (a key of the catalogue and its values).
CREATE FUNCTION central_hold(archive_name text, file_name text[], file_role text[], file_data bytea[], reason jsonb)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    checked jsonb := central_checked_manifest(file_name, file_data);
    m jsonb := checked->'manifest';
    sha text := checked->>'sha';
BEGIN
    IF m->>'office_id' IS NULL OR m->>'office_id' NOT LIKE 'chain:%' THEN
        RAISE EXCEPTION 'dutydesk central: the manifest does not name its office';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(m->>'office_id', 0));
    IF EXISTS (SELECT 1 FROM quarantine q WHERE q.manifest_sha = sha) THEN
        RETURN 'already';
    END IF;
    INSERT INTO quarantine (office_id, number, name, manifest_sha, previous_sha, created_at,
        base_seq, head_seq, office, reason, manifest)
    VALUES (m->>'office_id', (m->>'archive_number')::integer,
        archive_name, sha, m->>'previous_manifest',
        (m->>'created_at')::timestamptz, (m->'base_head'->>'seq')::bigint,
        (m->'chain_head'->>'seq')::bigint, coalesce(m->>'office', ''), reason::text, m);
    PERFORM central_store_files(sha, file_name, file_role, file_data);
    PERFORM central_note_conflict(sha);
    RETURN 'held';
END $$;
"""

FUNCTIONS = (  # each name is one function: no overloads
    "central_set_aside", "central_pending", "central_resolve", "central_note_conflict",
    "central_head", "central_checked_manifest", "central_check_links", "central_store",
    "central_store_files", "central_store_docs", "central_ingest", "central_hold",
)  # fmt: skip


def _rekey() -> None:
    for table, key in KEYS.items():
        op.execute(f"ALTER TABLE {table} ADD COLUMN archive_sha text NOT NULL DEFAULT ''")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN archive_sha DROP DEFAULT")
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
        op.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({key}, archive_sha)")


def upgrade() -> None:
    op.execute(FORK_TABLES)
    for table in ("conflict", "resolution"):
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION central_refuse()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION central_refuse()"
        )
    _rekey()
    for sql in (HEAD, RESOLVE, HOLD_CONFLICT, FILES, CHECKS, INGEST, HOLD):
        op.execute(sql)
    for name in FUNCTIONS:  # nobody but the owner, until schema.py grants some to the ingest role
        op.execute(f"REVOKE ALL ON FUNCTION {name} FROM PUBLIC")


def downgrade() -> None:
    raise NotImplementedError("the central archive keeps its history: no downgrade past c0002")
