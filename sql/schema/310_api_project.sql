-- The project api: create a project with its lecture and generation run; list projects; read and
-- update a project's name and generation settings (revisioned, with a history).

CREATE OR REPLACE FUNCTION api.project_create(
    p_user_id text,
    p_prompt text,
    p_name text,
    p_settings jsonb,
    p_workflow_kind text,
    p_total_steps integer,
    p_max_active_runs integer,
    p_max_projects_per_hour integer
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
    PERFORM app.quota_projects_per_hour(p_user_id, p_max_projects_per_hour);
    INSERT INTO app.projects AS p (created_by, name, settings)
    VALUES (p_user_id, p_name, p_settings) RETURNING p.id INTO v_project_id;
    PERFORM app.project_member_write(v_project_id, p_user_id, 'owner', NULL, p_user_id);
    INSERT INTO app.project_settings_history (project_id, revision, name, settings, changed_by)
    VALUES (v_project_id, 0, p_name, p_settings, p_user_id);
    INSERT INTO app.video_lectures AS l (project_id, prompt)
    VALUES (v_project_id, p_prompt) RETURNING * INTO v_lecture;
    PERFORM app.history_start(v_lecture, p_user_id);
    RETURN QUERY SELECT v_project_id, v_lecture.id,
        app.workflow_run_insert(p_user_id, v_lecture.id, p_workflow_kind, p_total_steps,
                                jsonb_build_object('prompt', p_prompt), p_max_active_runs);
END
$$;
COMMENT ON FUNCTION api.project_create(text, text, text, jsonb, text, integer, integer, integer) IS
    'Create a project (settings revision 0 in its settings history) with the user as its owner, '
    'its lecture (revision 0, '
    'empty sections, a revision-0 history row) and a queued workflow run whose first step job is '
    'enqueued in the same transaction. PT422; PT429 when the user created p_max_projects_per_hour '
    'projects in the last hour or has p_max_active_runs active runs (nothing is written).';

CREATE OR REPLACE FUNCTION api.project_list(
    p_user_id text, p_limit integer DEFAULT 50, p_before_id integer DEFAULT NULL
)
RETURNS TABLE (
    id integer, name text, is_default boolean, settings jsonb, created_at timestamptz,
    lectures jsonb, role text
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 500 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'limit must be between 1 and 500';
    END IF;
    RETURN QUERY
    SELECT p.id, p.name, p.is_default, p.settings, p.created_at,
           coalesce((SELECT jsonb_agg(jsonb_build_object(
                         'id', l.id, 'title', l.title, 'revision', l.revision,
                         'updated_at', l.updated_at) ORDER BY l.id)
                     FROM app.video_lectures AS l WHERE l.project_id = p.id), '[]'),
           m.role
    FROM app.project_members AS m
    JOIN app.projects AS p ON p.id = m.project_id
    WHERE m.user_id = p_user_id  -- one range of the index (user_id, project_id): every id < 2^31
      AND m.project_id < coalesce(p_before_id::bigint, 2147483648)
    ORDER BY m.project_id DESC
    LIMIT p_limit;
END
$$;
COMMENT ON FUNCTION api.project_list(text, integer, integer) IS
    'Projects a user is a member of (their own and those shared with them), newest (highest id) '
    'first, p_limit of them with an id below p_before_id (the last id of the previous page), '
    'each with the user''s role and its lectures (id, title, revision, updated_at; no content). '
    'PT422 bad limit (1 to 500).';

CREATE OR REPLACE FUNCTION api.project_get(p_user_id text, p_project_id integer)
RETURNS TABLE (
    id integer, name text, is_default boolean, settings jsonb, settings_revision integer,
    created_at timestamptz, updated_at timestamptz
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT p.id, p.name, p.is_default, coalesce(p.settings, '{}'), p.settings_revision,
           p.created_at, p.updated_at
    FROM app.projects AS p
    WHERE p.id = p_project_id AND app.project_allows(p_user_id, p.id, 'read');
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('project %s not found', p_project_id);
    END IF;
END
$$;
COMMENT ON FUNCTION api.project_get(text, integer) IS
    'A project of the user (any role): name, generation settings and their revision. PT404.';

CREATE OR REPLACE FUNCTION api.project_update(
    p_user_id text, p_project_id integer, p_base_revision integer, p_name text,
    p_settings jsonb
)
RETURNS TABLE (
    id integer, name text, is_default boolean, settings jsonb, settings_revision integer,
    created_at timestamptz, updated_at timestamptz
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_project app.projects;
    v_settings jsonb;
    v_group text;
    v_value jsonb;
BEGIN
    SELECT p.* INTO v_project FROM app.projects AS p
    WHERE p.id = p_project_id AND app.project_allows(p_user_id, p.id, 'write')
    FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('project %s not found', p_project_id);
    ELSIF p_base_revision IS NOT NULL AND p_base_revision <> v_project.settings_revision THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('project %s is at settings revision %s, not %s', p_project_id,
                             v_project.settings_revision, p_base_revision),
            HINT = 'read the project again and apply your change to it';
    ELSIF jsonb_typeof(coalesce(p_settings, '{}')) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'settings must be a JSON object';
    ELSIF p_name IS NOT NULL AND length(p_name) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'name must be 1 to 200 characters';
    END IF;
    -- Per group: the keys sent replace the stored ones, the others stay.
    v_settings := coalesce(v_project.settings, '{}');
    FOR v_group, v_value IN SELECT e.key, e.value FROM jsonb_each(coalesce(p_settings, '{}')) AS e
    LOOP
        IF jsonb_typeof(v_value) <> 'object' THEN
            RAISE EXCEPTION USING ERRCODE = 'PT422',
                MESSAGE = format('settings group %s must be an object', v_group);
        END IF;
        v_settings := v_settings || jsonb_build_object(
            v_group, CASE jsonb_typeof(v_settings -> v_group)
                         WHEN 'object' THEN v_settings -> v_group ELSE '{}' END || v_value);
    END LOOP;
    IF v_settings IS NOT DISTINCT FROM v_project.settings
       AND coalesce(p_name, v_project.name) IS NOT DISTINCT FROM v_project.name THEN
        RETURN QUERY SELECT * FROM api.project_get(p_user_id, p_project_id);  -- nothing changed
        RETURN;
    END IF;
    UPDATE app.projects AS p
    SET name = coalesce(p_name, p.name), settings = v_settings,
        settings_revision = p.settings_revision + 1, updated_at = clock_timestamp()
    WHERE p.id = p_project_id
    RETURNING * INTO v_project;
    INSERT INTO app.project_settings_history (project_id, revision, name, settings, changed_by,
                                              changed_at)
    VALUES (v_project.id, v_project.settings_revision, v_project.name, v_project.settings,
            p_user_id, v_project.updated_at);
    RETURN QUERY SELECT * FROM api.project_get(p_user_id, p_project_id);
END
$$;
COMMENT ON FUNCTION api.project_update(text, integer, integer, text, jsonb) IS
    'Update a project of the user (an editor or owner; PT403 for a viewer): a new name and/or settings groups merged into the stored ones '
    '(keys sent replace keys stored, per group). With p_base_revision, only if the settings are '
    'still at that revision. A change is a new settings revision with a history row (who, when); '
    'no change writes nothing. PT404, PT409 stale revision, PT422 not objects or bad name.';
