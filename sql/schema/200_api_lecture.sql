-- The lecture aggregate's api: read a lecture, save a draft with optimistic concurrency.

CREATE OR REPLACE FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_action => 'read');
    RETURN (SELECT app.lecture_snapshot(l) FROM app.video_lectures AS l WHERE l.id = p_lecture_id);
END
$$;
COMMENT ON FUNCTION api.lecture_get(text, integer) IS
    'A lecture of a user as JSON (sections, id, projectId, revision, updatedAt). PT404: missing '
    'or not theirs.';

CREATE OR REPLACE FUNCTION api.lecture_get_wire(p_user_id text, p_lecture_id integer)
RETURNS TABLE (revision integer, lecture text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_action => 'read');
    -- app.lecture_snapshot's object (api.lecture_get's), a null list section as [] and
    -- updatedAt rewritten: what LectureSnapshot would make of it.
    RETURN QUERY
    SELECT l.revision, (
        (SELECT jsonb_object_agg(c.key, CASE
                    WHEN c.value = 'null' AND 'array' = ANY (app.lecture_section_types(c.key))
                    THEN '[]'::jsonb ELSE c.value END)
         FROM jsonb_each(app.lecture_snapshot(l)) AS c)
        || jsonb_build_object('updatedAt', regexp_replace(
            to_char(l.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            '\.000000Z$', 'Z'))
    )::text
    FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
END
$$;
COMMENT ON FUNCTION api.lecture_get_wire(text, integer) IS
    'A lecture of a user as the HTTP API sends it, as JSON text, and its revision: the snapshot of '
    'api.lecture_get with list sections never null and updatedAt in UTC with a Z (microseconds '
    'only when there are any, as pydantic writes them). PT404: missing or not theirs.';

CREATE OR REPLACE FUNCTION api.lecture_save(
    p_user_id text,
    p_lecture_id integer,
    p_base_revision integer,
    p_sections jsonb,
    p_merge boolean DEFAULT false,
    p_force boolean DEFAULT false
)
RETURNS api.lecture_save_result
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_base_revision IS NULL OR p_base_revision < 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'base revision must be 0 or more';
    END IF;
    RETURN app.lecture_write(p_lecture_id, p_user_id, p_sections, p_base_revision,
                             coalesce(p_force, false), p_user_id, 'app',
                             p_keep_draft => NOT coalesce(p_force, false),
                             p_base_content_of => CASE WHEN p_merge THEN p_base_revision END);
END
$$;
COMMENT ON FUNCTION api.lecture_save(text, integer, integer, jsonb, boolean, boolean) IS
    'Save sections on the revision the editor saw: saved (revision + 1), or conflict with the '
    'latest snapshot and nothing written but the refused sections, kept as a conflict draft '
    '(draft_id). p_merge: a conflict also returns the content of the base revision (base), for a '
    'three-way merge written with api.lecture_save_merged. p_force overwrites newer revisions '
    '(recorded as forced). PT404, PT422 invalid sections or base revision.';

CREATE OR REPLACE FUNCTION api.lecture_save_merged(
    p_user_id text,
    p_lecture_id integer,
    p_base_revision integer,
    p_onto_revision integer,
    p_sections jsonb,
    p_draft_id bigint,
    p_resolution text DEFAULT 'merged'
)
RETURNS api.lecture_save_result
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_resolution NOT IN ('merged', 'applied') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'resolution must be merged or applied';
    END IF;
    PERFORM app.conflict_draft_owned(p_user_id, p_lecture_id, p_draft_id);
    RETURN app.lecture_write(p_lecture_id, p_user_id, p_sections, p_onto_revision, false, p_user_id,
                             'app', p_base_content_of => p_base_revision,
                             p_merged_base => nullif(p_base_revision, p_onto_revision),
                             p_resolves_draft => p_draft_id, p_resolution => p_resolution);
END
$$;
COMMENT ON FUNCTION api.lecture_save_merged(text, integer, integer, integer, jsonb, bigint, text) IS
    'Write a three-way merge of a conflict draft (made on p_base_revision) onto exactly revision '
    'p_onto_revision, recording both, and resolve the draft; a newer writer meanwhile is a '
    'conflict again (with the base content, for another merge) — never an overwrite. The draft '
    'is the caller''s or, for an owner, any member''s (app.conflict_draft_owned): the revision is '
    'created by the caller, who applied it, and the draft keeps its author. PT404.';
