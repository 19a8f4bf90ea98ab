"""Search and the quarterly report at city scale (issue 20: search p99 < 50 ms, report < 2 s).

**Search.** The GIN index of the texts' grams answered "which texts hold these grams" for the
whole year at once, so a term in 0.1-0.5% of two million texts (a phone fragment such as 1389,
two words seldom together such as 停电 白沙镇) cost thousands of heap pages spread over the year
to find the newest 50, and a common gram's entries (停电: 200,000) had to be read only to be
ANDed with a rarer one. The grams are now indexed with the fortnight of the text's time before
each (`1487:停电`): search asks the newest fortnight first, then older ones, and stops once it
has its hits, so it reads a fortnight's entries and matches, not the year's. The year-wide
question is the same index asked for every fortnight at once. The old index (`doc_grams`) is
dropped: nothing else reads it, and ingest would keep two GIN indexes of the same size.

**Report.** The calls of a quarter (~500,000 in a city) were read and counted at every report.
`call_day` holds each archive's calls counted per desk, unit and day (China's date), written by
a statement trigger on `call` in the transaction that stores them (every `INSERT INTO call`,
whichever function makes it), insert-only like every table. The report sums the days of its
period, leaving out set-aside archives by `archive_sha` as before, and subtracts the calls
that have an amendment (few: read through `call_amends`), so the figures are the same.
"""

from alembic import op

revision = "c0009"
down_revision = "c0007"
branch_labels = None
depends_on = None

FORTNIGHT = 14 * 86_400  # seconds; services/central/search.py asks fortnight by fortnight

PREFIX = (
    f"coalesce(floor(pg_catalog.date_part('epoch', at) / {FORTNIGHT})::bigint::text || ':', 'n:')"
)
DATED = f"""
-- The fortnight a text's time falls in (seconds since the epoch / 14 days, floored); NULL
-- for a text without a time. The epoch does not depend on the time zone: immutable.
CREATE FUNCTION central_fortnight(at timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT floor(pg_catalog.date_part('epoch', at) / {FORTNIGHT})::bigint
$$;

-- Each gram with its text's fortnight before it ('1487:停电'; 'n:停电' without a time).
-- Plain SQL without SET and calling only pg_catalog, so that the planner inlines it whatever
-- the search_path (index build and ingest: ~17 µs a text).
CREATE FUNCTION central_dated_grams(at timestamptz, grams text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.string_to_array({PREFIX} || pg_catalog.array_to_string(grams, ' ' || {PREFIX}), ' ')
$$;

SET LOCAL maintenance_work_mem = '256MB';
CREATE INDEX doc_dated_grams ON doc USING gin (central_dated_grams(at, grams));
DROP INDEX IF EXISTS doc_grams;
"""

CALL_DAYS = """
CREATE TABLE call_day (
    archive_sha text NOT NULL,
    office_id text NOT NULL,
    unit text NOT NULL,
    day date NOT NULL,
    calls bigint NOT NULL
);
CREATE INDEX call_day_day ON call_day (day);
CREATE TRIGGER call_day_no_change BEFORE UPDATE OR DELETE ON call_day
    FOR EACH ROW EXECUTE FUNCTION central_refuse();
CREATE TRIGGER call_day_no_truncate BEFORE TRUNCATE ON call_day
    FOR EACH STATEMENT EXECUTE FUNCTION central_refuse();

INSERT INTO call_day (archive_sha, office_id, unit, day, calls)
SELECT c.archive_sha, c.office_id, c.unit, (c.received_at AT TIME ZONE 'Asia/Shanghai')::date,
       count(*)
FROM call c GROUP BY 1, 2, 3, 4;

-- The calls an INSERT stored, counted (in the same transaction: ingest's or nobody's).
CREATE FUNCTION central_count_calls() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO call_day (archive_sha, office_id, unit, day, calls)
    SELECT c.archive_sha, c.office_id, c.unit,
           (c.received_at AT TIME ZONE 'Asia/Shanghai')::date, count(*)
    FROM added c GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION central_count_calls FROM PUBLIC;
CREATE TRIGGER call_counted AFTER INSERT ON call REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION central_count_calls();
"""


def upgrade() -> None:
    op.execute(DATED)
    op.execute(CALL_DAYS)
    op.execute("ANALYZE call_day")


def downgrade() -> None:
    raise NotImplementedError("the central archive keeps its history: no downgrade past c0009")
