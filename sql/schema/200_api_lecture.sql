-- The lecture aggregate's api: read a lecture, save a draft with optimistic concurrency.

-- api.lecture_get: a lecture of this user with its revision and updated_at.
-- Raises PT404 when it does not exist or belongs to another user.
CREATE OR REPLACE FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer)
RETURNS TABLE (
    id integer, project_id integer, title text, summary text, script jsonb, images jsonb,
    videos jsonb, narration jsonb, music jsonb, effects jsonb, timeline jsonb,
    revision integer, updated_at timestamptz
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.lecture_get(text, integer) IS
    'Read a lecture of a user (content, revision, updated_at). PT404: missing or not theirs.';

-- api.lecture_save: save some sections of a lecture on top of the revision the editor saw.
-- Same revision: saved as revision + 1. Newer revision: conflict with the latest snapshot and
-- nothing written, unless p_force (overwrite, recorded as forced) or p_merge (apply when none
-- of the sent sections changed since p_base_revision).
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
COMMENT ON FUNCTION api.lecture_save(text, integer, integer, jsonb, boolean, boolean) IS
    'Save sections on a base revision: saved (revision+1) or conflict (latest snapshot, no write). '
    'Options: force, merge. PT404 not found, PT422 invalid sections or base revision.';
