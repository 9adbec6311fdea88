-- The project api: create a project with its lecture and generation run; list projects.

CREATE OR REPLACE FUNCTION api.project_create(
    p_user_id text,
    p_prompt text,
    p_name text,
    p_settings jsonb,
    p_workflow_kind text,
    p_total_steps integer
)
RETURNS TABLE (project_id integer, lecture_id integer, run_id text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
    PERFORM app.history_start(v_lecture, p_user_id);
    RETURN QUERY SELECT v_project_id, v_lecture.id,
        app.workflow_run_insert(p_user_id, v_lecture.id, p_workflow_kind, p_total_steps,
                                jsonb_build_object('prompt', p_prompt));
END
$$;
COMMENT ON FUNCTION api.project_create(text, text, text, jsonb, text, integer) IS
    'Create a project, its lecture (revision 0, empty sections, a revision-0 history row) and a '
    'queued workflow run whose first step job is enqueued in the same transaction. PT422.';

CREATE OR REPLACE FUNCTION api.project_list(p_user_id text)
RETURNS TABLE (
    id integer, name text, is_default boolean, settings jsonb, created_at timestamptz,
    lectures jsonb
)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.project_list(text) IS
    'Projects of a user, newest first, each with its lectures (id, title, revision, updated_at; '
    'no content).';
