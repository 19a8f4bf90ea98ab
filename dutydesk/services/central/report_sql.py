"""The report's queries (services/central/report.py). Each reads the rows as the desks stored
them (record.data, JSON; live_record and live_call leave out a fork's branch set aside); periods are `%(start)s` to `%(end)s`, dates in the session's time
zone (China's), both included."""

IN_PERIOD = "BETWEEN %(start)s::date::timestamptz AND (%(end)s::date + 1)::timestamptz - interval '1 microsecond'"

DESKS = """
SELECT d.office_id, (SELECT a.office FROM archive a WHERE a.office_id = d.office_id
                     ORDER BY a.number DESC LIMIT 1)
FROM desk d
"""

# The period's calls per desk and per unit (GROUPING(unit) = 1: a desk's row), counted as the
# desk counts them: a corrected call once, its newest version. The archives' calls are summed
# from `call_day` (each archive's calls per desk, unit and day, written with them: central
# migration c0009) and the calls that have an amendment taken off (few: through call_amends).
LIVE_DAYS = "t.archive_sha NOT IN (SELECT s.manifest_sha FROM central_set_aside() s)"
CALLS = f"""SELECT GROUPING(t.unit) = 1, coalesce(t.office_id, t.unit), sum(t.calls)
FROM call_day t WHERE t.day BETWEEN %(start)s::date AND %(end)s::date AND {LIVE_DAYS}
GROUP BY GROUPING SETS ((t.office_id), (t.unit))"""
AMENDED_CALLS = f"""SELECT GROUPING(c.unit) = 1, coalesce(c.office_id, c.unit), count(*)
FROM live_call c WHERE c.received_at {IN_PERIOD} AND (c.office_id, c.record_id) IN (
    SELECT n.office_id, n.amends_id FROM live_call n WHERE n.amends_id IS NOT NULL)
GROUP BY GROUPING SETS ((c.office_id), (c.unit))"""
# what the two above give together: every call of the period read (the query before c0009;
# tests/test_central_report_days.py compares the two)
CALLS_READ = f"""SELECT GROUPING(c.unit) = 1, coalesce(c.office_id, c.unit), count(*)
FROM live_call c WHERE c.received_at {IN_PERIOD} AND NOT EXISTS (
    SELECT 1 FROM live_call n WHERE n.office_id = c.office_id AND n.amends_id = c.record_id)
GROUP BY GROUPING SETS ((c.office_id), (c.unit))"""

DESK_INCIDENTS = f"""
SELECT i.office_id, i.data->>'type',
       coalesce((SELECT g.data->>'new_level' FROM live_record g WHERE g.office_id = i.office_id
                 AND g.kind = 'incident_regrade'
                 AND (g.data->>'incident_id')::bigint = i.record_id
                 ORDER BY g.record_id DESC LIMIT 1), i.data->>'level') AS level,
       count(*)
FROM live_record i WHERE i.kind = 'incident' AND (i.data->>'occurred_at')::timestamptz {IN_PERIOD}
GROUP BY 1, 2, 3
"""

DESK_DEADLINES = f"""
SELECT d.office_id,
       count(*) FILTER (WHERE (c.data->>'late_minutes')::int = 0),
       count(*) FILTER (WHERE (c.data->>'late_minutes')::int > 0),
       coalesce(sum((c.data->>'late_minutes')::int), 0),
       count(*) FILTER (WHERE c.data IS NULL)
FROM live_record d
LEFT JOIN live_record c ON c.office_id = d.office_id AND c.kind = 'deadline_closure'
     AND (c.data->>'deadline_id')::bigint = d.record_id
WHERE d.kind = 'deadline' AND (d.data->>'due_at')::timestamptz {IN_PERIOD}
  AND NOT EXISTS (SELECT 1 FROM live_record s WHERE s.office_id = d.office_id
                  AND s.kind = 'deadline_supersession'
                  AND (s.data->>'deadline_id')::bigint = d.record_id)
GROUP BY d.office_id
"""

_OUTCOMES = f"""
FROM live_record o
JOIN live_record u ON u.office_id = o.office_id AND u.kind = 'spotcheck_unit'
     AND u.record_id = (o.data->>'unit_id')::bigint
WHERE o.kind = 'spotcheck_outcome' AND (o.data->>'checked_at')::timestamptz {IN_PERIOD}
  AND NOT EXISTS (SELECT 1 FROM live_record x WHERE x.office_id = o.office_id
                  AND x.kind = 'spotcheck_correction'
                  AND (x.data->>'corrects_id')::bigint = o.record_id)
"""
_FAULTS = """coalesce(sum(jsonb_array_length((o.data->>'faults')::jsonb)), 0),
       count(*) FILTER (WHERE (o.data->>'answered')::int = 0)"""
DESK_SPOTCHECKS = f"SELECT o.office_id, {_FAULTS} {_OUTCOMES} GROUP BY o.office_id"
UNIT_SPOTCHECKS = f"SELECT u.data->>'name', {_FAULTS} {_OUTCOMES} GROUP BY 1"

UNIT_REPORTS = f"""
SELECT r.data->>'unit', count(*),
       count(*) FILTER (WHERE (r.data->>'late')::int = 1),
       coalesce(sum((r.data->>'late_minutes')::int), 0)
FROM live_record r WHERE r.kind = 'unit_report' AND (r.data->>'reported_at')::timestamptz {IN_PERIOD}
GROUP BY 1
"""
