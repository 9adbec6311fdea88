-- Private helpers of the lecture aggregate (schema app, SECURITY INVOKER, called by api.*).

-- app.lecture_sections: THE list of a lecture's sections in SQL, in stored order, with the JSON
-- types each accepts. Each is a column of app.video_lectures (text or jsonb, same name); the
-- functions that must spell the columns out are generated from this list below, on every migrate.
CREATE OR REPLACE FUNCTION app.lecture_sections()
RETURNS TABLE (name text, json_types text[])
LANGUAGE sql
IMMUTABLE
AS $$
    VALUES ('title', ARRAY['string']),
           ('summary', ARRAY['string', 'null']),
           ('script', ARRAY['object', 'null']),
           ('images', ARRAY['array', 'null']),
           ('videos', ARRAY['array', 'null']),
           ('narration', ARRAY['array', 'null']),
           ('music', ARRAY['array', 'null']),
           ('effects', ARRAY['array', 'null']),
           ('timeline', ARRAY['object', 'null']);
$$;

-- Generates app.lecture_content (row -> content JSON) and app.lecture_store (content JSON ->
-- row update) from app.lecture_sections(). A section without its column stops the migrate.
DO $generate$
DECLARE
    v_missing text;
    v_build text;
    v_assign text;
BEGIN
    SELECT string_agg(s.name, ', ') FILTER (WHERE a.attname IS NULL),
           string_agg(format('%L, p_lecture.%I', s.name, s.name), ', ' ORDER BY s.position),
           string_agg(format(CASE WHEN a.atttypid = 'jsonb'::regtype
                                  THEN '%I = nullif(p_content -> %L, ''null'')'
                                  ELSE '%I = p_content ->> %L' END, s.name, s.name),
                      ', ' ORDER BY s.position)
    INTO v_missing, v_build, v_assign
    FROM app.lecture_sections() WITH ORDINALITY AS s (name, json_types, position)
    LEFT JOIN pg_catalog.pg_attribute AS a
        ON a.attrelid = 'app.video_lectures'::regclass AND a.attname = s.name
       AND NOT a.attisdropped AND a.atttypid IN ('jsonb'::regtype, 'text'::regtype);
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'app.video_lectures has no text or jsonb column for section(s) %', v_missing
            USING HINT = 'add the column in a migration (see README, "Adding a lecture section")';
    END IF;
    EXECUTE format($sql$
        CREATE OR REPLACE FUNCTION app.lecture_content(p_lecture app.video_lectures)
        RETURNS jsonb
        LANGUAGE sql
        IMMUTABLE
        AS 'SELECT jsonb_build_object(%s)'
    $sql$, replace(v_build, '''', ''''''));
    EXECUTE format($sql$
        CREATE OR REPLACE FUNCTION app.lecture_store(
            p_lecture_id integer, p_content jsonb, p_revision integer, p_updated_at timestamptz,
            p_section_hashes jsonb, p_history_hash bytea, p_keyframe_revision integer)
        RETURNS void
        LANGUAGE sql
        AS 'UPDATE app.video_lectures AS l SET %s, revision = p_revision,
                updated_at = p_updated_at, section_hashes = p_section_hashes,
                history_hash = p_history_hash, keyframe_revision = p_keyframe_revision
            WHERE l.id = p_lecture_id'
    $sql$, replace(v_assign, '''', ''''''));
END
$generate$;
COMMENT ON FUNCTION app.lecture_content(app.video_lectures) IS
    'The content of a lecture row as history stores it: one key per section, empty is null. '
    'GENERATED from app.lecture_sections() by sql/schema/100_lecture_helpers.sql.';
COMMENT ON FUNCTION app.lecture_store(integer, jsonb, integer, timestamptz, jsonb, bytea, integer) IS
    'Write a whole content object to a locked lecture as revision p_revision, with its chain '
    'head. GENERATED from app.lecture_sections() by sql/schema/100_lecture_helpers.sql.';

-- app.lecture_snapshot: the content plus identity and revision, camelCase like the editor's.
-- What GET /lectures/{id} answers, and what a conflict returns so the editor can show what won.
CREATE OR REPLACE FUNCTION app.lecture_snapshot(p_lecture app.video_lectures)
RETURNS jsonb
LANGUAGE sql
STABLE
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
AS $$
DECLARE
    v_key text;
    v_type text;
    v_expected text[];
BEGIN
    IF p_sections IS NULL OR jsonb_typeof(p_sections) <> 'object' OR p_sections = '{}' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'sections must be a non-empty JSON object';
    END IF;
    SELECT e.key, jsonb_typeof(e.value), s.json_types INTO v_key, v_type, v_expected
    FROM jsonb_each(p_sections) AS e
    LEFT JOIN app.lecture_sections() AS s ON s.name = e.key
    WHERE s.name IS NULL OR NOT jsonb_typeof(e.value) = ANY (s.json_types)
    LIMIT 1;
    IF FOUND AND v_expected IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = format('unknown section %I', v_key),
            HINT = 'sections: ' || (SELECT string_agg(s.name, ', ') FROM app.lecture_sections() AS s);
    ELSIF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('section %I must be %s, not %s', v_key,
                             array_to_string(v_expected, ' or '), v_type);
    ELSIF length(p_sections ->> 'title') NOT BETWEEN 1 AND 500 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'title must be 1 to 500 characters';
    END IF;
    RETURN ARRAY(SELECT k FROM jsonb_object_keys(p_sections) AS k ORDER BY k);
END
$$;

-- app.lecture_owned: THE ownership rule of lectures: the lecture if this user owns it (locked for
-- writing when p_lock), else PT404 — another user's lecture is indistinguishable from a missing one.
CREATE OR REPLACE FUNCTION app.lecture_owned(
    p_user_id text, p_lecture_id integer, p_lock boolean DEFAULT false
)
RETURNS app.video_lectures
LANGUAGE plpgsql
AS $$
DECLARE
    v_lecture app.video_lectures;
BEGIN
    IF p_lock THEN
        SELECT l.* INTO v_lecture FROM app.video_lectures AS l
        JOIN app.projects AS p ON p.id = l.project_id
        WHERE l.id = p_lecture_id AND p.created_by = p_user_id
        FOR UPDATE OF l;
    ELSE
        SELECT l.* INTO v_lecture FROM app.video_lectures AS l
        JOIN app.projects AS p ON p.id = l.project_id
        WHERE l.id = p_lecture_id AND p.created_by = p_user_id;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('lecture %s not found', p_lecture_id);
    END IF;
    RETURN v_lecture;
END
$$;
