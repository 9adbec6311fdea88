-- Named queries of the benchmark (run by bench/*.py; pgbench scripts live in bench/pgbench/).

-- slot_insert --
-- Give a load-generator client its lecture and payloads.
INSERT INTO bench.slots (set_name, slot, lecture_id, payload_a, payload_b)
VALUES (%(set_name)s::text, %(slot)s::integer, %(lecture_id)s::integer,
        %(payload_a)s::text, %(payload_b)s::text);

-- slot_list --
-- The lectures of a set with their current revisions, by slot.
SELECT s.slot, s.lecture_id, l.revision
FROM bench.slots AS s
JOIN app.video_lectures AS l ON l.id = s.lecture_id
WHERE s.set_name = %(set_name)s::text
ORDER BY s.slot;

-- busy_backends --
-- Other sessions of this database still running a statement (a load generator's last saves).
SELECT count(*) AS busy
FROM pg_catalog.pg_stat_activity
WHERE datname = pg_catalog.current_database() AND state = 'active'
  AND pid <> pg_catalog.pg_backend_pid();

-- ping --
-- One round trip and nothing else (measures the added network delay).
SELECT 1;

-- listen_product_events --
-- Listen where the product announces lecture changes today.
LISTEN tutopanda_events;

-- listen_queue --
-- Listen like a Procrastinate worker serving every queue.
LISTEN procrastinate_any_queue_v1;

-- job_defer --
-- Defer one job the way a workflow step does (the jobs table's trigger may notify).
SELECT procrastinate.procrastinate_defer_jobs_v1(ARRAY[ROW(
    'bench', 'bench.step', 0, NULL, NULL, jsonb_build_object('n', %(n)s::integer), NULL
)::procrastinate.procrastinate_job_to_defer_v1]);

-- queue_notify_off --
-- Stop Procrastinate's jobs table from notifying on every insert.
ALTER TABLE procrastinate.procrastinate_jobs
    DISABLE TRIGGER procrastinate_jobs_notify_queue_job_inserted_v1;

-- queue_notify_on --
-- Restore Procrastinate's per-insert notification.
ALTER TABLE procrastinate.procrastinate_jobs
    ENABLE TRIGGER procrastinate_jobs_notify_queue_job_inserted_v1;

-- naive_lock --
-- The naive service, 1/3: lock the lecture (if it is the user's) and read it with its last hash.
SELECT l.revision, l.title, l.summary, l.script, l.images, l.videos, l.narration, l.music,
       l.effects, l.timeline,
       (SELECT r.hash FROM app.lecture_revisions AS r
        WHERE r.lecture_id = l.id AND r.revision = l.revision) AS hash
FROM app.video_lectures AS l
JOIN app.projects AS p ON p.id = l.project_id
WHERE l.id = %(lecture_id)s::integer AND p.created_by = %(user_id)s::text
FOR UPDATE OF l;

-- naive_update --
-- The naive service, 2/3: write the merged content and bump the revision.
UPDATE app.video_lectures AS l
SET title = %(title)s::text, summary = %(summary)s::text, script = %(script)s::jsonb,
    images = %(images)s::jsonb, videos = %(videos)s::jsonb, narration = %(narration)s::jsonb,
    music = %(music)s::jsonb, effects = %(effects)s::jsonb, timeline = %(timeline)s::jsonb,
    revision = l.revision + 1, updated_at = clock_timestamp(),
    -- what the product carries forward is recomputed by its next save (see migration 0007)
    section_digests = NULL, history_hash = NULL, keyframe_revision = NULL
WHERE l.id = %(lecture_id)s::integer
RETURNING l.revision, l.updated_at;

-- naive_history --
-- The naive service, 3/3: append the history row with its full content, hashed like the
-- product's version-1 rows (audit.revision_hash).
INSERT INTO app.lecture_revisions AS r
    (lecture_id, revision, data, created_by, source, run_id, changed_sections, forced,
     restored_from, created_at, prev_hash, hash, hash_version)
VALUES (%(lecture_id)s::integer, %(revision)s::integer, %(data)s::jsonb, %(user_id)s::text,
        'app', NULL, %(changed)s::text[], false, NULL, %(updated_at)s::timestamptz,
        %(prev_hash)s::bytea,
        audit.revision_hash(%(prev_hash)s::bytea, %(lecture_id)s::integer, %(revision)s::integer,
                            %(data)s::jsonb, %(user_id)s::text, 'app', NULL,
                            %(changed)s::text[], false, NULL, %(updated_at)s::timestamptz),
        1);

-- session_pid --
-- The backend of a named session of this database (the API's event publisher, its listener).
SELECT a.pid
FROM pg_catalog.pg_stat_activity AS a
WHERE a.datname = pg_catalog.current_database() AND a.application_name = %(name)s::text
ORDER BY a.backend_start
LIMIT 1;

-- database_commits --
-- Transactions committed in a database so far (read from another database, so that reading
-- it does not count; the server publishes a backend's counts about once a second).
SELECT d.xact_commit
FROM pg_catalog.pg_stat_database AS d
WHERE d.datname = %(dbname)s::name;

-- oldest_write_transaction --
-- How long (ms) the oldest transaction holding a transaction id anywhere on this server has
-- run: until it ends, the event publisher announces nothing committed after it began.
SELECT coalesce(extract(epoch FROM clock_timestamp() - min(a.xact_start)) * 1000, 0)::float8
    AS age_ms
FROM pg_catalog.pg_stat_activity AS a
WHERE a.backend_xid IS NOT NULL AND a.pid <> pg_catalog.pg_backend_pid();
