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

-- audit_live_mismatches --
-- Lectures whose live row is not exactly the head of their history (revision or content),
-- lectures without history, and history whose lecture row is gone.
SELECT lecture_id, revision, live_revision
FROM audit.chain_heads
WHERE (%(lecture_id)s::integer IS NULL OR lecture_id = %(lecture_id)s::integer)
  AND NOT live_matches
ORDER BY lecture_id;

-- audit_chain_heads --
-- The head of every lecture's history chain: what a checkpoint records.
SELECT lecture_id, revision, hash, revisions
FROM audit.chain_heads
WHERE revision IS NOT NULL
ORDER BY lecture_id;

-- audit_checkpoint_state --
-- For each checkpointed head: the hash now stored at that revision, the rows up to it, and
-- where the lecture's history ends now (NULLs when the history is gone).
SELECT c.lecture_id,
       (SELECT h.hash FROM audit.history_chain AS h
        WHERE h.lecture_id = c.lecture_id AND h.revision = c.revision) AS hash,
       (SELECT count(*) FROM audit.history_chain AS h
        WHERE h.lecture_id = c.lecture_id AND h.revision <= c.revision) AS revisions,
       e.revision AS head_revision
FROM unnest(%(lecture_ids)s::integer[], %(revisions)s::integer[]) AS c (lecture_id, revision)
LEFT JOIN audit.chain_heads AS e ON e.lecture_id = c.lecture_id
ORDER BY c.lecture_id;

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
