-- Read-only checks the tests make as the admin user.

-- history_rows --
-- Every history row of a lecture, oldest first.
SELECT revision, source, created_by, run_id, changed_sections, forced, restored_from, data
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
DROP FUNCTION api.project_list(text);

-- enqueue_step_again --
-- Defer a duplicate job for a step that may already have run (a retried or doubled job).
SELECT app.workflow_enqueue_step(%(run_id)s, %(step_index)s);

-- job_statuses --
-- Status of every workflow job of a run, by step.
SELECT (args ->> 'step_index')::int AS step, status::text, attempts FROM procrastinate.procrastinate_jobs
WHERE args ->> 'run_id' = %(run_id)s ORDER BY id;
