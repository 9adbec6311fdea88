-- Named queries of the workflow aggregate (runs and steps).

-- workflow_run_create --
-- Start a workflow on a lecture from a step, repeating a run, within the quota; the run id.
SELECT api.workflow_run_create(
    %(user_id)s::text, %(lecture_id)s::integer, %(kind)s::text, %(total_steps)s::integer,
    %(max_active_runs)s::integer, %(context)s::jsonb, %(from_step)s::integer,
    %(original_run_id)s::text) AS run_id;

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
-- Record a step and write its sections, once per run and step, unless another writer changed
-- them since the revision the step read (`moved`).
SELECT * FROM api.workflow_step_apply(
    %(run_id)s::text, %(step_index)s::integer, %(step_name)s::text, %(sections)s::jsonb,
    %(output_summary)s::jsonb, %(attempts)s::integer, %(started_at)s::timestamptz,
    %(base_revision)s::integer, %(merged_base)s::integer);

-- workflow_run_progress --
-- A running step's progress message and fraction, as a run event.
SELECT api.workflow_run_progress(
    %(run_id)s::text, %(step_index)s::integer, %(step_name)s::text, %(message)s::text,
    %(fraction)s::real) AS recorded;

-- workflow_run_resume --
-- The owner continues a failed or cancelled run from its first incomplete step, within the quota.
SELECT api.workflow_run_resume(
    %(user_id)s::text, %(run_id)s::text, %(max_active_runs)s::integer) AS status;

-- asset_regenerate --
-- Start a one-step run proposing a new version of one asset; returns the run id.
SELECT api.asset_regenerate(
    %(user_id)s::text, %(lecture_id)s::integer, %(asset_kind)s::text, %(asset_id)s::text,
    %(kind)s::text, %(review_seconds)s::integer, %(max_active_runs)s::integer,
    %(context)s::jsonb) AS run_id;

-- workflow_step_propose --
-- Record a regeneration's step: the proposal waits on the run for review.
SELECT * FROM api.workflow_step_propose(
    %(run_id)s::text, %(step_index)s::integer, %(step_name)s::text, %(asset)s::jsonb,
    %(base_revision)s::integer, %(output_summary)s::jsonb, %(attempts)s::integer,
    %(started_at)s::timestamptz);

-- workflow_run_accept --
-- The owner accepts a proposal: a revision replacing the asset; or expired.
SELECT * FROM api.workflow_run_accept(%(user_id)s::text, %(run_id)s::text, %(force)s::boolean);

-- workflow_run_reject --
-- The owner rejects a proposal; returns the status (rejected, or expired).
SELECT api.workflow_run_reject(%(user_id)s::text, %(run_id)s::text) AS status;

-- workflow_reviews_expire --
-- Record proposals whose review time passed at `now` as expired; returns how many.
SELECT api.workflow_reviews_expire(coalesce(%(now)s::timestamptz, now())) AS expired;
