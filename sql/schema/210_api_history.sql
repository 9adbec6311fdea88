-- The history api: list revisions, read one, restore an old one as a new revision.

CREATE OR REPLACE FUNCTION api.lecture_history_list(
    p_user_id text,
    p_lecture_id integer,
    p_limit integer DEFAULT 50,
    p_before_revision integer DEFAULT NULL
)
RETURNS TABLE (
    revision integer, source text, created_by text, run_id text, changed_sections text[],
    forced boolean, restored_from integer, size_bytes integer, created_at timestamptz
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
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_action => 'read');
    RETURN QUERY
    SELECT r.revision, r.source, r.created_by, r.run_id, r.changed_sections, r.forced,
           r.restored_from, pg_column_size(coalesce(r.data, r.delta)), r.created_at
    FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id
      AND (p_before_revision IS NULL OR r.revision < p_before_revision)
    ORDER BY r.revision DESC
    LIMIT p_limit;
END
$$;
COMMENT ON FUNCTION api.lecture_history_list(text, integer, integer, integer) IS
    'History of a lecture, newest first, p_limit rows older than p_before_revision (the smallest '
    'revision of the previous page). PT404 not found, PT422 bad limit.';

CREATE OR REPLACE FUNCTION api.lecture_revision_get(
    p_user_id text, p_lecture_id integer, p_revision integer
)
RETURNS TABLE (
    lecture_id integer, revision integer, source text, created_by text, run_id text,
    changed_sections text[], forced boolean, restored_from integer, size_bytes integer,
    created_at timestamptz, data jsonb
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_action => 'read');
    RETURN QUERY
    SELECT r.lecture_id, r.revision, r.source, r.created_by, r.run_id, r.changed_sections,
           r.forced, r.restored_from, pg_column_size(coalesce(r.data, r.delta)), r.created_at,
           app.revision_content(p_lecture_id, p_revision)
    FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id AND r.revision = p_revision;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('lecture %s has no revision %s', p_lecture_id, p_revision);
    END IF;
END
$$;
COMMENT ON FUNCTION api.lecture_revision_get(text, integer, integer) IS
    'One revision of a lecture with the full snapshot after that write. PT404: lecture or '
    'revision not found.';

CREATE OR REPLACE FUNCTION api.lecture_restore(
    p_user_id text,
    p_lecture_id integer,
    p_revision integer,
    p_base_revision integer,
    p_force boolean DEFAULT false
)
RETURNS api.lecture_save_result
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_data jsonb;
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id);
    v_data := app.revision_content(p_lecture_id, p_revision);
    IF v_data IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('lecture %s has no revision %s', p_lecture_id, p_revision);
    ELSIF p_base_revision IS NULL OR p_base_revision < 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'base revision must be 0 or more';
    END IF;
    RETURN app.lecture_write(
        p_lecture_id, p_user_id,
        (SELECT jsonb_object_agg(s.name, v_data -> s.name) FROM app.lecture_sections() AS s),
        p_base_revision, coalesce(p_force, false), p_user_id, 'app',
        p_restored_from => p_revision);
END
$$;
COMMENT ON FUNCTION api.lecture_restore(text, integer, integer, integer, boolean) IS
    'Make an old revision''s content current as a new revision; optimistic like a save (a stale '
    'p_base_revision is a conflict unless p_force). PT404, PT422.';
