-- Indexes for the per-user quotas and the paginated project list: the quota checks of
-- api.project_create, api.workflow_run_create, api.asset_regenerate and api.workflow_run_resume
-- count a user's active runs and the projects they created in the last hour, and
-- api.project_list reads a user's projects newest first by id, one page at a time (keyset).
-- depends: 0010_idempotency_keys

-- A user's projects by id: the list's pages. It replaces the index on created_by alone.
CREATE INDEX projects_created_by_id_idx ON app.projects (created_by, id);
DROP INDEX app.projects_created_by_idx;

-- A user's projects by creation time: the projects-per-hour window.
CREATE INDEX projects_created_by_created_at_idx ON app.projects (created_by, created_at);

-- A user's active runs (the statuses of app.workflow_run_active, as in
-- workflow_runs_one_active_per_lecture): the active-runs quota.
CREATE INDEX workflow_runs_active_per_user_idx ON app.workflow_runs (user_id)
    WHERE status IN ('queued', 'running', 'waiting_for_review');
