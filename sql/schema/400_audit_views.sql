-- The audit surface: read-only views for auditors (role tutopanda_auditor, docs/audit.md).
-- They run with their owner's rights over the app tables; auditors can read nothing else.

-- audit.revision_content: the content of a lecture after one revision (rebuilt from keyframes
-- and deltas), with the owner's rights: what audit.lecture_snapshots shows.
CREATE OR REPLACE FUNCTION audit.revision_content(p_lecture_id integer, p_revision integer)
RETURNS jsonb
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT app.revision_content(p_lecture_id, p_revision);
$$;

-- audit.history_walk: a lecture's history rows checked against their hashes, in order, with the
-- owner's rights: what audit.history_chain shows.
CREATE OR REPLACE FUNCTION audit.history_walk(p_lecture_id integer)
RETURNS TABLE (
    revision integer, hash bytea, content_intact boolean, link_intact boolean,
    sequence_intact boolean
)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM app.history_walk(p_lecture_id);
$$;

-- audit.lecture_history: one row per revision of every lecture: who, how, what, when.
-- The first thing an auditor reads; snapshots themselves are in audit.lecture_snapshots.
CREATE VIEW audit.lecture_history AS
SELECT r.lecture_id,
       l.project_id,
       p.created_by AS owner,
       l.title AS lecture_title,
       r.revision,
       r.source,
       r.created_by AS actor,
       r.run_id,
       r.changed_sections,
       r.forced,
       r.restored_from,
       pg_column_size(coalesce(r.data, r.delta)) AS stored_bytes,
       r.created_at AS changed_at,
       encode(r.hash, 'hex') AS hash
FROM app.lecture_revisions AS r
JOIN app.video_lectures AS l ON l.id = r.lecture_id
JOIN app.projects AS p ON p.id = l.project_id;
COMMENT ON VIEW audit.lecture_history IS
    'Every revision of every lecture: actor, source (app, workflow, system), run, changed sections.';
COMMENT ON COLUMN audit.lecture_history.source IS
    'app: an editor save or restore; workflow: a workflow step (run_id set); system: migration.';
COMMENT ON COLUMN audit.lecture_history.actor IS
    'The user id that made the change (for a workflow step, the user who started the run).';
COMMENT ON COLUMN audit.lecture_history.forced IS
    'True when an editor overwrote newer revisions on purpose (force option).';
COMMENT ON COLUMN audit.lecture_history.restored_from IS
    'The older revision whose content this revision restored, if any.';
COMMENT ON COLUMN audit.lecture_history.stored_bytes IS
    'Bytes the history row stores for its content: the full content (a keyframe) or the delta.';

-- audit.section_changes: one row per section a revision changed.
-- Answers "who changed the timeline of lecture 42 last week?".
CREATE VIEW audit.section_changes AS
SELECT h.lecture_id, h.project_id, h.owner, h.revision, s.section, h.source, h.actor, h.run_id,
       h.forced, h.changed_at
FROM audit.lecture_history AS h
CROSS JOIN LATERAL unnest(h.changed_sections) AS s (section);
COMMENT ON VIEW audit.section_changes IS
    'One row per (revision, changed section): title, summary, script, images, videos, narration, '
    'music, effects or timeline.';

-- audit.lecture_snapshots: the full content of a lecture after each revision.
-- The input of diffs (tutopanda audit diff) and of content questions.
CREATE VIEW audit.lecture_snapshots AS
SELECT r.lecture_id, r.revision, audit.revision_content(r.lecture_id, r.revision) AS data,
       r.data IS NOT NULL AS keyframe, r.created_at AS changed_at
FROM app.lecture_revisions AS r;
COMMENT ON VIEW audit.lecture_snapshots IS
    'The lecture content (JSON, camelCase like the editor''s) after each revision.';

-- audit.lectures: every lecture with its owner, current revision and history size.
-- Where to start when the question names a lecture or a user.
CREATE VIEW audit.lectures AS
SELECT l.id AS lecture_id, l.project_id, p.created_by AS owner, p.name AS project_name, l.title,
       l.revision AS current_revision, l.created_at, l.updated_at,
       (SELECT count(*) FROM app.lecture_revisions AS r WHERE r.lecture_id = l.id) AS revisions
FROM app.video_lectures AS l
JOIN app.projects AS p ON p.id = l.project_id;
COMMENT ON VIEW audit.lectures IS 'Every lecture: owner, title, current revision, history rows.';

-- audit.workflow_activity: one row per workflow run with its outcome, duration and steps.
-- Answers "which runs failed and why?", "how long does generation take?".
CREATE VIEW audit.workflow_activity AS
SELECT w.run_id, w.lecture_id, l.project_id, p.created_by AS owner, w.user_id AS started_by,
       w.kind, w.status AS outcome, w.current_step AS steps_done, w.total_steps, w.error,
       w.original_run_id AS repeats_run_id, w.attempt, w.created_at AS queued_at,
       CASE WHEN NOT finished.active THEN w.updated_at END AS finished_at,
       CASE WHEN NOT finished.active THEN w.updated_at - w.created_at END AS duration,
       coalesce((
           SELECT jsonb_agg(jsonb_build_object(
                      'step', s.step_index, 'name', s.name, 'revision', s.revision,
                      'attempts', s.attempts,
                      'seconds', round(extract(epoch FROM s.completed_at - s.started_at), 3))
                  ORDER BY s.step_index)
           FROM app.workflow_steps AS s WHERE s.run_id = w.run_id), '[]') AS steps
FROM app.workflow_runs AS w
-- app.workflow_run_active's statuses, spelled here: auditors may not execute app functions.
CROSS JOIN LATERAL (SELECT w.status IN ('queued', 'running', 'waiting_for_review') AS active)
    AS finished
JOIN app.video_lectures AS l ON l.id = w.lecture_id
JOIN app.projects AS p ON p.id = l.project_id;
COMMENT ON VIEW audit.workflow_activity IS
    'Every workflow run: outcome (queued, running, waiting_for_review, succeeded, failed, '
    'cancelled, rejected, expired), the run it repeats and its attempt, steps, timing.';

-- audit.workflow_steps: one row per completed step, with how long it took and its attempts.
-- A step with attempts > 1 was retried (a transient failure or a crashed worker).
CREATE VIEW audit.workflow_steps AS
SELECT s.run_id, w.lecture_id, w.kind, w.status AS run_outcome, s.step_index, s.name AS step,
       s.revision, s.attempts, s.started_at, s.completed_at,
       s.completed_at - s.started_at AS duration, s.output_summary
FROM app.workflow_steps AS s
JOIN app.workflow_runs AS w ON w.run_id = s.run_id;
COMMENT ON VIEW audit.workflow_steps IS
    'Every completed workflow step: the revision it wrote, attempts, duration, output summary.';

-- audit.failed_runs: the runs that failed, the step they failed at and the recorded error.
-- A shortcut over audit.workflow_activity.
CREATE VIEW audit.failed_runs AS
SELECT a.run_id, a.lecture_id, a.owner, a.kind, a.steps_done + 1 AS failed_step,
       a.total_steps, a.error, a.finished_at AS failed_at
FROM audit.workflow_activity AS a
WHERE a.outcome = 'failed';
COMMENT ON VIEW audit.failed_runs IS 'Failed workflow runs with the failing step and the error.';

-- audit.history_chain: each history row checked against its hash and its predecessor.
-- tutopanda audit verify reads it; every flag is true for an untouched history.
CREATE VIEW audit.history_chain AS
SELECT l.lecture_id, w.revision, encode(w.hash, 'hex') AS hash, w.content_intact, w.link_intact,
       w.sequence_intact
FROM (SELECT DISTINCT r.lecture_id FROM app.lecture_revisions AS r) AS l
CROSS JOIN LATERAL audit.history_walk(l.lecture_id) AS w;
COMMENT ON VIEW audit.history_chain IS
    'Tamper check per history row: content_intact (row matches its hash), link_intact (chained '
    'to the previous row), sequence_intact (no missing revision before it).';

-- audit.chain_heads: the last history row of each lecture (its chain head), and whether the
-- live lecture is still exactly that revision. A checkpoint records the heads; verify reads both.
CREATE VIEW audit.chain_heads AS
WITH heads AS (
    SELECT DISTINCT ON (r.lecture_id)
           r.lecture_id, r.revision, r.hash, count(*) OVER (PARTITION BY r.lecture_id) AS revisions
    FROM app.lecture_revisions AS r
    ORDER BY r.lecture_id, r.revision DESC
)
SELECT coalesce(h.lecture_id, l.id) AS lecture_id,
       h.revision,
       encode(h.hash, 'hex') AS hash,
       coalesce(h.revisions, 0) AS revisions,
       l.revision AS live_revision,
       coalesce(l.revision = h.revision AND app.lecture_content(l)::text = s.data::text, false)
           AS live_matches
FROM heads AS h
FULL JOIN app.video_lectures AS l ON l.id = h.lecture_id
LEFT JOIN audit.lecture_snapshots AS s ON s.lecture_id = h.lecture_id AND s.revision = h.revision;
COMMENT ON VIEW audit.chain_heads IS
    'Per lecture: the head of its history chain (revision, hash, number of rows) and whether the '
    'live lecture is that revision with that content (live_matches). A lecture without history, '
    'or history without its lecture, has NULLs on the missing side.';

-- audit.conflict_drafts: every save refused as a conflict, and how it ended.
-- Unresolved drafts are kept until their owner applies or discards them.
CREATE VIEW audit.conflict_drafts AS
SELECT d.id AS draft_id, d.lecture_id, l.project_id, p.created_by AS owner, d.user_id AS author,
       d.base_revision, d.conflict_revision,
       ARRAY(SELECT jsonb_object_keys(d.sections) ORDER BY 1) AS sections,
       d.sections AS content, d.created_at, d.resolution, d.resolved_at, d.resolved_revision
FROM app.conflict_drafts AS d
JOIN app.video_lectures AS l ON l.id = d.lecture_id
JOIN app.projects AS p ON p.id = l.project_id;
COMMENT ON VIEW audit.conflict_drafts IS
    'Saves refused as conflicts (nothing typed is lost): who, on which base, against which '
    'revision, the sections, and how they ended (applied, merged, discarded, or still open).';

-- audit.project_settings_changes: every version of a project's name and generation settings.
-- Answers "who changed the settings of project 7, and when, and to what?".
CREATE VIEW audit.project_settings_changes AS
SELECT h.project_id, p.created_by AS owner, h.revision, h.changed_by, h.changed_at, h.name,
       h.settings,
       (SELECT jsonb_object_agg(g.key, g.value) FROM jsonb_each(coalesce(h.settings, '{}')) AS g
        WHERE g.value IS DISTINCT FROM previous.settings -> g.key) AS changed_groups
FROM app.project_settings_history AS h
JOIN app.projects AS p ON p.id = h.project_id
LEFT JOIN app.project_settings_history AS previous
       ON previous.project_id = h.project_id AND previous.revision = h.revision - 1;
COMMENT ON VIEW audit.project_settings_changes IS
    'Every version of every project''s name and settings: who changed them, when, and the '
    'settings groups that differ from the version before (all groups for revision 0).';

-- audit.membership_changes: every change of who may use a project, and how.
-- Answers "who gave bob access to project 7, when, and as what?".
CREATE VIEW audit.membership_changes AS
SELECT c.id AS change_id, c.project_id, p.created_by AS creator, c.user_id AS member,
       c.previous_role, c.role, c.changed_by, c.changed_at,
       CASE WHEN c.previous_role IS NULL THEN 'added'
            WHEN c.role IS NULL THEN 'removed'
            ELSE 'changed' END AS change
FROM app.project_member_changes AS c
JOIN app.projects AS p ON p.id = c.project_id;
COMMENT ON VIEW audit.membership_changes IS
    'Every membership change of every project, in order: whom (member), the role before and after '
    '(NULL: not a member), who made it (changed_by) and when; change is added, changed or removed.';
