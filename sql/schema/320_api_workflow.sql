-- The workflow api: start, follow and cancel runs (the owner), take them up and fail them (workers).

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
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_lock => true);
    RETURN app.workflow_run_insert(p_user_id, p_lecture_id, p_kind, p_total_steps, p_context);
END
$$;
COMMENT ON FUNCTION api.workflow_run_create(text, integer, text, integer, jsonb) IS
    'Start a workflow on a lecture of the user and enqueue its first step; returns the run id. '
    'PT404 lecture not found, PT409 a run is already in progress, PT422 bad kind or steps.';

CREATE OR REPLACE FUNCTION api.workflow_run_get(p_user_id text, p_run_id text)
RETURNS TABLE (
    run_id text, lecture_id integer, user_id text, kind text, status text, current_step integer,
    total_steps integer, context jsonb, error text, created_at timestamptz,
    updated_at timestamptz, steps jsonb
)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT r.run_id, r.lecture_id, r.user_id, r.kind, r.status, r.current_step, r.total_steps,
           r.context, r.error, r.created_at, r.updated_at, app.workflow_run_steps(r.run_id)
    FROM app.workflow_run_owned(p_run_id, p_user_id) AS r;
$$;
COMMENT ON FUNCTION api.workflow_run_get(text, text) IS
    'A workflow run of a user with its completed steps. PT404: missing or not theirs.';

CREATE OR REPLACE FUNCTION api.workflow_run_start(p_run_id text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_lock => true);
BEGIN
    IF v_run.status = 'queued' THEN
        v_run := app.workflow_run_update(p_run_id, 'running');
    END IF;
    RETURN v_run.status;
END
$$;
COMMENT ON FUNCTION api.workflow_run_start(text) IS
    'A worker takes up a run: queued -> running (running stays running); returns the status '
    'after the call, unchanged for a finished or cancelled run. PT404.';

CREATE OR REPLACE FUNCTION api.workflow_run_fail(p_run_id text, p_error text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_lock => true);
BEGIN
    IF v_run.status IN ('queued', 'running') THEN
        v_run := app.workflow_run_update(p_run_id, 'failed',
                                         p_error => coalesce(p_error, 'unknown error'));
    END IF;
    RETURN v_run.status;
END
$$;
COMMENT ON FUNCTION api.workflow_run_fail(text, text) IS
    'Record why a run failed: queued/running -> failed; a finished or cancelled run is left as it '
    'is. Returns the status after the call. PT404.';

CREATE OR REPLACE FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = procrastinate, pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_user_id, p_lock => true);
BEGIN
    IF v_run.status IN ('succeeded', 'failed') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s already %s', p_run_id, v_run.status);
    ELSIF v_run.status <> 'cancelled' THEN
        v_run := app.workflow_run_update(p_run_id, 'cancelled');
        PERFORM procrastinate.procrastinate_cancel_job_v1(j.id, false, false)
        FROM procrastinate.procrastinate_jobs AS j, app.workflow_step_task() AS t
        WHERE j.status = 'todo' AND j.task_name = t.task_name AND j.args ->> 'run_id' = p_run_id;
    END IF;
    RETURN v_run.status;
END
$$;
COMMENT ON FUNCTION api.workflow_run_cancel(text, text) IS
    'The owner stops a run: queued/running -> cancelled (idempotent); its queued jobs are '
    'cancelled, a running step finds the run cancelled and writes nothing. PT404, PT409 already '
    'succeeded or failed.';
