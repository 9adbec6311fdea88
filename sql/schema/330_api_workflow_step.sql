-- What workers call: read a run's work, and apply a step's sections exactly once.

CREATE OR REPLACE FUNCTION api.workflow_run_work(p_run_id text)
RETURNS TABLE (
    run_id text, lecture_id integer, user_id text, kind text, status text, current_step integer,
    total_steps integer, context jsonb, lecture jsonb, settings jsonb
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT r.run_id, r.lecture_id, r.user_id, r.kind, r.status, r.current_step, r.total_steps,
           r.context, app.lecture_snapshot(l) || jsonb_build_object('prompt', l.prompt),
           coalesce(r.context -> 'settings', p.settings, '{}')
    FROM app.workflow_runs AS r
    JOIN app.video_lectures AS l ON l.id = r.lecture_id
    JOIN app.projects AS p ON p.id = l.project_id
    WHERE r.run_id = p_run_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('workflow run %s not found', p_run_id);
    END IF;
END
$$;
COMMENT ON FUNCTION api.workflow_run_work(text) IS
    'What a worker needs for the next step: the run, its lecture''s snapshot (with the prompt) '
    'and the project settings the run started with (kept in its context). No owner check: '
    'workers call it with a run id from a job. PT404.';

CREATE OR REPLACE FUNCTION api.workflow_step_apply(
    p_run_id text,
    p_step_index integer,
    p_step_name text,
    p_sections jsonb,
    p_output_summary jsonb DEFAULT '{}',
    p_attempts integer DEFAULT 1,
    p_started_at timestamptz DEFAULT NULL,
    p_base_revision integer DEFAULT NULL,
    p_merged_base integer DEFAULT NULL
)
RETURNS TABLE (revision integer, applied boolean, run_status text, moved boolean)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_lock => true);
    v_revision integer;
BEGIN
    SELECT s.revision INTO v_revision FROM app.workflow_steps AS s
    WHERE s.run_id = p_run_id AND s.step_index = p_step_index;
    IF FOUND THEN
        RETURN QUERY SELECT v_revision, false, v_run.status, false;
        RETURN;
    END IF;
    PERFORM app.workflow_step_check(v_run, p_step_index, p_step_name, p_output_summary);
    v_revision := app.workflow_step_write(v_run, p_sections, p_base_revision, p_merged_base);
    IF v_revision IS NULL THEN  -- another writer changed these sections since the step read them
        RETURN QUERY SELECT l.revision, false, v_run.status, true
                     FROM app.video_lectures AS l WHERE l.id = v_run.lecture_id;
        RETURN;
    END IF;
    INSERT INTO app.workflow_steps AS s
        (run_id, step_index, name, revision, output_summary, attempts, started_at, completed_at)
    VALUES (p_run_id, p_step_index, p_step_name, v_revision, coalesce(p_output_summary, '{}'),
            greatest(coalesce(p_attempts, 1), 1), p_started_at, clock_timestamp());
    v_run := app.workflow_run_update(
        p_run_id, CASE WHEN p_step_index = v_run.total_steps THEN 'succeeded' ELSE 'running' END,
        p_current_step => p_step_index, p_step_name => p_step_name);
    IF p_step_index < v_run.total_steps THEN
        PERFORM app.workflow_enqueue_step(p_run_id, p_step_index + 1);
    END IF;
    RETURN QUERY SELECT v_revision, true, v_run.status, false;
END
$$;
COMMENT ON FUNCTION api.workflow_step_apply(text, integer, text, jsonb, jsonb, integer, timestamptz, integer, integer) IS
    'Record step p_step_index of a run and write its sections, once: a recorded step returns its '
    'revision and writes nothing. Otherwise one transaction writes the lecture (source workflow, '
    'with the run id), the step row, the run''s progress and the next step''s job (or marks the '
    'run succeeded after its last step). With p_base_revision (the revision the step read): if '
    'another writer changed any of these sections since, nothing is written and `moved` is true '
    '(the worker merges its output onto the latest revision and calls again with that revision '
    'as base and p_merged_base). PT404, PT409 cancelled/finished/out of order, PT422.';

CREATE OR REPLACE FUNCTION api.workflow_run_progress(
    p_run_id text, p_step_index integer, p_step_name text, p_message text, p_fraction real
)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_lock => true);
BEGIN
    IF v_run.status <> 'running' OR v_run.current_step <> p_step_index - 1 THEN
        RETURN false;  -- finished, cancelled, or another step's: nothing to report
    ELSIF p_message IS NULL OR length(p_message) NOT BETWEEN 1 AND 500
          OR p_fraction NOT BETWEEN 0 AND 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = 'progress is a message of 1 to 500 characters and a fraction from 0 to 1';
    END IF;
    PERFORM app.workflow_run_event(v_run, p_step_name, p_message, p_fraction);
    RETURN true;
END
$$;
COMMENT ON FUNCTION api.workflow_run_progress(text, integer, text, text, real) IS
    'A running step reports its progress: a message and an optional fraction, kept as a run '
    'event (workflow.progress) for the stream and its replay. False when the run is not at that '
    'step any more (nothing recorded). PT404, PT422.';

-- app.workflow_step_check: may this run record this step now? Raises PT409 or PT422.
-- Only queued and running runs take steps (not cancelled, finished or waiting ones); in order.
CREATE OR REPLACE FUNCTION app.workflow_step_check(
    p_run app.workflow_runs, p_step_index integer, p_step_name text, p_output_summary jsonb
)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF p_run.status NOT IN ('queued', 'running') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s is %s', p_run.run_id, p_run.status);
    ELSIF p_step_index IS NULL OR p_step_index NOT BETWEEN 1 AND p_run.total_steps THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('step must be between 1 and %s', p_run.total_steps);
    ELSIF p_step_index <> p_run.current_step + 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s expects step %s, not %s', p_run.run_id,
                             p_run.current_step + 1, p_step_index);
    ELSIF p_step_name IS NULL OR length(p_step_name) NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'step name must be 1 to 100 characters';
    ELSIF jsonb_typeof(coalesce(p_output_summary, '{}')) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'step output summary must be an object';
    END IF;
END
$$;

-- app.workflow_step_write: write a step's sections to the run's lecture; return the revision.
-- An empty object writes nothing and returns the lecture's current revision. NULL when a writer
-- changed any of these sections after p_base_revision (the step would undo its change):
-- app.lecture_write decides it on the revision it writes onto, and again if it loses a race.
CREATE OR REPLACE FUNCTION app.workflow_step_write(
    p_run app.workflow_runs, p_sections jsonb, p_base_revision integer, p_merged_base integer
)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_write api.lecture_save_result;
BEGIN
    IF p_sections IS NULL OR p_sections = '{}' THEN
        RETURN (SELECT l.revision FROM app.video_lectures AS l WHERE l.id = p_run.lecture_id);
    END IF;
    v_write := app.lecture_write(p_run.lecture_id, NULL, p_sections, NULL, false, p_run.user_id,
                                 'workflow', p_run.run_id, p_merged_base => p_merged_base,
                                 p_unchanged_since => p_base_revision);
    RETURN CASE WHEN v_write.status = 'saved' THEN v_write.revision END;
END
$$;
