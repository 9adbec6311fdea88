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
    delta = CASE jsonb_typeof(delta) WHEN 'object' THEN delta || '{"title": "Forged"}'
                 ELSE delta || '[{"p": ["title"], "v": "Forged"}]' END
WHERE lecture_id = %(lecture_id)s AND revision = %(revision)s;

-- tamper_delete_revision --
-- Remove one revision from the history.
DELETE FROM app.lecture_revisions WHERE lecture_id = %(lecture_id)s AND revision = %(revision)s;

-- tamper_edit_title_in_place --
-- Change a lecture's live content behind the api's back (no revision, no history row).
UPDATE app.video_lectures SET title = 'X' WHERE id = %(lecture_id)s;

-- tamper_reseal_chain --
-- Rewrite a lecture's chain so that it checks out on its own after an edit: every row as a
-- version-1 row (its full content, rebuilt first), rehashed with audit.revision_hash in order.
WITH RECURSIVE ordered AS (
    SELECT r.id, r.lecture_id, r.revision, r.created_by, r.source, r.run_id, r.changed_sections,
           r.forced, r.restored_from, r.created_at,
           app.revision_content(r.lecture_id, r.revision) AS content,
           row_number() OVER (ORDER BY r.revision) AS position
    FROM app.lecture_revisions AS r WHERE r.lecture_id = %(lecture_id)s
), chain AS (
    SELECT o.id, o.position, o.content, NULL::bytea AS prev,
           audit.revision_hash(NULL, o.lecture_id, o.revision, o.content, o.created_by, o.source,
                               o.run_id, o.changed_sections, o.forced, o.restored_from,
                               o.created_at) AS hash
    FROM ordered AS o WHERE o.position = 1
    UNION ALL
    SELECT o.id, o.position, o.content, c.hash,
           audit.revision_hash(c.hash, o.lecture_id, o.revision, o.content, o.created_by, o.source,
                               o.run_id, o.changed_sections, o.forced, o.restored_from,
                               o.created_at)
    FROM chain AS c JOIN ordered AS o ON o.position = c.position + 1
)
UPDATE app.lecture_revisions AS r
SET data = c.content, delta = NULL, hash_version = 1, prev_hash = c.prev, hash = c.hash
FROM chain AS c WHERE r.id = c.id;

-- tamper_move_lecture_back --
-- Set a lecture back to an earlier revision number, keeping its content.
UPDATE app.video_lectures SET revision = %(revision)s WHERE id = %(lecture_id)s;

-- tamper_roll_lecture_back --
-- Set a lecture back to an earlier revision: number, content and time, as if it never moved on.
UPDATE app.video_lectures AS l
SET revision = s.revision, updated_at = s.changed_at, title = s.data ->> 'title',
    summary = s.data ->> 'summary', script = s.data -> 'script', images = s.data -> 'images',
    videos = s.data -> 'videos', narration = s.data -> 'narration', music = s.data -> 'music',
    effects = s.data -> 'effects', timeline = s.data -> 'timeline'
FROM audit.lecture_snapshots AS s
WHERE l.id = %(lecture_id)s AND s.lecture_id = l.id AND s.revision = %(revision)s;

-- tamper_delete_project --
-- The cascade that would erase a project's lectures and their whole history.
DELETE FROM app.projects WHERE id = %(project_id)s;

-- tamper_delete_lecture --
-- Delete one lecture (and, by cascade, its history).
DELETE FROM app.video_lectures WHERE id = %(lecture_id)s;

-- tamper_truncate_projects --
-- Empty every table from projects down.
TRUNCATE app.projects CASCADE;

-- tamper_disable_all_user_triggers --
-- What the table owner can do: switch the retention and append-only triggers off.
ALTER TABLE app.projects DISABLE TRIGGER USER;
ALTER TABLE app.video_lectures DISABLE TRIGGER USER;
ALTER TABLE app.lecture_revisions DISABLE TRIGGER USER;

-- tamper_replica_mode --
-- What only a superuser can do: run this session with no triggers at all, foreign keys included.
SET session_replication_role = replica;

-- tamper_delete_history --
-- Remove every history row of a lecture.
DELETE FROM app.lecture_revisions WHERE lecture_id = %(lecture_id)s;
