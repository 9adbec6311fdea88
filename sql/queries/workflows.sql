-- Named queries of the workflow aggregate (runs and steps).

-- workflow_run_create --
-- Start a workflow on a lecture; returns the run id.
SELECT api.workflow_run_create(
    %(user_id)s::text, %(lecture_id)s::integer, %(kind)s::text, %(total_steps)s::integer,
    %(context)s::jsonb) AS run_id;

-- workflow_run_get --
-- A run of a user with its completed steps.
SELECT * FROM api.workflow_run_get(%(user_id)s::text, %(run_id)s::text);

-- workflow_run_start --
-- queued -> running; returns the status.
SELECT api.workflow_run_start(%(run_id)s::text) AS status;

-- workflow_run_fail --
-- queued/running -> failed with the error; returns the status.
SELECT api.workflow_run_fail(%(run_id)s::text, %(error)s::text) AS status;

-- workflow_run_cancel --
-- The owner cancels a run; returns the status.
SELECT api.workflow_run_cancel(%(user_id)s::text, %(run_id)s::text) AS status;

-- workflow_run_work --
-- The run, its lecture and the project settings, for a worker.
SELECT * FROM api.workflow_run_work(%(run_id)s::text);

-- workflow_step_apply --
-- Record a step and write its sections, once per run and step.
SELECT * FROM api.workflow_step_apply(
    %(run_id)s::text, %(step_index)s::integer, %(step_name)s::text, %(sections)s::jsonb,
    %(output_summary)s::jsonb, %(attempts)s::integer, %(started_at)s::timestamptz);

-- workflow_run_progress --
-- A running step's progress message and fraction, as a run event.
SELECT api.workflow_run_progress(
    %(run_id)s::text, %(step_index)s::integer, %(step_name)s::text, %(message)s::text,
    %(fraction)s::real) AS recorded;
