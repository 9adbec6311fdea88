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

-- app.workflow_run_active: is a run in this status still occupying its lecture? (One such run
-- per lecture: the index workflow_runs_one_active_per_lecture lists the same statuses.)
CREATE OR REPLACE FUNCTION app.workflow_run_active(p_status text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT p_status IN ('queued', 'running', 'waiting_for_review');
$$;

-- app.workflow_run_insert: create a queued run on a locked lecture and enqueue its first step
-- (p_from_step; earlier steps count as done). Its context keeps the project's settings as they
-- are now, so editing them mid-run changes nothing in the run. A rerun names the run it repeats
-- (p_original_run_id) and counts its attempt. PT409 when the lecture already has an active run,
-- PT429 when the user has p_max_active_runs (app.quota_active_runs).
CREATE OR REPLACE FUNCTION app.workflow_run_insert(
    p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb,
    p_max_active_runs integer, p_from_step integer DEFAULT 1, p_original_run_id text DEFAULT NULL
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
    ELSIF p_from_step IS NULL OR p_from_step NOT BETWEEN 1 AND p_total_steps THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('the first step must be between 1 and %s', p_total_steps);
    ELSIF jsonb_typeof(coalesce(p_context, '{}')) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'workflow context must be an object';
    END IF;
    IF EXISTS (SELECT FROM app.workflow_runs AS r
               WHERE r.lecture_id = p_lecture_id AND app.workflow_run_active(r.status)) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('lecture %s already has a workflow in progress', p_lecture_id),
            HINT = 'cancel it or wait for it to finish';
    END IF;
    PERFORM app.quota_active_runs(p_user_id, p_max_active_runs);
    INSERT INTO app.workflow_runs AS r
        (run_id, lecture_id, user_id, kind, total_steps, current_step, context, original_run_id,
         attempt)
    SELECT gen_random_uuid()::text, p_lecture_id, p_user_id, p_kind, p_total_steps,
           p_from_step - 1,
           jsonb_build_object('settings', coalesce(p.settings, '{}')) || coalesce(p_context, '{}'),
           p_original_run_id,
           coalesce((SELECT o.attempt + 1 FROM app.workflow_runs AS o
                     WHERE o.run_id = p_original_run_id), 1)
    FROM app.video_lectures AS l JOIN app.projects AS p ON p.id = l.project_id
    WHERE l.id = p_lecture_id
    RETURNING * INTO v_run;
    PERFORM app.workflow_enqueue_step(v_run.run_id, p_from_step);
    PERFORM app.workflow_run_event(v_run);
    RETURN v_run.run_id;
END
$$;

-- app.workflow_run_owned: THE access rule of runs: the run if this user may do p_action
-- ('write' unless told) on its lecture's project (app.project_allows; any run when p_user_id is
-- NULL: workers), locked when p_lock; else PT404, or PT403 when their role does not allow it.
CREATE OR REPLACE FUNCTION app.workflow_run_owned(
    p_run_id text, p_user_id text DEFAULT NULL, p_lock boolean DEFAULT false,
    p_action text DEFAULT 'write'
)
RETURNS app.workflow_runs
LANGUAGE plpgsql
AS $$
DECLARE
    v_run app.workflow_runs;
BEGIN
    IF p_lock THEN
        SELECT r.* INTO v_run FROM app.workflow_runs AS r JOIN app.video_lectures AS l ON l.id = r.lecture_id
        WHERE r.run_id = p_run_id AND (p_user_id IS NULL OR app.project_allows(p_user_id, l.project_id, p_action))
        FOR UPDATE OF r;
    ELSE
        SELECT r.* INTO v_run FROM app.workflow_runs AS r JOIN app.video_lectures AS l ON l.id = r.lecture_id
        WHERE r.run_id = p_run_id AND (p_user_id IS NULL OR app.project_allows(p_user_id, l.project_id, p_action));
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('workflow run %s not found', p_run_id);
    END IF;
    RETURN v_run;
END
$$;

-- app.workflow_run_update: THE writer of a run's state: status, current step and error change
-- together with updated_at and the run's event (with p_message, if any). The caller holds the
-- run's lock and has checked that the transition is allowed; NULL step, error or attempt keep the
-- stored ones, '' clears the error.
CREATE OR REPLACE FUNCTION app.workflow_run_update(
    p_run_id text,
    p_status text,
    p_current_step integer DEFAULT NULL,
    p_error text DEFAULT NULL,
    p_step_name text DEFAULT NULL,
    p_message text DEFAULT NULL,
    p_attempt integer DEFAULT NULL
)
RETURNS app.workflow_runs
LANGUAGE plpgsql
AS $$
DECLARE
    v_run app.workflow_runs;
BEGIN
    UPDATE app.workflow_runs AS r
    SET status = p_status, current_step = coalesce(p_current_step, r.current_step),
        error = CASE WHEN p_error = '' THEN NULL ELSE coalesce(left(p_error, 4000), r.error) END,
        attempt = coalesce(p_attempt, r.attempt), updated_at = clock_timestamp()
    WHERE r.run_id = p_run_id
    RETURNING * INTO v_run;
    PERFORM app.workflow_run_event(v_run, p_step_name, p_message);
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

-- app.asset_section: the lecture section holding assets of a kind (image, narration, music,
-- video) — the one list of regenerable asset kinds; NULL for any other kind.
CREATE OR REPLACE FUNCTION app.asset_section(p_kind text)
RETURNS text
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE p_kind WHEN 'image' THEN 'images' WHEN 'narration' THEN 'narration'
                       WHEN 'music' THEN 'music' WHEN 'video' THEN 'videos' END;
$$;

-- app.lecture_asset: the asset with this id in a section of lecture content (NULL: none).
CREATE OR REPLACE FUNCTION app.lecture_asset(p_content jsonb, p_section text, p_asset_id text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT a.value
    FROM jsonb_array_elements(CASE jsonb_typeof(p_content -> p_section)
                                  WHEN 'array' THEN p_content -> p_section END) AS a
    WHERE a.value ->> 'id' = p_asset_id
    LIMIT 1;
$$;
