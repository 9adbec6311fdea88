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

-- Generates from app.lecture_sections() app.lecture_section_types (name -> JSON types),
-- app.lecture_content (row -> content JSON),
-- app.lecture_sections_of (some sections of a lecture, reading only their columns) and
-- app.lecture_store (changed sections -> row update; an unchanged column keeps its stored value,
-- so large sections are not written again). A section without its column stops the migrate.
DO $generate$
DECLARE
    v_missing text;
    v_build text;
    v_pick text;
    v_assign text;
    v_types text;
    v_slots text;
    v_count integer;
BEGIN
    SELECT string_agg(s.name, ', ') FILTER (WHERE a.attname IS NULL),
           string_agg(format('WHEN %L THEN %L::text[]', s.name, s.json_types), ' '
                      ORDER BY s.position),
           string_agg(format('WHEN %L THEN %s', s.name, s.position - 1), ' ' ORDER BY s.position),
           count(*),
           string_agg(format('%L, p_lecture.%I', s.name, s.name), ', ' ORDER BY s.position),
           string_agg(format('WHEN %L THEN to_jsonb(l.%I)', s.name, s.name), ' '
                      ORDER BY s.position),
           string_agg(format(CASE WHEN a.atttypid = 'jsonb'::regtype
                                  THEN '%1$I = CASE WHEN p_changes ? %2$L '
                                       'THEN nullif(p_changes -> %2$L, ''null'') ELSE l.%1$I END'
                                  ELSE '%1$I = CASE WHEN p_changes ? %2$L '
                                       'THEN p_changes ->> %2$L ELSE l.%1$I END' END,
                             s.name, s.name),
                      ', ' ORDER BY s.position)
    INTO v_missing, v_types, v_slots, v_count, v_build, v_pick, v_assign
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
        STABLE
        AS 'SELECT jsonb_build_object(%s)'
    $sql$, replace(v_build, '''', ''''''));
    EXECUTE format($sql$
        CREATE OR REPLACE FUNCTION app.lecture_section_types(p_name text)
        RETURNS text[]
        LANGUAGE sql
        IMMUTABLE
        AS 'SELECT CASE p_name %s END'
    $sql$, replace(v_types, '''', ''''''));
    EXECUTE format($sql$
        CREATE OR REPLACE FUNCTION app.lecture_section_slot(p_name text)
        RETURNS integer
        LANGUAGE sql
        IMMUTABLE
        AS 'SELECT CASE p_name %s END'
    $sql$, replace(v_slots, '''', ''''''));
    EXECUTE format($sql$
        CREATE OR REPLACE FUNCTION app.lecture_section_count()
        RETURNS integer
        LANGUAGE sql
        IMMUTABLE
        AS 'SELECT %s'
    $sql$, v_count);
    EXECUTE format($sql$
        CREATE OR REPLACE FUNCTION app.lecture_sections_of(p_lecture_id integer, p_names text[])
        RETURNS jsonb
        LANGUAGE plpgsql
        AS $body$
        BEGIN
            RETURN (SELECT jsonb_object_agg(n.name, coalesce(CASE n.name %s END, 'null'))
                    FROM app.video_lectures AS l, unnest(p_names) AS n (name)
                    WHERE l.id = p_lecture_id);
        END
        $body$
    $sql$, v_pick);
    EXECUTE format($sql$
        CREATE OR REPLACE FUNCTION app.lecture_store(
            p_lecture_id integer, p_changes jsonb, p_revision integer, p_updated_at timestamptz,
            p_section_digests bytea, p_history_hash bytea, p_keyframe_revision integer)
        RETURNS boolean
        LANGUAGE plpgsql
        AS $body$
        BEGIN
            UPDATE app.video_lectures AS l SET %s, revision = p_revision,
                updated_at = p_updated_at, section_digests = p_section_digests,
                history_hash = p_history_hash, keyframe_revision = p_keyframe_revision
            WHERE l.id = p_lecture_id AND l.revision = p_revision - 1;
            RETURN FOUND;
        END
        $body$
    $sql$, v_assign);
END
$generate$;
COMMENT ON FUNCTION app.lecture_content(app.video_lectures) IS
    'The content of a lecture row as history stores it: one key per section, empty is null. '
    'GENERATED from app.lecture_sections() by sql/schema/100_lecture_helpers.sql.';
COMMENT ON FUNCTION app.lecture_section_types(text) IS
    'The JSON types a section accepts (NULL: no such section), for checks inside a save. '
    'GENERATED from app.lecture_sections() by sql/schema/100_lecture_helpers.sql.';
COMMENT ON FUNCTION app.lecture_section_slot(text) IS
    'The position of a section in app.lecture_sections(), from 0 (its digest''s place). '
    'GENERATED from app.lecture_sections() by sql/schema/100_lecture_helpers.sql.';
COMMENT ON FUNCTION app.lecture_section_count() IS
    'How many sections a lecture has. '
    'GENERATED from app.lecture_sections() by sql/schema/100_lecture_helpers.sql.';
COMMENT ON FUNCTION app.lecture_sections_of(integer, text[]) IS
    'Some sections of a lecture as a JSON object, reading (and detoasting) only their columns. '
    'GENERATED from app.lecture_sections() by sql/schema/100_lecture_helpers.sql.';
COMMENT ON FUNCTION app.lecture_store(integer, jsonb, integer, timestamptz, bytea, bytea, integer) IS
    'Write the changed sections of a lecture as revision p_revision, with its chain head, if it is '
    'still at revision p_revision - 1 (true) — else nothing (false: another writer came first). '
    'GENERATED from app.lecture_sections() by sql/schema/100_lecture_helpers.sql.';

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

-- app.lecture_sections_refuse: raise PT422 for sections that cannot be stored: not an object, or
-- p_key unknown (p_expected NULL) or not of its JSON type. Called by app.lecture_write, which
-- finds the first offending key in the same pass that finds the changed sections.
CREATE OR REPLACE FUNCTION app.lecture_sections_refuse(
    p_sections jsonb, p_key text, p_type text, p_expected text[]
)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF p_sections IS NULL OR jsonb_typeof(p_sections) <> 'object' OR p_sections = '{}' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'sections must be a non-empty JSON object';
    ELSIF p_expected IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = format('unknown section %I', p_key),
            HINT = 'sections: ' || (SELECT string_agg(s.name, ', ') FROM app.lecture_sections() AS s);
    ELSIF p_key = 'title' AND p_type = 'string' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'title must be 1 to 500 characters';
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'PT422',
        MESSAGE = format('section %I must be %s, not %s', p_key, array_to_string(p_expected, ' or '),
                         p_type);
END
$$;

-- app.owns_project: THE ownership rule: a project, its lectures and their runs belong to the user
-- who created the project. Another user's things must look exactly like missing ones (PT404).
CREATE OR REPLACE FUNCTION app.owns_project(p_user_id text, p_project_id integer)
RETURNS boolean
LANGUAGE plpgsql
STABLE
AS $$
BEGIN  -- PL/pgSQL, not SQL: its plan is cached for the session (it runs inside every write)
    RETURN EXISTS (SELECT FROM app.projects AS p WHERE p.id = p_project_id AND p.created_by = p_user_id);
END
$$;

-- app.lecture_owned: the revision of a lecture if this user owns it (locked for writing when
-- p_lock), else PT404. Reads no section.
CREATE OR REPLACE FUNCTION app.lecture_owned(
    p_user_id text, p_lecture_id integer, p_lock boolean DEFAULT false
)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_revision integer;
BEGIN
    IF p_lock THEN
        SELECT l.revision INTO v_revision FROM app.video_lectures AS l
        WHERE l.id = p_lecture_id AND app.owns_project(p_user_id, l.project_id) FOR UPDATE;
    ELSE
        SELECT l.revision INTO v_revision FROM app.video_lectures AS l
        WHERE l.id = p_lecture_id AND app.owns_project(p_user_id, l.project_id);
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('lecture %s not found', p_lecture_id);
    END IF;
    RETURN v_revision;
END
$$;
