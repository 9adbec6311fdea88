-- GENERATED FILE, do not edit: normalised `pg_dump --schema-only` of schemas app, api
-- and audit after `tutopanda db migrate`, on the PostgreSQL major version in the file
-- name. Refresh with `make schema-snapshot`.

CREATE SCHEMA api;

ALTER SCHEMA api OWNER TO tutopanda_owner;

COMMENT ON SCHEMA api IS 'Functions the runtime role calls (re-created from sql/ by every migrate).';

CREATE SCHEMA app;

ALTER SCHEMA app OWNER TO tutopanda_owner;

COMMENT ON SCHEMA app IS 'Private tables of the lecture store; reached only through api.* functions.';

CREATE SCHEMA audit;

ALTER SCHEMA audit OWNER TO tutopanda_owner;

COMMENT ON SCHEMA audit IS 'Read-only views for auditors (re-created from sql/ by every migrate).';

CREATE FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) RETURNS TABLE(id integer, project_id integer, title text, summary text, script jsonb, images jsonb, videos jsonb, narration jsonb, music jsonb, effects jsonb, timeline jsonb, revision integer, updated_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY
    SELECT l.id, l.project_id, l.title, l.summary, l.script, l.images, l.videos, l.narration,
           l.music, l.effects, l.timeline, l.revision, l.updated_at
    FROM app.video_lectures AS l
    JOIN app.projects AS p ON p.id = l.project_id
    WHERE l.id = p_lecture_id AND p.created_by = p_user_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('lecture %s not found', p_lecture_id);
    END IF;
END
$$;

ALTER FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) IS 'Read a lecture of a user (content, revision, updated_at). PT404: missing or not theirs.';

CREATE FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer DEFAULT 50, p_before_revision integer DEFAULT NULL::integer) RETURNS TABLE(revision integer, source text, created_by text, run_id text, changed_sections text[], forced boolean, restored_from integer, size_bytes integer, created_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 500 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'limit must be between 1 and 500';
    END IF;
    PERFORM app.lecture_check_owned(p_user_id, p_lecture_id);
    RETURN QUERY
    SELECT r.revision, r.source, r.created_by, r.run_id, r.changed_sections, r.forced,
           r.restored_from, pg_column_size(r.data), r.created_at
    FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id
      AND (p_before_revision IS NULL OR r.revision < p_before_revision)
    ORDER BY r.revision DESC
    LIMIT p_limit;
END
$$;

ALTER FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer, p_before_revision integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer, p_before_revision integer) IS 'History of a lecture, newest first, paged by revision. PT404 not found, PT422 bad limit.';

CREATE FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean DEFAULT false) RETURNS TABLE(status text, revision integer, updated_at timestamp with time zone, changed_sections text[], lecture jsonb)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_current integer;
    v_data jsonb;
BEGIN
    v_current := app.lecture_lock_owned(p_user_id, p_lecture_id);
    SELECT r.data INTO v_data FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id AND r.revision = p_revision;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('lecture %s has no revision %s', p_lecture_id, p_revision);
    END IF;
    IF p_base_revision IS NULL OR p_base_revision < 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'base revision must be 0 or more';
    END IF;
    RETURN QUERY SELECT * FROM app.lecture_save_outcome(
        p_lecture_id, p_base_revision = v_current OR coalesce(p_force, false),
        (SELECT jsonb_object_agg(k, v_data -> k) FROM unnest(app.lecture_section_names()) AS k),
        p_user_id, p_forced => p_base_revision <> v_current, p_restored_from => p_revision);
END
$$;

ALTER FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean) IS 'Restore an old revision as a new one (saved or conflict, like a save). PT404, PT422.';

CREATE FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) RETURNS TABLE(lecture_id integer, revision integer, source text, created_by text, run_id text, changed_sections text[], forced boolean, restored_from integer, size_bytes integer, created_at timestamp with time zone, data jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM app.lecture_check_owned(p_user_id, p_lecture_id);
    RETURN QUERY
    SELECT r.lecture_id, r.revision, r.source, r.created_by, r.run_id, r.changed_sections,
           r.forced, r.restored_from, pg_column_size(r.data), r.created_at, r.data
    FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id AND r.revision = p_revision;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('lecture %s has no revision %s', p_lecture_id, p_revision);
    END IF;
END
$$;

ALTER FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) IS 'One revision of a lecture with its snapshot. PT404: lecture or revision not found.';

CREATE FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean DEFAULT false, p_force boolean DEFAULT false) RETURNS TABLE(status text, revision integer, updated_at timestamp with time zone, changed_sections text[], lecture jsonb)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_sent text[] := app.lecture_sections_check(p_sections);
    v_current integer;
BEGIN
    IF p_base_revision IS NULL OR p_base_revision < 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'base revision must be 0 or more';
    END IF;
    v_current := app.lecture_lock_owned(p_user_id, p_lecture_id);
    RETURN QUERY SELECT * FROM app.lecture_save_outcome(
        p_lecture_id,
        p_base_revision = v_current OR coalesce(p_force, false) OR (
            coalesce(p_merge, false) AND p_base_revision < v_current
            AND NOT app.lecture_sections_changed_since(p_lecture_id, p_base_revision, v_sent)),
        p_sections, p_user_id, p_forced => p_base_revision <> v_current AND coalesce(p_force, false));
END
$$;

ALTER FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean, p_force boolean) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean, p_force boolean) IS 'Save sections on a base revision: saved (revision+1) or conflict (latest snapshot, no write). Options: force, merge. PT404 not found, PT422 invalid sections or base revision.';

CREATE FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer) RETURNS TABLE(project_id integer, lecture_id integer, run_id text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_project_id integer;
    v_lecture app.video_lectures;
BEGIN
    IF p_user_id IS NULL OR length(p_user_id) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'user id must be 1 to 200 characters';
    ELSIF p_prompt IS NULL OR length(p_prompt) NOT BETWEEN 1 AND 5000 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'prompt must be 1 to 5000 characters';
    ELSIF jsonb_typeof(coalesce(p_settings, '{}')) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'settings must be a JSON object';
    END IF;
    INSERT INTO app.projects AS p (created_by, name, settings)
    VALUES (p_user_id, p_name, p_settings) RETURNING p.id INTO v_project_id;
    INSERT INTO app.video_lectures AS l (project_id, prompt)
    VALUES (v_project_id, p_prompt) RETURNING * INTO v_lecture;
    PERFORM app.revision_append(v_lecture, p_user_id, 'app', NULL, '{}', false, NULL);
    RETURN QUERY SELECT v_project_id, v_lecture.id,
        app.workflow_run_insert(p_user_id, v_lecture.id, p_workflow_kind, p_total_steps,
                                jsonb_build_object('prompt', p_prompt));
END
$$;

ALTER FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer) IS 'Create project + lecture (revision 0) + queued run, enqueue its first step. PT422 bad input.';

CREATE FUNCTION api.project_list(p_user_id text) RETURNS TABLE(id integer, name text, is_default boolean, settings jsonb, created_at timestamp with time zone, lectures jsonb)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT p.id, p.name, p.is_default, p.settings, p.created_at,
           coalesce((SELECT jsonb_agg(jsonb_build_object(
                         'id', l.id, 'title', l.title, 'revision', l.revision,
                         'updated_at', l.updated_at) ORDER BY l.id)
                     FROM app.video_lectures AS l WHERE l.project_id = p.id), '[]')
    FROM app.projects AS p
    WHERE p.created_by = p_user_id
    ORDER BY p.created_at DESC, p.id DESC;
$$;

ALTER FUNCTION api.project_list(p_user_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.project_list(p_user_id text) IS 'Projects of a user, newest first, with their lectures (no content).';

CREATE FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'procrastinate', 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) IS 'Cancel a run of the user (idempotent). PT404 not found, PT409 already succeeded or failed.';

CREATE FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb DEFAULT '{}'::jsonb) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- The lecture lock serialises concurrent starts, so at most one run is in progress.
    PERFORM app.lecture_lock_owned(p_user_id, p_lecture_id);
    RETURN app.workflow_run_insert(p_user_id, p_lecture_id, p_kind, p_total_steps, p_context);
END
$$;

ALTER FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb) IS 'Start a workflow run on a lecture; returns the run id. PT404, PT409 run in progress, PT422.';

CREATE FUNCTION api.workflow_run_fail(p_run_id text, p_error text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION api.workflow_run_fail(p_run_id text, p_error text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_fail(p_run_id text, p_error text) IS 'Mark a run failed with its error; returns its status (unchanged when finished). PT404.';

CREATE FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) RETURNS TABLE(run_id text, lecture_id integer, user_id text, kind text, status text, current_step integer, total_steps integer, context jsonb, error text, created_at timestamp with time zone, updated_at timestamp with time zone, steps jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) IS 'A workflow run of a user with its completed steps. PT404: missing or not theirs.';

CREATE FUNCTION api.workflow_run_start(p_run_id text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION api.workflow_run_start(p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_start(p_run_id text) IS 'Mark a queued run running; returns its status (unchanged when finished). PT404.';

CREATE FUNCTION api.workflow_run_succeed(p_run_id text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION api.workflow_run_succeed(p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_succeed(p_run_id text) IS 'Mark a fully stepped running run succeeded (idempotent). PT404, PT409.';

CREATE FUNCTION api.workflow_run_work(p_run_id text) RETURNS TABLE(run_id text, lecture_id integer, user_id text, kind text, status text, current_step integer, total_steps integer, context jsonb, lecture jsonb, settings jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY
    SELECT r.run_id, r.lecture_id, r.user_id, r.kind, r.status, r.current_step, r.total_steps,
           r.context, app.lecture_snapshot(l) || jsonb_build_object('prompt', l.prompt),
           coalesce(p.settings, '{}')
    FROM app.workflow_runs AS r
    JOIN app.video_lectures AS l ON l.id = r.lecture_id
    JOIN app.projects AS p ON p.id = l.project_id
    WHERE r.run_id = p_run_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('workflow run %s not found', p_run_id);
    END IF;
END
$$;

ALTER FUNCTION api.workflow_run_work(p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_work(p_run_id text) IS 'Run, lecture snapshot (with prompt) and project settings for a worker. PT404.';

CREATE FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb DEFAULT '{}'::jsonb, p_attempts integer DEFAULT 1, p_started_at timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS TABLE(revision integer, applied boolean, run_status text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_lock(p_run_id);
    v_revision integer;
BEGIN
    SELECT s.revision INTO v_revision FROM app.workflow_steps AS s
    WHERE s.run_id = p_run_id AND s.step_index = p_step_index;
    IF FOUND THEN
        RETURN QUERY SELECT v_revision, false, v_run.status;
        RETURN;
    END IF;
    PERFORM app.workflow_step_check(v_run, p_step_index, p_step_name, p_output_summary);
    v_revision := app.workflow_step_write(v_run, p_sections);
    INSERT INTO app.workflow_steps AS s
        (run_id, step_index, name, revision, output_summary, attempts, started_at, completed_at)
    VALUES (p_run_id, p_step_index, p_step_name, v_revision, coalesce(p_output_summary, '{}'),
            greatest(coalesce(p_attempts, 1), 1), p_started_at, clock_timestamp());
    UPDATE app.workflow_runs AS r
    SET current_step = p_step_index, updated_at = clock_timestamp(),
        status = CASE WHEN p_step_index = r.total_steps THEN 'succeeded' ELSE 'running' END
    WHERE r.run_id = p_run_id
    RETURNING * INTO v_run;
    IF p_step_index < v_run.total_steps THEN
        PERFORM app.workflow_enqueue_step(p_run_id, p_step_index + 1);
    END IF;
    PERFORM app.workflow_run_notify(v_run);
    RETURN QUERY SELECT v_revision, true, v_run.status;
END
$$;

ALTER FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone) IS 'Apply a workflow step once (idempotent per run and step). PT404, PT409 cancelled/finished/out of order, PT422 invalid sections.';

CREATE FUNCTION app.lecture_check_owned(p_user_id text, p_lecture_id integer) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM FROM app.video_lectures AS l
    JOIN app.projects AS p ON p.id = l.project_id
    WHERE l.id = p_lecture_id AND p.created_by = p_user_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('lecture %s not found', p_lecture_id);
    END IF;
END
$$;

ALTER FUNCTION app.lecture_check_owned(p_user_id text, p_lecture_id integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_commit(p_lecture_id integer, p_sections jsonb, p_actor text, p_source text, p_run_id text DEFAULT NULL::text, p_forced boolean DEFAULT false, p_restored_from integer DEFAULT NULL::integer) RETURNS TABLE(revision integer, updated_at timestamp with time zone, changed_sections text[])
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_lecture app.video_lectures;
    v_after jsonb;
    v_changed text[];
BEGIN
    SELECT * INTO STRICT v_lecture FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
    v_after := app.lecture_content(v_lecture) || p_sections;
    v_changed := ARRAY(
        SELECT k FROM jsonb_object_keys(p_sections) AS k
        WHERE app.lecture_content(v_lecture) -> k IS DISTINCT FROM p_sections -> k ORDER BY k);
    IF cardinality(v_changed) = 0 THEN
        RETURN QUERY SELECT v_lecture.revision, v_lecture.updated_at, v_changed;
        RETURN;
    END IF;
    UPDATE app.video_lectures AS l
    SET title = v_after ->> 'title', summary = v_after ->> 'summary',
        script = nullif(v_after -> 'script', 'null'), images = nullif(v_after -> 'images', 'null'),
        videos = nullif(v_after -> 'videos', 'null'),
        narration = nullif(v_after -> 'narration', 'null'),
        music = nullif(v_after -> 'music', 'null'), effects = nullif(v_after -> 'effects', 'null'),
        timeline = nullif(v_after -> 'timeline', 'null'),
        revision = l.revision + 1, updated_at = clock_timestamp()
    WHERE l.id = p_lecture_id
    RETURNING * INTO v_lecture;
    PERFORM app.revision_append(v_lecture, p_actor, p_source, p_run_id, v_changed, p_forced,
                                p_restored_from);
    RETURN QUERY SELECT v_lecture.revision, v_lecture.updated_at, v_changed;
END
$$;

ALTER FUNCTION app.lecture_commit(p_lecture_id integer, p_sections jsonb, p_actor text, p_source text, p_run_id text, p_forced boolean, p_restored_from integer) OWNER TO tutopanda_owner;

CREATE TABLE app.video_lectures (
    id integer NOT NULL,
    project_id integer NOT NULL,
    title text DEFAULT 'Untitled Lecture'::text NOT NULL,
    prompt text,
    summary text,
    script jsonb,
    images jsonb,
    narration jsonb,
    videos jsonb,
    music jsonb,
    effects jsonb,
    timeline jsonb,
    revision integer DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT video_lectures_revision_not_negative CHECK ((revision >= 0))
);

ALTER TABLE app.video_lectures OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_content(p_lecture app.video_lectures) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT jsonb_build_object(
        'title', p_lecture.title, 'summary', p_lecture.summary, 'script', p_lecture.script,
        'images', p_lecture.images, 'videos', p_lecture.videos, 'narration', p_lecture.narration,
        'music', p_lecture.music, 'effects', p_lecture.effects, 'timeline', p_lecture.timeline);
$$;

ALTER FUNCTION app.lecture_content(p_lecture app.video_lectures) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_lock_owned(p_user_id text, p_lecture_id integer) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_revision integer;
BEGIN
    SELECT l.revision INTO v_revision
    FROM app.video_lectures AS l
    JOIN app.projects AS p ON p.id = l.project_id
    WHERE l.id = p_lecture_id AND p.created_by = p_user_id
    FOR UPDATE OF l;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('lecture %s not found', p_lecture_id);
    END IF;
    RETURN v_revision;
END
$$;

ALTER FUNCTION app.lecture_lock_owned(p_user_id text, p_lecture_id integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_revisions_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'PT409',
        MESSAGE = format('lecture history is append-only (%s refused)', lower(TG_OP));
END
$$;

ALTER FUNCTION app.lecture_revisions_guard() OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_save_outcome(p_lecture_id integer, p_apply boolean, p_sections jsonb, p_actor text, p_forced boolean, p_restored_from integer DEFAULT NULL::integer) RETURNS TABLE(status text, revision integer, updated_at timestamp with time zone, changed_sections text[], lecture jsonb)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_apply THEN
        RETURN QUERY
        SELECT 'saved'::text, c.revision, c.updated_at, c.changed_sections, NULL::jsonb
        FROM app.lecture_commit(p_lecture_id, p_sections, p_actor, 'app', NULL, p_forced,
                                p_restored_from) AS c;
    ELSE
        RETURN QUERY
        SELECT 'conflict'::text, l.revision, l.updated_at, '{}'::text[], app.lecture_snapshot(l)
        FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
    END IF;
END
$$;

ALTER FUNCTION app.lecture_save_outcome(p_lecture_id integer, p_apply boolean, p_sections jsonb, p_actor text, p_forced boolean, p_restored_from integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_section_names() RETURNS text[]
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT ARRAY['title', 'summary', 'script', 'images', 'videos', 'narration', 'music',
                 'effects', 'timeline'];
$$;

ALTER FUNCTION app.lecture_section_names() OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_sections_changed_since(p_lecture_id integer, p_revision integer, p_sections text[]) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT EXISTS (
        SELECT FROM app.lecture_revisions AS r
        WHERE r.lecture_id = p_lecture_id AND r.revision > p_revision
          AND r.changed_sections && p_sections);
$$;

ALTER FUNCTION app.lecture_sections_changed_since(p_lecture_id integer, p_revision integer, p_sections text[]) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_sections_check(p_sections jsonb) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_key text;
    v_type text;
    v_expected text[];
BEGIN
    IF p_sections IS NULL OR jsonb_typeof(p_sections) <> 'object' OR p_sections = '{}' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'sections must be a non-empty JSON object';
    END IF;
    FOR v_key, v_type IN SELECT e.key, jsonb_typeof(e.value) FROM jsonb_each(p_sections) AS e LOOP
        v_expected := CASE
            WHEN v_key = 'title' THEN ARRAY['string']
            WHEN v_key = 'summary' THEN ARRAY['string', 'null']
            WHEN v_key IN ('script', 'timeline') THEN ARRAY['object', 'null']
            WHEN v_key = ANY (app.lecture_section_names()) THEN ARRAY['array', 'null']
        END;
        IF v_expected IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = format('unknown section %I', v_key),
                HINT = 'sections: ' || array_to_string(app.lecture_section_names(), ', ');
        ELSIF NOT v_type = ANY (v_expected) THEN
            RAISE EXCEPTION USING ERRCODE = 'PT422',
                MESSAGE = format('section %I must be %s, not %s', v_key,
                                 array_to_string(v_expected, ' or '), v_type);
        END IF;
    END LOOP;
    IF length(p_sections ->> 'title') NOT BETWEEN 1 AND 500 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'title must be 1 to 500 characters';
    END IF;
    RETURN ARRAY(SELECT k FROM jsonb_object_keys(p_sections) AS k ORDER BY k);
END
$$;

ALTER FUNCTION app.lecture_sections_check(p_sections jsonb) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_snapshot(p_lecture app.video_lectures) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT app.lecture_content(p_lecture) || jsonb_build_object(
        'id', p_lecture.id, 'projectId', p_lecture.project_id,
        'revision', p_lecture.revision, 'updatedAt', p_lecture.updated_at);
$$;

ALTER FUNCTION app.lecture_snapshot(p_lecture app.video_lectures) OWNER TO tutopanda_owner;

CREATE FUNCTION app.notify(p_payload jsonb) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT pg_notify('tutopanda_events', p_payload::text);
$$;

ALTER FUNCTION app.notify(p_payload jsonb) OWNER TO tutopanda_owner;

CREATE FUNCTION app.retention_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'PT409',
        MESSAGE = format('%s are never deleted: their history must outlive them (%s refused)',
                         replace(TG_TABLE_NAME, 'video_', ''), lower(TG_OP));
END
$$;

ALTER FUNCTION app.retention_guard() OWNER TO tutopanda_owner;

CREATE FUNCTION app.revision_append(p_lecture app.video_lectures, p_actor text, p_source text, p_run_id text, p_changed text[], p_forced boolean, p_restored_from integer) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_prev bytea;
    v_data jsonb := app.lecture_content(p_lecture);
BEGIN
    SELECT r.hash INTO v_prev FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture.id AND r.revision = p_lecture.revision - 1;
    INSERT INTO app.lecture_revisions AS r
        (lecture_id, revision, data, created_by, source, run_id, changed_sections, forced,
         restored_from, created_at, prev_hash, hash)
    VALUES (p_lecture.id, p_lecture.revision, v_data, p_actor, p_source, p_run_id, p_changed,
            p_forced, p_restored_from, p_lecture.updated_at, v_prev,
            audit.revision_hash(v_prev, p_lecture.id, p_lecture.revision, v_data, p_actor,
                                p_source, p_run_id, p_changed, p_forced, p_restored_from,
                                p_lecture.updated_at));
    PERFORM app.notify(jsonb_build_object(
        'type', 'lecture.revision', 'lectureId', p_lecture.id, 'revision', p_lecture.revision,
        'source', p_source, 'runId', p_run_id, 'changedSections', to_jsonb(p_changed)));
END
$$;

ALTER FUNCTION app.revision_append(p_lecture app.video_lectures, p_actor text, p_source text, p_run_id text, p_changed text[], p_forced boolean, p_restored_from integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_enqueue_step(p_run_id text, p_step_index integer) RETURNS bigint
    LANGUAGE sql
    SET search_path TO 'procrastinate', 'pg_catalog', 'pg_temp'
    AS $$
    SELECT (procrastinate.procrastinate_defer_jobs_v1(ARRAY[ROW(
        'workflows', 'tutopanda.workflow_step', 0, NULL, NULL,
        jsonb_build_object('run_id', p_run_id, 'step_index', p_step_index), NULL
    )::procrastinate.procrastinate_job_to_defer_v1]))[1];
$$;

ALTER FUNCTION app.workflow_enqueue_step(p_run_id text, p_step_index integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_insert(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
    PERFORM app.workflow_run_notify(v_run);
    RETURN v_run.run_id;
END
$_$;

ALTER FUNCTION app.workflow_run_insert(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb) OWNER TO tutopanda_owner;

CREATE TABLE app.workflow_runs (
    run_id text NOT NULL,
    lecture_id integer NOT NULL,
    user_id text NOT NULL,
    kind text NOT NULL,
    status text DEFAULT 'queued'::text NOT NULL,
    current_step integer DEFAULT 0 NOT NULL,
    total_steps integer DEFAULT 0 NOT NULL,
    context jsonb DEFAULT '{}'::jsonb NOT NULL,
    error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workflow_runs_current_step_check CHECK ((current_step >= 0)),
    CONSTRAINT workflow_runs_run_id_is_uuid CHECK ((run_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'::text)),
    CONSTRAINT workflow_runs_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'running'::text, 'succeeded'::text, 'failed'::text, 'cancelled'::text]))),
    CONSTRAINT workflow_runs_step_within_total CHECK ((current_step <= total_steps)),
    CONSTRAINT workflow_runs_total_steps_check CHECK ((total_steps >= 0))
);

ALTER TABLE app.workflow_runs OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_lock(p_run_id text, p_user_id text DEFAULT NULL::text) RETURNS app.workflow_runs
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs;
BEGIN
    SELECT r.* INTO v_run
    FROM app.workflow_runs AS r
    JOIN app.video_lectures AS l ON l.id = r.lecture_id
    JOIN app.projects AS p ON p.id = l.project_id
    WHERE r.run_id = p_run_id AND (p_user_id IS NULL OR p.created_by = p_user_id)
    FOR UPDATE OF r;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('workflow run %s not found', p_run_id);
    END IF;
    RETURN v_run;
END
$$;

ALTER FUNCTION app.workflow_run_lock(p_run_id text, p_user_id text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_notify(p_run app.workflow_runs) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT app.notify(jsonb_build_object(
        'type', 'workflow.run', 'runId', p_run.run_id, 'lectureId', p_run.lecture_id,
        'kind', p_run.kind, 'status', p_run.status, 'currentStep', p_run.current_step,
        'totalSteps', p_run.total_steps));
$$;

ALTER FUNCTION app.workflow_run_notify(p_run app.workflow_runs) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_set_status(p_run_id text, p_status text, p_error text DEFAULT NULL::text) RETURNS app.workflow_runs
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs;
BEGIN
    UPDATE app.workflow_runs AS r
    SET status = p_status, error = coalesce(left(p_error, 4000), r.error), updated_at = clock_timestamp()
    WHERE r.run_id = p_run_id
    RETURNING * INTO v_run;
    PERFORM app.workflow_run_notify(v_run);
    RETURN v_run;
END
$$;

ALTER FUNCTION app.workflow_run_set_status(p_run_id text, p_status text, p_error text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_steps(p_run_id text) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
        'step_index', s.step_index, 'name', s.name, 'revision', s.revision,
        'output_summary', s.output_summary, 'attempts', s.attempts,
        'started_at', s.started_at, 'completed_at', s.completed_at) ORDER BY s.step_index), '[]')
    FROM app.workflow_steps AS s WHERE s.run_id = p_run_id;
$$;

ALTER FUNCTION app.workflow_run_steps(p_run_id text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_step_check(p_run app.workflow_runs, p_step_index integer, p_step_name text, p_output_summary jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_run.status IN ('cancelled', 'succeeded', 'failed') THEN
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

ALTER FUNCTION app.workflow_step_check(p_run app.workflow_runs, p_step_index integer, p_step_name text, p_output_summary jsonb) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_step_write(p_run app.workflow_runs, p_sections jsonb) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_revision integer;
BEGIN
    SELECT l.revision INTO STRICT v_revision
    FROM app.video_lectures AS l WHERE l.id = p_run.lecture_id FOR UPDATE;
    IF p_sections IS NULL OR p_sections = '{}' THEN
        RETURN v_revision;
    END IF;
    PERFORM app.lecture_sections_check(p_sections);
    SELECT c.revision INTO v_revision
    FROM app.lecture_commit(p_run.lecture_id, p_sections, p_run.user_id, 'workflow',
                            p_run.run_id) AS c;
    RETURN v_revision;
END
$$;

ALTER FUNCTION app.workflow_step_write(p_run app.workflow_runs, p_sections jsonb) OWNER TO tutopanda_owner;

CREATE FUNCTION audit.query_objects(p_query text) RETURNS TABLE(object_kind text, schema_name text, object_name text)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    v_plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (VERBOSE, FORMAT JSON) ' || p_query INTO v_plan;
    RETURN QUERY
    SELECT DISTINCT
           CASE WHEN n.node ? 'Relation Name' THEN 'relation' ELSE 'function' END,
           n.node ->> 'Schema',
           coalesce(n.node ->> 'Relation Name', n.node ->> 'Function Name')
    FROM jsonb_path_query(v_plan, 'strict $.**') AS n (node)
    WHERE jsonb_typeof(n.node) = 'object'
      AND (n.node ? 'Relation Name' OR n.node ? 'Function Name')
    ORDER BY 1, 2, 3;
END
$_$;

ALTER FUNCTION audit.query_objects(p_query text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION audit.query_objects(p_query text) IS 'Relations and functions the plan of a query scans: the query is EXPLAINed, never run, with the caller''s rights (it gives them nothing an EXPLAIN of their own would not). tutopanda audit query refuses a plan that reaches beyond the audit views.';

CREATE FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT sha256(convert_to(
        coalesce(encode(p_prev_hash, 'hex'), '') || ':' || jsonb_build_object(
            'lectureId', p_lecture_id, 'revision', p_revision, 'data', p_data,
            'createdBy', p_created_by, 'source', p_source, 'runId', p_run_id,
            'changedSections', to_jsonb(p_changed_sections), 'forced', p_forced,
            'restoredFrom', p_restored_from,
            'createdAt', (extract(epoch FROM p_created_at) * 1000000)::bigint
        )::text,
        'UTF8'));
$$;

ALTER FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) IS 'The hash of a history row given the previous row''s hash: recompute it to verify the chain.';

CREATE TABLE app.installed_components (
    name text NOT NULL,
    version text NOT NULL,
    installed_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE app.installed_components OWNER TO tutopanda_owner;

CREATE TABLE app.lecture_revisions (
    id bigint NOT NULL,
    lecture_id integer NOT NULL,
    revision integer NOT NULL,
    data jsonb NOT NULL,
    created_by text NOT NULL,
    source text DEFAULT 'app'::text NOT NULL,
    run_id text,
    changed_sections text[] DEFAULT '{}'::text[] NOT NULL,
    forced boolean DEFAULT false NOT NULL,
    restored_from integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    prev_hash bytea,
    hash bytea NOT NULL,
    CONSTRAINT lecture_revisions_revision_check CHECK ((revision >= 0)),
    CONSTRAINT lecture_revisions_source_check CHECK ((source = ANY (ARRAY['app'::text, 'workflow'::text, 'system'::text])))
);

ALTER TABLE app.lecture_revisions OWNER TO tutopanda_owner;

COMMENT ON COLUMN app.lecture_revisions.prev_hash IS 'The hash of the previous revision of the same lecture (NULL for the first).';

COMMENT ON COLUMN app.lecture_revisions.hash IS 'audit.revision_hash(prev_hash, this row): SHA-256 chained per lecture (tamper evidence).';

ALTER TABLE app.lecture_revisions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.lecture_revisions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE app.projects (
    id integer NOT NULL,
    created_by text NOT NULL,
    name text,
    is_default boolean DEFAULT false NOT NULL,
    settings jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE app.projects OWNER TO tutopanda_owner;

CREATE SEQUENCE app.projects_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE app.projects_id_seq OWNER TO tutopanda_owner;

ALTER SEQUENCE app.projects_id_seq OWNED BY app.projects.id;

CREATE SEQUENCE app.video_lectures_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE app.video_lectures_id_seq OWNER TO tutopanda_owner;

ALTER SEQUENCE app.video_lectures_id_seq OWNED BY app.video_lectures.id;

CREATE TABLE app.workflow_steps (
    run_id text NOT NULL,
    step_index integer NOT NULL,
    name text NOT NULL,
    revision integer NOT NULL,
    output_summary jsonb DEFAULT '{}'::jsonb NOT NULL,
    attempts integer DEFAULT 1 NOT NULL,
    started_at timestamp with time zone,
    completed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workflow_steps_attempts_check CHECK ((attempts >= 1)),
    CONSTRAINT workflow_steps_revision_check CHECK ((revision >= 0)),
    CONSTRAINT workflow_steps_step_index_check CHECK ((step_index >= 1))
);

ALTER TABLE app.workflow_steps OWNER TO tutopanda_owner;

CREATE VIEW audit.lecture_snapshots AS
 SELECT r.lecture_id,
    r.revision,
    r.data,
    r.created_at AS changed_at
   FROM app.lecture_revisions r;

ALTER VIEW audit.lecture_snapshots OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.lecture_snapshots IS 'The lecture content (JSON, camelCase like the editor''s) after each revision.';

CREATE VIEW audit.chain_heads AS
 WITH heads AS (
         SELECT DISTINCT ON (r.lecture_id) r.lecture_id,
            r.revision,
            r.hash,
            count(*) OVER (PARTITION BY r.lecture_id) AS revisions
           FROM app.lecture_revisions r
          ORDER BY r.lecture_id, r.revision DESC
        )
 SELECT COALESCE(h.lecture_id, l.id) AS lecture_id,
    h.revision,
    encode(h.hash, 'hex'::text) AS hash,
    COALESCE(h.revisions, (0)::bigint) AS revisions,
    l.revision AS live_revision,
    COALESCE(((l.revision = h.revision) AND (app.lecture_content(l.*) = s.data)), false) AS live_matches
   FROM ((heads h
     FULL JOIN app.video_lectures l ON ((l.id = h.lecture_id)))
     LEFT JOIN audit.lecture_snapshots s ON (((s.lecture_id = h.lecture_id) AND (s.revision = h.revision))));

ALTER VIEW audit.chain_heads OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.chain_heads IS 'Per lecture: the head of its history chain (revision, hash, number of rows) and whether the live lecture is that revision with that content (live_matches). A lecture without history, or history without its lecture, has NULLs on the missing side.';

CREATE VIEW audit.workflow_activity AS
 SELECT w.run_id,
    w.lecture_id,
    l.project_id,
    p.created_by AS owner,
    w.user_id AS started_by,
    w.kind,
    w.status AS outcome,
    w.current_step AS steps_done,
    w.total_steps,
    w.error,
    w.created_at AS queued_at,
        CASE
            WHEN (w.status = ANY (ARRAY['succeeded'::text, 'failed'::text, 'cancelled'::text])) THEN w.updated_at
            ELSE NULL::timestamp with time zone
        END AS finished_at,
        CASE
            WHEN (w.status = ANY (ARRAY['succeeded'::text, 'failed'::text, 'cancelled'::text])) THEN (w.updated_at - w.created_at)
            ELSE NULL::interval
        END AS duration,
    COALESCE(( SELECT jsonb_agg(jsonb_build_object('step', s.step_index, 'name', s.name, 'revision', s.revision, 'attempts', s.attempts, 'seconds', round(EXTRACT(epoch FROM (s.completed_at - s.started_at)), 3)) ORDER BY s.step_index) AS jsonb_agg
           FROM app.workflow_steps s
          WHERE (s.run_id = w.run_id)), '[]'::jsonb) AS steps
   FROM ((app.workflow_runs w
     JOIN app.video_lectures l ON ((l.id = w.lecture_id)))
     JOIN app.projects p ON ((p.id = l.project_id)));

ALTER VIEW audit.workflow_activity OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.workflow_activity IS 'Every workflow run: outcome (queued, running, succeeded, failed, cancelled), steps, timing.';

CREATE VIEW audit.failed_runs AS
 SELECT a.run_id,
    a.lecture_id,
    a.owner,
    a.kind,
    (a.steps_done + 1) AS failed_step,
    a.total_steps,
    a.error,
    a.finished_at AS failed_at
   FROM audit.workflow_activity a
  WHERE (a.outcome = 'failed'::text);

ALTER VIEW audit.failed_runs OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.failed_runs IS 'Failed workflow runs with the failing step and the error.';

CREATE VIEW audit.history_chain AS
 WITH ordered AS (
         SELECT r.id,
            r.lecture_id,
            r.revision,
            r.data,
            r.created_by,
            r.source,
            r.run_id,
            r.changed_sections,
            r.forced,
            r.restored_from,
            r.created_at,
            r.prev_hash,
            r.hash,
            lag(r.hash) OVER history AS previous_hash,
            lag(r.revision) OVER history AS previous_revision
           FROM app.lecture_revisions r
          WINDOW history AS (PARTITION BY r.lecture_id ORDER BY r.revision)
        )
 SELECT o.lecture_id,
    o.revision,
    encode(o.hash, 'hex'::text) AS hash,
    (o.hash = audit.revision_hash(o.prev_hash, o.lecture_id, o.revision, o.data, o.created_by, o.source, o.run_id, o.changed_sections, o.forced, o.restored_from, o.created_at)) AS content_intact,
    (NOT (o.prev_hash IS DISTINCT FROM o.previous_hash)) AS link_intact,
    COALESCE((o.revision = (o.previous_revision + 1)), (o.revision = 0)) AS sequence_intact
   FROM ordered o;

ALTER VIEW audit.history_chain OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.history_chain IS 'Tamper check per history row: content_intact (row matches its hash), link_intact (chained to the previous row), sequence_intact (no missing revision before it).';

CREATE VIEW audit.lecture_history AS
 SELECT r.lecture_id,
    l.project_id,
    p.created_by AS owner,
    l.title AS lecture_title,
    r.revision,
    r.source,
    r.created_by AS actor,
    r.run_id,
    r.changed_sections,
    r.forced,
    r.restored_from,
    pg_column_size(r.data) AS snapshot_bytes,
    r.created_at AS changed_at,
    encode(r.hash, 'hex'::text) AS hash
   FROM ((app.lecture_revisions r
     JOIN app.video_lectures l ON ((l.id = r.lecture_id)))
     JOIN app.projects p ON ((p.id = l.project_id)));

ALTER VIEW audit.lecture_history OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.lecture_history IS 'Every revision of every lecture: actor, source (app, workflow, system), run, changed sections.';

COMMENT ON COLUMN audit.lecture_history.source IS 'app: an editor save or restore; workflow: a workflow step (run_id set); system: migration.';

COMMENT ON COLUMN audit.lecture_history.actor IS 'The user id that made the change (for a workflow step, the user who started the run).';

COMMENT ON COLUMN audit.lecture_history.forced IS 'True when an editor overwrote newer revisions on purpose (force option).';

COMMENT ON COLUMN audit.lecture_history.restored_from IS 'The older revision whose content this revision restored, if any.';

COMMENT ON COLUMN audit.lecture_history.snapshot_bytes IS 'Stored size of the full snapshot after this revision.';

CREATE VIEW audit.lectures AS
 SELECT l.id AS lecture_id,
    l.project_id,
    p.created_by AS owner,
    p.name AS project_name,
    l.title,
    l.revision AS current_revision,
    l.created_at,
    l.updated_at,
    ( SELECT count(*) AS count
           FROM app.lecture_revisions r
          WHERE (r.lecture_id = l.id)) AS revisions
   FROM (app.video_lectures l
     JOIN app.projects p ON ((p.id = l.project_id)));

ALTER VIEW audit.lectures OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.lectures IS 'Every lecture: owner, title, current revision, history rows.';

CREATE VIEW audit.section_changes AS
 SELECT h.lecture_id,
    h.project_id,
    h.owner,
    h.revision,
    s.section,
    h.source,
    h.actor,
    h.run_id,
    h.forced,
    h.changed_at
   FROM (audit.lecture_history h
     CROSS JOIN LATERAL unnest(h.changed_sections) s(section));

ALTER VIEW audit.section_changes OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.section_changes IS 'One row per (revision, changed section): title, summary, script, images, videos, narration, music, effects or timeline.';

CREATE VIEW audit.workflow_steps AS
 SELECT s.run_id,
    w.lecture_id,
    w.kind,
    w.status AS run_outcome,
    s.step_index,
    s.name AS step,
    s.revision,
    s.attempts,
    s.started_at,
    s.completed_at,
    (s.completed_at - s.started_at) AS duration,
    s.output_summary
   FROM (app.workflow_steps s
     JOIN app.workflow_runs w ON ((w.run_id = s.run_id)));

ALTER VIEW audit.workflow_steps OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.workflow_steps IS 'Every completed workflow step: the revision it wrote, attempts, duration, output summary.';

ALTER TABLE ONLY app.projects ALTER COLUMN id SET DEFAULT nextval('app.projects_id_seq'::regclass);

ALTER TABLE ONLY app.video_lectures ALTER COLUMN id SET DEFAULT nextval('app.video_lectures_id_seq'::regclass);

ALTER TABLE ONLY app.installed_components
    ADD CONSTRAINT installed_components_pkey PRIMARY KEY (name);

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revision_unique UNIQUE (lecture_id, revision);

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revisions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.video_lectures
    ADD CONSTRAINT video_lectures_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.workflow_runs
    ADD CONSTRAINT workflow_runs_pkey PRIMARY KEY (run_id);

ALTER TABLE ONLY app.workflow_steps
    ADD CONSTRAINT workflow_steps_pkey PRIMARY KEY (run_id, step_index);

CREATE INDEX lecture_revisions_run_id_idx ON app.lecture_revisions USING btree (run_id);

CREATE INDEX projects_created_by_idx ON app.projects USING btree (created_by);

CREATE INDEX video_lectures_project_id_idx ON app.video_lectures USING btree (project_id);

CREATE INDEX workflow_runs_lecture_id_idx ON app.workflow_runs USING btree (lecture_id);

CREATE UNIQUE INDEX workflow_runs_one_active_per_lecture ON app.workflow_runs USING btree (lecture_id) WHERE (status = ANY (ARRAY['queued'::text, 'running'::text]));

CREATE INDEX workflow_runs_status_idx ON app.workflow_runs USING btree (status);

CREATE TRIGGER lecture_revisions_append_only BEFORE DELETE OR UPDATE ON app.lecture_revisions FOR EACH ROW EXECUTE FUNCTION app.lecture_revisions_guard();

CREATE TRIGGER lecture_revisions_no_truncate BEFORE TRUNCATE ON app.lecture_revisions FOR EACH STATEMENT EXECUTE FUNCTION app.lecture_revisions_guard();

CREATE TRIGGER projects_never_deleted BEFORE DELETE ON app.projects FOR EACH ROW EXECUTE FUNCTION app.retention_guard();

CREATE TRIGGER projects_never_truncated BEFORE TRUNCATE ON app.projects FOR EACH STATEMENT EXECUTE FUNCTION app.retention_guard();

CREATE TRIGGER video_lectures_never_deleted BEFORE DELETE ON app.video_lectures FOR EACH ROW EXECUTE FUNCTION app.retention_guard();

CREATE TRIGGER video_lectures_never_truncated BEFORE TRUNCATE ON app.video_lectures FOR EACH STATEMENT EXECUTE FUNCTION app.retention_guard();

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revisions_lecture_id_fkey FOREIGN KEY (lecture_id) REFERENCES app.video_lectures(id) ON DELETE RESTRICT;

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revisions_run_id_fkey FOREIGN KEY (run_id) REFERENCES app.workflow_runs(run_id);

ALTER TABLE ONLY app.video_lectures
    ADD CONSTRAINT video_lectures_project_id_fkey FOREIGN KEY (project_id) REFERENCES app.projects(id) ON DELETE CASCADE;

ALTER TABLE ONLY app.workflow_runs
    ADD CONSTRAINT workflow_runs_lecture_id_fkey FOREIGN KEY (lecture_id) REFERENCES app.video_lectures(id) ON DELETE CASCADE;

ALTER TABLE ONLY app.workflow_steps
    ADD CONSTRAINT workflow_steps_run_id_fkey FOREIGN KEY (run_id) REFERENCES app.workflow_runs(run_id) ON DELETE CASCADE;

GRANT USAGE ON SCHEMA api TO tutopanda_runtime;

GRANT USAGE ON SCHEMA audit TO tutopanda_auditor;

REVOKE ALL ON FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer, p_before_revision integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer, p_before_revision integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean, p_force boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean, p_force boolean) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.project_list(p_user_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.project_list(p_user_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_fail(p_run_id text, p_error text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_fail(p_run_id text, p_error text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_start(p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_start(p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_succeed(p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_succeed(p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_work(p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_work(p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION app.lecture_check_owned(p_user_id text, p_lecture_id integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_commit(p_lecture_id integer, p_sections jsonb, p_actor text, p_source text, p_run_id text, p_forced boolean, p_restored_from integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_content(p_lecture app.video_lectures) FROM PUBLIC;
GRANT ALL ON FUNCTION app.lecture_content(p_lecture app.video_lectures) TO tutopanda_auditor;

REVOKE ALL ON FUNCTION app.lecture_lock_owned(p_user_id text, p_lecture_id integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_revisions_guard() FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_save_outcome(p_lecture_id integer, p_apply boolean, p_sections jsonb, p_actor text, p_forced boolean, p_restored_from integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_section_names() FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_sections_changed_since(p_lecture_id integer, p_revision integer, p_sections text[]) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_sections_check(p_sections jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_snapshot(p_lecture app.video_lectures) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.notify(p_payload jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.retention_guard() FROM PUBLIC;

REVOKE ALL ON FUNCTION app.revision_append(p_lecture app.video_lectures, p_actor text, p_source text, p_run_id text, p_changed text[], p_forced boolean, p_restored_from integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_enqueue_step(p_run_id text, p_step_index integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_insert(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_lock(p_run_id text, p_user_id text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_notify(p_run app.workflow_runs) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_set_status(p_run_id text, p_status text, p_error text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_steps(p_run_id text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_step_check(p_run app.workflow_runs, p_step_index integer, p_step_name text, p_output_summary jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_step_write(p_run app.workflow_runs, p_sections jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION audit.query_objects(p_query text) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.query_objects(p_query text) TO tutopanda_auditor;

REVOKE ALL ON FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.lecture_snapshots TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.chain_heads TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.workflow_activity TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.failed_runs TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.history_chain TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.lecture_history TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.lectures TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.section_changes TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.workflow_steps TO tutopanda_auditor;
