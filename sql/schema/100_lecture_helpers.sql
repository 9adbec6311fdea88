-- Private helpers of the lecture aggregate (schema app, SECURITY INVOKER, called by api.*).

-- app.notify: send one small event on channel tutopanda_events (delivered at commit).
-- Payloads carry ids, numbers and names, never a snapshot (pg_notify caps them at 8000 bytes).
CREATE OR REPLACE FUNCTION app.notify(p_payload jsonb)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_notify('tutopanda_events', p_payload::text);
$$;

-- app.lecture_section_names: the writable sections of a lecture, in their stored order.
-- One list for validation, snapshots and restore; the Python models mirror it.
CREATE OR REPLACE FUNCTION app.lecture_section_names()
RETURNS text[]
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT ARRAY['title', 'summary', 'script', 'images', 'videos', 'narration', 'music',
                 'effects', 'timeline'];
$$;

-- app.lecture_content: the content of a lecture row as the JSON object history stores.
-- Keys are the section names; an empty section is JSON null.
CREATE OR REPLACE FUNCTION app.lecture_content(p_lecture app.video_lectures)
RETURNS jsonb
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_build_object(
        'title', p_lecture.title, 'summary', p_lecture.summary, 'script', p_lecture.script,
        'images', p_lecture.images, 'videos', p_lecture.videos, 'narration', p_lecture.narration,
        'music', p_lecture.music, 'effects', p_lecture.effects, 'timeline', p_lecture.timeline);
$$;

-- app.lecture_snapshot: the content plus identity and revision, camelCase like the editor's.
-- Returned with conflicts so the editor can show what won.
CREATE OR REPLACE FUNCTION app.lecture_snapshot(p_lecture app.video_lectures)
RETURNS jsonb
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT app.lecture_content(p_lecture) || jsonb_build_object(
        'id', p_lecture.id, 'projectId', p_lecture.project_id,
        'revision', p_lecture.revision, 'updatedAt', p_lecture.updated_at);
$$;

-- app.lecture_sections_check: refuse anything but known sections of the right JSON type.
-- Defence in depth behind the Python models; returns the section names sent, sorted.
CREATE OR REPLACE FUNCTION app.lecture_sections_check(p_sections jsonb)
RETURNS text[]
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
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

-- app.lecture_lock_owned: lock a lecture of this user for writing; return its revision.
-- Another user's lecture is indistinguishable from a missing one (PT404).
CREATE OR REPLACE FUNCTION app.lecture_lock_owned(p_user_id text, p_lecture_id integer)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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

-- app.lecture_check_owned: like lecture_lock_owned, for reads (no lock).
-- Raises PT404 for a missing lecture or one of another user.
CREATE OR REPLACE FUNCTION app.lecture_check_owned(p_user_id text, p_lecture_id integer)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
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
