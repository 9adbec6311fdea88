-- The lecture aggregate's api: read a lecture, save a draft with optimistic concurrency.

CREATE OR REPLACE FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id);
    RETURN (SELECT app.lecture_snapshot(l) FROM app.video_lectures AS l WHERE l.id = p_lecture_id);
END
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
    p_force boolean DEFAULT false,
    OUT status text,
    OUT revision integer,
    OUT updated_at timestamptz,
    OUT changed_sections text[],
    OUT lecture jsonb
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v record;
BEGIN
    IF p_base_revision IS NULL OR p_base_revision < 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'base revision must be 0 or more';
    END IF;
    v := app.lecture_write(p_lecture_id, p_user_id, p_sections, p_base_revision,
                           coalesce(p_force, false), coalesce(p_merge, false), p_user_id, 'app');
    status := v.status;
    revision := v.revision;
    updated_at := v.updated_at;
    changed_sections := v.changed_sections;
    lecture := v.lecture;
END
$$;
COMMENT ON FUNCTION api.lecture_save(text, integer, integer, jsonb, boolean, boolean) IS
    'Save sections on the revision the editor saw: saved (revision + 1) or conflict (the latest '
    'snapshot, nothing written). p_force overwrites newer revisions (recorded as forced); p_merge '
    'applies when none of the sent sections changed since the base. PT404, PT422 invalid sections '
    'or base revision.';
