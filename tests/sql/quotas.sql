-- Checks and staging of the quota tests (tests/db/test_quotas.py, tests/api/test_quotas.py).

-- rows_a_start_writes --
-- How many rows there are of each table that creating a project or starting a run writes to.
SELECT (SELECT count(*) FROM app.projects) AS projects,
       (SELECT count(*) FROM app.project_settings_history) AS settings_history,
       (SELECT count(*) FROM app.video_lectures) AS lectures,
       (SELECT count(*) FROM app.lecture_revisions) AS revisions,
       (SELECT count(*) FROM app.workflow_runs) AS runs,
       (SELECT count(*) FROM app.workflow_run_events) AS run_events,
       (SELECT count(*) FROM procrastinate.procrastinate_jobs) AS jobs;

-- project_age --
-- Make a project as old as if it had been created this many minutes ago.
UPDATE app.projects SET created_at = now() - %(minutes)s::integer * interval '1 minute'
WHERE id = %(project_id)s::integer;
