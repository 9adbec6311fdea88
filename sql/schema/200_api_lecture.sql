-- The lecture aggregate's api: read a lecture, save a draft with optimistic concurrency.

CREATE OR REPLACE FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer)
RETURNS jsonb
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT app.lecture_snapshot(app.lecture_owned(p_user_id, p_lecture_id));
$$;
COMMENT ON FUNCTION api.lecture_get(text, integer) IS
    'A lecture of a user as JSON (sections, id, projectId, revision, updatedAt). PT404: missing '
    'or not theirs.';

CREATE OR REPLACE FUNCTION api.lecture_save(
    p_user_id text,
    p_lecture_id integer,
    p_base_revision integer,
    p_sections jsonb,
    p_merge boolean DEFAULT false,
    p_force boolean DEFAULT false
)
RETURNS TABLE (
    status text, revision integer, updated_at timestamptz, changed_sections text[], lecture jsonb
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_sent text[] := app.lecture_sections_check(p_sections);
    v_lecture app.video_lectures;
BEGIN
    IF p_base_revision IS NULL OR p_base_revision < 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'base revision must be 0 or more';
    END IF;
    v_lecture := app.lecture_owned(p_user_id, p_lecture_id, p_lock => true);
    RETURN QUERY SELECT * FROM app.lecture_save_outcome(
        v_lecture,
        p_base_revision = v_lecture.revision OR coalesce(p_force, false) OR (
            coalesce(p_merge, false) AND p_base_revision < v_lecture.revision
            AND NOT app.lecture_sections_changed_since(p_lecture_id, p_base_revision, v_sent)),
        p_sections, p_user_id,
        p_forced => p_base_revision <> v_lecture.revision AND coalesce(p_force, false));
END
$$;
COMMENT ON FUNCTION api.lecture_save(text, integer, integer, jsonb, boolean, boolean) IS
    'Save sections on the revision the editor saw: saved (revision + 1) or conflict (the latest '
    'snapshot, nothing written). p_force overwrites newer revisions (recorded as forced); p_merge '
    'applies when none of the sent sections changed since the base. PT404, PT422 invalid sections '
    'or base revision.';
