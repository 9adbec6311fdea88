-- Read-only checks the tests make as the admin user.

-- history_rows --
-- Every history row of a lecture, oldest first.
SELECT revision, source, created_by, run_id, changed_sections, forced, restored_from,
       app.revision_content(lecture_id, revision) AS data
FROM app.lecture_revisions WHERE lecture_id = %(lecture_id)s ORDER BY revision;

-- lecture_row --
-- The stored lecture row.
SELECT id, revision, title, summary, script, images, timeline, updated_at
FROM app.video_lectures WHERE id = %(lecture_id)s;

-- lecture_content --
-- The lecture's content as history stores it.
SELECT app.lecture_content(l) FROM app.video_lectures AS l WHERE l.id = %(lecture_id)s;

-- run_row --
-- The stored run row.
SELECT status, current_step, total_steps, error, user_id, kind FROM app.workflow_runs
WHERE run_id = %(run_id)s;

-- run_jobs --
-- The queue jobs of a run, oldest first.
SELECT task_name, queue_name, status::text, args, lock FROM procrastinate.procrastinate_jobs
WHERE args ->> 'run_id' = %(run_id)s ORDER BY id;

-- step_rows --
-- Recorded steps of a run.
SELECT step_index, name, revision, attempts FROM app.workflow_steps
WHERE run_id = %(run_id)s ORDER BY step_index;

-- listen_events --
-- Subscribe this session to the store's notifications.
LISTEN tutopanda_events;

-- raw_save --
-- Call the save function with raw JSON, bypassing the Python models.
SELECT status, revision FROM api.lecture_save(%(user_id)s, %(lecture_id)s, %(base)s, %(sections)s::jsonb);

-- raw_save_text --
-- Call the save function with JSON text as the server parses it.
SELECT status, revision FROM api.lecture_save(%(user_id)s, %(lecture_id)s, %(base)s, %(sections)s::text::jsonb);

-- tamper_history_update --
-- Try to rewrite a history row (the append-only trigger must refuse).
UPDATE app.lecture_revisions SET created_by = 'mallory' WHERE lecture_id = %(lecture_id)s;

-- tamper_history_delete --
-- Try to delete a history row on its own.
DELETE FROM app.lecture_revisions WHERE lecture_id = %(lecture_id)s AND revision = 0;

-- tamper_history_truncate --
-- Try to empty the history.
TRUNCATE app.lecture_revisions;

-- lecture_project --
-- The project a lecture belongs to.
SELECT project_id FROM app.video_lectures WHERE id = %(lecture_id)s;

-- tamper_member_changes_update --
-- Try to rewrite who was given which role (the append-only trigger must refuse).
UPDATE app.project_member_changes SET role = 'owner' WHERE project_id = %(project_id)s;

-- tamper_member_changes_delete --
-- Try to erase a membership change.
DELETE FROM app.project_member_changes WHERE project_id = %(project_id)s;

-- tamper_member_changes_truncate --
-- Try to empty the record of membership changes.
TRUNCATE app.project_member_changes CASCADE;

-- lecture_delete --
-- Delete a lecture (refused: its history must outlive it).
DELETE FROM app.video_lectures WHERE id = %(lecture_id)s;

-- history_count --
-- Number of history rows of a lecture.
SELECT count(*) FROM app.lecture_revisions WHERE lecture_id = %(lecture_id)s;

-- backend_waits_for_lock --
-- True when the backend with this pid is waiting for a lock.
SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %(pid)s;

-- break_project_list --
-- Sabotage: the API's list function disappears (an unexpected server-side error).
DROP FUNCTION api.project_list(text, integer, integer);

-- enqueue_step_again --
-- Defer a duplicate job for a step that may already have run (a retried or doubled job).
SELECT app.workflow_enqueue_step(%(run_id)s, %(step_index)s);

-- job_statuses --
-- Status of every workflow job of a run, by step.
SELECT (args ->> 'step_index')::int AS step, status::text, attempts FROM procrastinate.procrastinate_jobs
WHERE args ->> 'run_id' = %(run_id)s ORDER BY id;

-- section_list --
-- The lecture sections SQL knows, in order, with their JSON types.
SELECT name, json_types FROM app.lecture_sections();

-- lecture_columns --
-- The columns of the lecture table that can hold a section (text or jsonb), in order.
SELECT attname::text FROM pg_catalog.pg_attribute
WHERE attrelid = 'app.video_lectures'::regclass AND attnum > 0 AND NOT attisdropped
  AND atttypid IN ('text'::regtype, 'jsonb'::regtype)
ORDER BY attnum;

-- step_task --
-- The Procrastinate task and queue SQL enqueues workflow steps on.
SELECT task_name, queue_name FROM app.workflow_step_task();

-- sessions_named --
-- How many sessions of this database carry an application name.
SELECT count(*)::int FROM pg_stat_activity
WHERE datname = current_database() AND application_name = %(name)s;

-- terminate_sessions_named --
-- End every session of this database with an application name (a lost connection).
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND application_name = %(name)s;

-- history_storage --
-- Per history row of a lecture: its revision, whether it is a keyframe, the bytes it stores.
SELECT revision, data IS NOT NULL AS keyframe, pg_column_size(coalesce(data, delta)) AS stored
FROM app.lecture_revisions WHERE lecture_id = %(lecture_id)s ORDER BY revision;

-- history_table_bytes --
-- The whole size of the history table with its TOAST table and indexes.
SELECT pg_total_relation_size('app.lecture_revisions');

-- revision_text --
-- The content of one revision as JSON text (exact, numbers as stored).
SELECT app.revision_content(%(lecture_id)s, %(revision)s)::text;

-- lecture_text --
-- The live content of a lecture as JSON text.
SELECT app.lecture_content(l)::text FROM app.video_lectures AS l WHERE l.id = %(lecture_id)s;

-- tamper_edit_delta --
-- Rewrite what a delta row changed (with the append-only trigger switched off).
UPDATE app.lecture_revisions SET delta = %(delta)s::jsonb
WHERE lecture_id = %(lecture_id)s AND revision = %(revision)s;

-- events_pending --
-- True while a committed history row, run event or member removal is above the publisher's
-- horizon.
SELECT EXISTS (
    SELECT FROM app.lecture_revisions AS r, app.event_publisher AS p WHERE r.txid >= p.horizon
) OR EXISTS (
    SELECT FROM app.workflow_run_events AS e, app.event_publisher AS p WHERE e.txid >= p.horizon
) OR EXISTS (
    SELECT FROM app.member_removal_events AS m, app.event_publisher AS p WHERE m.txid >= p.horizon
);

-- history_merges --
-- The merged_base recorded on each history row of a lecture.
SELECT revision, merged_base FROM app.lecture_revisions
WHERE lecture_id = %(lecture_id)s ORDER BY revision;

-- draft_rows --
-- Every draft of a lecture as auditors see it.
SELECT draft_id, author, base_revision, conflict_revision, sections, resolution, resolved_revision
FROM audit.conflict_drafts WHERE lecture_id = %(lecture_id)s ORDER BY draft_id;

-- project_settings_changes --
-- The audit view of a project's settings versions, oldest first.
SELECT revision, changed_by, name, changed_groups
FROM audit.project_settings_changes WHERE project_id = %(project_id)s ORDER BY revision;

-- asset_kinds --
-- The asset kinds SQL knows and the section of each: every quoted word in the body of
-- app.asset_section that it maps to a section.
SELECT DISTINCT w.word[1] AS kind, app.asset_section(w.word[1]) AS section
FROM pg_catalog.pg_proc AS p
CROSS JOIN LATERAL regexp_matches(p.prosrc, '''([^'']*)''', 'g') AS w (word)
WHERE p.oid = 'app.asset_section(text)'::regprocedure AND app.asset_section(w.word[1]) IS NOT NULL;

-- check_values --
-- The quoted values of a CHECK constraint, in order: what an enum-like column admits.
SELECT v.value[1]
FROM pg_catalog.pg_constraint AS c
CROSS JOIN LATERAL regexp_matches(pg_catalog.pg_get_constraintdef(c.oid), '''([^'']*)''', 'g')
    WITH ORDINALITY AS v (value, n)
WHERE c.conrelid = %(table)s::regclass AND c.conname = %(constraint)s
ORDER BY v.n;

-- active_run_statuses --
-- Those of these run statuses in which a run occupies its lecture (app.workflow_run_active).
SELECT s.status FROM unnest(%(statuses)s::text[]) AS s (status)
WHERE app.workflow_run_active(s.status);

-- step_summaries --
-- The revision and output summary of each step of a run, in order.
SELECT revision, output_summary FROM app.workflow_steps
WHERE run_id = %(run_id)s ORDER BY step_index;

-- sql_object_names --
-- Every function, table, view, sequence and type of our schemas, as schema.name.
SELECT n.nspname || '.' || p.proname FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname IN ('api', 'app', 'audit', 'procrastinate')
UNION
SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname IN ('api', 'app', 'audit', 'procrastinate')
UNION
SELECT n.nspname || '.' || t.typname FROM pg_catalog.pg_type AS t
JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
WHERE n.nspname IN ('api', 'app', 'audit', 'procrastinate');

-- event_types --
-- The event types api.lecture_events names: the quoted words of its body spelled
-- `aggregate.verb` (its data keys are words without a dot).
SELECT DISTINCT w.word[1] AS type
FROM pg_catalog.pg_proc AS p
CROSS JOIN LATERAL regexp_matches(p.prosrc, '''([a-z]+\.[a-z_]+)''', 'g') AS w (word)
WHERE p.oid = 'api.lecture_events(integer, integer, integer, integer)'::regprocedure
ORDER BY 1;

-- synchronous_commit --
-- Whether this session's commits wait for the WAL flush.
SHOW synchronous_commit;
