-- The workflow api: start, follow, cancel and resume runs (the owner), take them up and fail them
-- (workers).

CREATE OR REPLACE FUNCTION api.workflow_run_create(
    p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer,
    p_max_active_runs integer, p_context jsonb DEFAULT '{}', p_from_step integer DEFAULT 1,
    p_original_run_id text DEFAULT NULL
)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_original text := p_original_run_id;
BEGIN
    -- The lecture lock serialises concurrent starts, so at most one run is in progress.
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_lock => true);
    IF v_original IS NULL THEN  -- a rerun repeats the lecture's latest run of the same kind
        SELECT r.run_id INTO v_original FROM app.workflow_runs AS r
        WHERE r.lecture_id = p_lecture_id AND r.kind = p_kind
        ORDER BY r.created_at DESC, r.run_id DESC LIMIT 1;
    ELSIF NOT EXISTS (SELECT FROM app.workflow_run_owned(v_original, p_user_id) AS o
                      WHERE o.lecture_id = p_lecture_id AND o.kind = p_kind) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('run %s is not a %s run of lecture %s', v_original, p_kind,
                             p_lecture_id);
    END IF;
    RETURN app.workflow_run_insert(p_user_id, p_lecture_id, p_kind, p_total_steps, p_context,
                                   p_max_active_runs, p_from_step, v_original);
END
$$;
COMMENT ON FUNCTION api.workflow_run_create(text, integer, text, integer, integer, jsonb, integer, text) IS
    'Start a workflow on a lecture of the user from step p_from_step (earlier steps count as '
    'done) and enqueue that step; returns the run id. The run repeats p_original_run_id, or the '
    'lecture''s latest run of the same kind (originalRunId, attempt + 1), and keeps the project '
    'settings as they are now. PT404 lecture or original run not found, PT409 a run is already '
    'in progress, PT422 bad kind or steps, PT429 the user has p_max_active_runs '
    'active runs.';

CREATE OR REPLACE FUNCTION api.workflow_run_get(p_user_id text, p_run_id text)
RETURNS TABLE (
    run_id text, lecture_id integer, user_id text, kind text, status text, current_step integer,
    total_steps integer, context jsonb, error text, created_at timestamptz,
    updated_at timestamptz, steps jsonb, original_run_id text, attempt integer, proposal jsonb,
    current_asset jsonb, proposal_revision integer, review_expires_at timestamptz
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
-- The access check first; then the run and its steps read in ONE statement, so under one
-- snapshot. (Read beside the check, the run came from app.workflow_run_owned's own, later
-- snapshot and the steps from the query's: a run could read as succeeded without its last step.)
BEGIN
    PERFORM app.workflow_run_owned(p_run_id, p_user_id, p_action => 'read');
    RETURN QUERY
    SELECT r.run_id, r.lecture_id, r.user_id, r.kind, r.status, r.current_step, r.total_steps,
           r.context, r.error, r.created_at, r.updated_at, app.workflow_run_steps(r.run_id),
           r.original_run_id, r.attempt, r.proposal,
           CASE WHEN r.context ? 'asset' THEN
               app.lecture_asset(app.lecture_content(l), r.context #>> '{asset,section}',
                                 r.context #>> '{asset,id}') END,
           r.proposal_revision, r.review_expires_at
    FROM app.workflow_runs AS r
    JOIN app.video_lectures AS l ON l.id = r.lecture_id
    WHERE r.run_id = p_run_id;
END
$$;
COMMENT ON FUNCTION api.workflow_run_get(text, text) IS
    'A workflow run of a user with its completed steps, the run it repeats and its attempt; for '
    'an asset regeneration, the proposal beside the lecture''s current asset. PT404: missing or '
    'not theirs.';

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
    IF app.workflow_run_active(v_run.status) THEN
        v_run := app.workflow_run_update(p_run_id, 'cancelled');
        PERFORM procrastinate.procrastinate_cancel_job_v1(j.id, false, false)
        FROM procrastinate.procrastinate_jobs AS j, app.workflow_step_task() AS t
        WHERE j.status = 'todo' AND j.task_name = t.task_name AND j.args ->> 'run_id' = p_run_id;
    ELSIF v_run.status <> 'cancelled' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s already %s', p_run_id, v_run.status);
    END IF;
    RETURN v_run.status;
END
$$;
COMMENT ON FUNCTION api.workflow_run_cancel(text, text) IS
    'The owner stops a run: queued/running/waiting_for_review -> cancelled (idempotent); its '
    'queued jobs are cancelled, a running step finds the run cancelled and writes nothing, a '
    'proposal is not applied. PT404, PT409 already succeeded, failed, rejected or expired.';

CREATE OR REPLACE FUNCTION api.workflow_run_resume(
    p_user_id text, p_run_id text, p_max_active_runs integer
)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_user_id, p_lock => true);
BEGIN
    IF v_run.status NOT IN ('failed', 'cancelled') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s is %s; only a failed or cancelled run resumes',
                             p_run_id, v_run.status);
    ELSIF v_run.current_step >= v_run.total_steps THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s has no step left to run', p_run_id),
            HINT = 'start a new run instead';
    END IF;
    PERFORM app.quota_active_runs(p_user_id, p_max_active_runs);
    BEGIN
        v_run := app.workflow_run_update(p_run_id, 'queued', p_error => '',
                                         p_attempt => v_run.attempt + 1,
                                         p_message => format('Resuming at step %s of %s',
                                                             v_run.current_step + 1,
                                                             v_run.total_steps));
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('lecture %s already has a workflow in progress', v_run.lecture_id),
            HINT = 'cancel it or wait for it to finish';
    END;
    PERFORM app.workflow_enqueue_step(p_run_id, v_run.current_step + 1);
    RETURN v_run.status;
END
$$;
COMMENT ON FUNCTION api.workflow_run_resume(text, text, integer) IS
    'The owner continues a failed or cancelled run from its first incomplete step: its '
    'completed steps and their revisions stand, the error is cleared, the attempt counted and '
    'the next step enqueued. Returns queued. PT404, PT409 not failed/cancelled or the lecture '
    'has another run in progress, PT429 the user has p_max_active_runs active runs.';
