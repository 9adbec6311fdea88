-- Statements of the audit tests: what an auditor tries, and what a tamperer does.

-- auditor_reads_view --
-- The auditor's normal work.
SELECT count(*) FROM audit.lecture_history;

-- auditor_reads_table --
-- Reading a table directly.
SELECT * FROM app.lecture_revisions;

-- auditor_writes_through_view --
-- Writing through a (simple, auto-updatable) view.
UPDATE audit.lecture_snapshots SET changed_at = now();

-- auditor_deletes_through_view --
-- Deleting through a view.
DELETE FROM audit.lecture_snapshots;

-- auditor_calls_api --
-- Calling the runtime's functions.
SELECT * FROM api.lecture_get('user-1', 1);

-- auditor_creates_table --
-- Creating an object in the audit schema.
CREATE TABLE audit.mine (x int);

-- auditor_reads_queue --
-- Reading the job queue.
SELECT * FROM procrastinate.procrastinate_jobs;

-- tamper_disable_guard --
-- A superuser switches off the append-only trigger.
ALTER TABLE app.lecture_revisions DISABLE TRIGGER USER;

-- tamper_enable_guard --
-- ... and switches it on again.
ALTER TABLE app.lecture_revisions ENABLE TRIGGER USER;

-- tamper_edit_actor --
-- Rewrite who made a change.
UPDATE app.lecture_revisions SET created_by = 'mallory'
WHERE lecture_id = %(lecture_id)s AND revision = %(revision)s;

-- tamper_edit_content --
-- Rewrite what a revision contained: its full content (a keyframe) or its change (a delta).
UPDATE app.lecture_revisions
SET data = jsonb_set(data, '{title}', '"Forged"'),
    delta = delta || '[{"p": ["title"], "v": "Forged"}]'::jsonb
WHERE lecture_id = %(lecture_id)s AND revision = %(revision)s;

-- tamper_delete_revision --
-- Remove one revision from the history.
DELETE FROM app.lecture_revisions WHERE lecture_id = %(lecture_id)s AND revision = %(revision)s;
