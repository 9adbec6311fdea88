-- The workflow api: start, follow and cancel runs; the idempotent step write workers call.

-- api.workflow_run_create: start a workflow on a lecture of this user; enqueue its first step.
-- PT404 lecture not found, PT409 a run is already in progress, PT422 bad kind or steps.
CREATE OR REPLACE FUNCTION api.workflow_run_create(
    p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer,
    p_context jsonb DEFAULT '{}'
)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- The lecture lock serialises concurrent starts, so at most one run is in progress.
    PERFORM app.lecture_lock_owned(p_user_id, p_lecture_id);
    RETURN app.workflow_run_insert(p_user_id, p_lecture_id, p_kind, p_total_steps, p_context);
END
$$;
COMMENT ON FUNCTION api.workflow_run_create(text, integer, text, integer, jsonb) IS
    'Start a workflow run on a lecture; returns the run id. PT404, PT409 run in progress, PT422.';

-- api.workflow_run_get: a run of this user with its completed steps.
-- PT404 when it does not exist or is another user's.
CREATE OR REPLACE FUNCTION api.workflow_run_get(p_user_id text, p_run_id text)
RETURNS TABLE (
    run_id text, lecture_id integer, user_id text, kind text, status text, current_step integer,
    total_steps integer, context jsonb, error text, created_at timestamptz,
    updated_at timestamptz, steps jsonb
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT r.run_id, r.lecture_id, r.user_id, r.kind, r.status, r.current_step, r.total_steps,
           r.context, r.error, r.created_at, r.updated_at, app.workflow_run_steps(r.run_id)
    FROM app.workflow_runs AS r
    JOIN app.video_lectures AS l ON l.id = r.lecture_id
    JOIN app.projects AS p ON p.id = l.project_id
    WHERE r.run_id = p_run_id AND p.created_by = p_user_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('workflow run %s not found', p_run_id);
    END IF;
END
$$;
COMMENT ON FUNCTION api.workflow_run_get(text, text) IS
    'A workflow run of a user with its completed steps. PT404: missing or not theirs.';

-- api.workflow_run_start: a worker takes up a run: queued -> running (running stays running).
-- Returns the status after the call; a finished or cancelled run is returned unchanged.
CREATE OR REPLACE FUNCTION api.workflow_run_start(p_run_id text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_lock(p_run_id);
BEGIN
    IF v_run.status = 'queued' THEN
        v_run := app.workflow_run_set_status(p_run_id, 'running');
    END IF;
    RETURN v_run.status;
END
$$;
COMMENT ON FUNCTION api.workflow_run_start(text) IS
    'Mark a queued run running; returns its status (unchanged when finished). PT404.';

-- api.workflow_run_fail: record why a run failed: queued/running -> failed.
-- A finished or cancelled run is left as it is; returns the status after the call.
CREATE OR REPLACE FUNCTION api.workflow_run_fail(p_run_id text, p_error text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_lock(p_run_id);
BEGIN
    IF v_run.status IN ('queued', 'running') THEN
        v_run := app.workflow_run_set_status(p_run_id, 'failed', coalesce(p_error, 'unknown error'));
    END IF;
    RETURN v_run.status;
END
$$;
COMMENT ON FUNCTION api.workflow_run_fail(text, text) IS
    'Mark a run failed with its error; returns its status (unchanged when finished). PT404.';

-- api.workflow_run_cancel: the owner stops a run: queued/running -> cancelled.
-- Its queued jobs are cancelled too; a running step finds the run cancelled and writes nothing.
CREATE OR REPLACE FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = procrastinate, pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_lock(p_run_id, p_user_id);
BEGIN
    IF v_run.status IN ('succeeded', 'failed') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s already %s', p_run_id, v_run.status);
    ELSIF v_run.status <> 'cancelled' THEN
        v_run := app.workflow_run_set_status(p_run_id, 'cancelled');
        PERFORM procrastinate.procrastinate_cancel_job_v1(j.id, false, false)
        FROM procrastinate.procrastinate_jobs AS j
        WHERE j.status = 'todo' AND j.task_name = 'tutopanda.workflow_step'
          AND j.args ->> 'run_id' = p_run_id;
    END IF;
    RETURN v_run.status;
END
$$;
COMMENT ON FUNCTION api.workflow_run_cancel(text, text) IS
    'Cancel a run of the user (idempotent). PT404 not found, PT409 already succeeded or failed.';

-- api.workflow_run_succeed: mark a run whose every step is recorded as succeeded.
-- PT409 when steps are missing or the run is not running.
CREATE OR REPLACE FUNCTION api.workflow_run_succeed(p_run_id text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_lock(p_run_id);
BEGIN
    IF v_run.status = 'succeeded' THEN
        RETURN v_run.status;
    ELSIF v_run.status <> 'running' OR v_run.current_step < v_run.total_steps THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s is %s at step %s of %s', p_run_id, v_run.status,
                             v_run.current_step, v_run.total_steps);
    END IF;
    RETURN (app.workflow_run_set_status(p_run_id, 'succeeded')).status;
END
$$;
COMMENT ON FUNCTION api.workflow_run_succeed(text) IS
    'Mark a fully stepped running run succeeded (idempotent). PT404, PT409.';
