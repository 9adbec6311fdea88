-- Named queries of the audit tools (run as tutopanda_auditor, reading audit.* only).

-- audit_snapshot --
-- The content of a lecture after one revision.
SELECT data FROM audit.lecture_snapshots
WHERE lecture_id = %(lecture_id)s::integer AND revision = %(revision)s::integer;

-- audit_chain_breaks --
-- History rows whose hash, link to the previous row, or revision sequence is broken.
SELECT lecture_id, revision, content_intact, link_intact, sequence_intact
FROM audit.history_chain
WHERE (%(lecture_id)s::integer IS NULL OR lecture_id = %(lecture_id)s::integer)
  AND NOT (content_intact AND link_intact AND sequence_intact)
ORDER BY lecture_id, revision;

-- audit_chain_ends --
-- Lectures whose history does not end at their current revision (rows missing at the end).
SELECT l.lecture_id, l.current_revision, max(h.revision) AS last_history_revision
FROM audit.lectures AS l
LEFT JOIN audit.lecture_history AS h ON h.lecture_id = l.lecture_id
WHERE (%(lecture_id)s::integer IS NULL OR l.lecture_id = %(lecture_id)s::integer)
GROUP BY l.lecture_id, l.current_revision
HAVING max(h.revision) IS DISTINCT FROM l.current_revision
ORDER BY l.lecture_id;

-- audit_chain_size --
-- How many lectures and history rows a verification covered.
SELECT count(DISTINCT lecture_id) AS lectures, count(*) AS revisions
FROM audit.history_chain
WHERE %(lecture_id)s::integer IS NULL OR lecture_id = %(lecture_id)s::integer;

-- audit_standard_strings --
-- The audit guard lexes '...' strings as standard SQL strings: make the session agree.
SELECT pg_catalog.set_config('standard_conforming_strings', 'on', false);

-- audit_query_objects --
-- What the plan of a guarded audit query scans: relations (schema, name) and function scans.
SELECT object_kind, schema_name, object_name FROM audit.query_objects(%(query)s::text);
