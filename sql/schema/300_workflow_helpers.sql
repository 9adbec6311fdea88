-- Private helpers of the workflow aggregate: runs, the queue, notifications.

-- app.workflow_step_task: the Procrastinate task and queue of a workflow step job — the one
-- spelling in SQL of what workers/app.py registers (tests/unit compares the two).
CREATE OR REPLACE FUNCTION app.workflow_step_task(OUT task_name text, OUT queue_name text)
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 'tutopanda.workflow_step', 'workflows';
$$;

-- app.workflow_enqueue_step: defer the job that runs one step of a run, in this transaction.
-- No Procrastinate lock: step N+1 is only enqueued when step N commits, and the step function
-- applies each step once, so a lock would only delay the next step until the worker polls.
CREATE OR REPLACE FUNCTION app.workflow_enqueue_step(p_run_id text, p_step_index integer)
RETURNS bigint
LANGUAGE sql
-- Procrastinate's functions use unqualified names: its schema must be on the path.
SET search_path = procrastinate, pg_catalog, pg_temp
AS $$
    SELECT (procrastinate.procrastinate_defer_jobs_v1(ARRAY[ROW(
        t.queue_name, t.task_name, 0, NULL, NULL,
        jsonb_build_object('run_id', p_run_id, 'step_index', p_step_index), NULL
    )::procrastinate.procrastinate_job_to_defer_v1]))[1]
    FROM app.workflow_step_task() AS t;
$$;

-- app.workflow_run_event: record a change of a run as the next event of its lecture.
-- Takes the lecture's lock to number it, so a lecture's events are numbered in commit order.
CREATE OR REPLACE FUNCTION app.workflow_run_event(
    p_run app.workflow_runs, p_step_name text DEFAULT NULL, p_message text DEFAULT NULL,
    p_step_progress real DEFAULT NULL
)
RETURNS void
LANGUAGE sql
AS $$
    WITH lecture AS (
        UPDATE app.video_lectures AS l SET progress_seq = l.progress_seq + 1
        WHERE l.id = p_run.lecture_id
        RETURNING l.progress_seq, l.revision
    )
    INSERT INTO app.workflow_run_events AS e
        (run_id, lecture_id, seq, revision, status, current_step, total_steps, step_name, message,
         step_progress, error)
    SELECT p_run.run_id, p_run.lecture_id, lecture.progress_seq, lecture.revision, p_run.status,
           p_run.current_step, p_run.total_steps, p_step_name, p_message, p_step_progress,
           p_run.error
    FROM lecture;
$$;

-- app.workflow_run_insert: create a queued run on a locked lecture and enqueue its first step.
-- Refuses (PT409) when the lecture already has a queued or running run.
CREATE OR REPLACE FUNCTION app.workflow_run_insert(
    p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb
)
RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    v_run app.workflow_runs;
BEGIN
    IF p_kind IS NULL OR p_kind !~ '^[a-z][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'workflow kind must be a lowercase name';
    ELSIF p_total_steps IS NULL OR p_total_steps NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'a workflow has 1 to 100 steps';
    ELSIF jsonb_typeof(coalesce(p_context, '{}')) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'workflow context must be an object';
    END IF;
    IF EXISTS (SELECT FROM app.workflow_runs AS r
               WHERE r.lecture_id = p_lecture_id AND r.status IN ('queued', 'running')) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('lecture %s already has a workflow in progress', p_lecture_id),
            HINT = 'cancel it or wait for it to finish';
    END IF;
    INSERT INTO app.workflow_runs AS r (run_id, lecture_id, user_id, kind, total_steps, context)
    VALUES (gen_random_uuid()::text, p_lecture_id, p_user_id, p_kind, p_total_steps,
            coalesce(p_context, '{}'))
    RETURNING * INTO v_run;
    PERFORM app.workflow_enqueue_step(v_run.run_id, 1);
    PERFORM app.workflow_run_event(v_run);
    RETURN v_run.run_id;
END
$$;

-- app.workflow_run_owned: THE ownership rule of runs: the run if it is on a lecture of this user
-- (any run when p_user_id is NULL: workers), locked when p_lock; else PT404.
CREATE OR REPLACE FUNCTION app.workflow_run_owned(
    p_run_id text, p_user_id text DEFAULT NULL, p_lock boolean DEFAULT false
)
RETURNS app.workflow_runs
LANGUAGE plpgsql
AS $$
DECLARE
    v_run app.workflow_runs;
BEGIN
    IF p_lock THEN
        SELECT r.* INTO v_run FROM app.workflow_runs AS r JOIN app.video_lectures AS l ON l.id = r.lecture_id
        WHERE r.run_id = p_run_id AND (p_user_id IS NULL OR app.owns_project(p_user_id, l.project_id))
        FOR UPDATE OF r;
    ELSE
        SELECT r.* INTO v_run FROM app.workflow_runs AS r JOIN app.video_lectures AS l ON l.id = r.lecture_id
        WHERE r.run_id = p_run_id AND (p_user_id IS NULL OR app.owns_project(p_user_id, l.project_id));
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('workflow run %s not found', p_run_id);
    END IF;
    RETURN v_run;
END
$$;

-- app.workflow_run_update: THE writer of a run's state: status, current step and error change
-- together with updated_at and the run's event. The caller holds the run's lock and has checked
-- that the transition is allowed; NULL step or error keep the stored ones.
CREATE OR REPLACE FUNCTION app.workflow_run_update(
    p_run_id text,
    p_status text,
    p_current_step integer DEFAULT NULL,
    p_error text DEFAULT NULL,
    p_step_name text DEFAULT NULL
)
RETURNS app.workflow_runs
LANGUAGE plpgsql
AS $$
DECLARE
    v_run app.workflow_runs;
BEGIN
    UPDATE app.workflow_runs AS r
    SET status = p_status, current_step = coalesce(p_current_step, r.current_step),
        error = coalesce(left(p_error, 4000), r.error), updated_at = clock_timestamp()
    WHERE r.run_id = p_run_id
    RETURNING * INTO v_run;
    PERFORM app.workflow_run_event(v_run, p_step_name);
    RETURN v_run;
END
$$;

-- app.workflow_run_steps: the completed steps of a run, oldest first, as a JSON array.
-- Keys are the column names; Python's WorkflowStep model reads them.
CREATE OR REPLACE FUNCTION app.workflow_run_steps(p_run_id text)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
        'step_index', s.step_index, 'name', s.name, 'revision', s.revision,
        'output_summary', s.output_summary, 'attempts', s.attempts,
        'started_at', s.started_at, 'completed_at', s.completed_at) ORDER BY s.step_index), '[]')
    FROM app.workflow_steps AS s WHERE s.run_id = p_run_id;
$$;

-- app.workflow_run_state: a run's identity and progress as camelCase JSON (events, stream start).
-- The shape of the workflow.progress event without the per-event fields.
CREATE OR REPLACE FUNCTION app.workflow_run_state(p_run app.workflow_runs)
RETURNS jsonb
LANGUAGE sql
STABLE
AS $$
    SELECT jsonb_build_object(
        'lectureId', p_run.lecture_id, 'runId', p_run.run_id, 'kind', p_run.kind,
        'status', p_run.status, 'currentStep', p_run.current_step,
        'totalSteps', p_run.total_steps, 'error', p_run.error, 'updatedAt', p_run.updated_at);
$$;
