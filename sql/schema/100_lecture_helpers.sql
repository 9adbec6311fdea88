-- Private helpers of the lecture aggregate (schema app, SECURITY INVOKER, called by api.*).

-- app.lecture_sections: THE list of a lecture's sections in SQL, in stored order, with the JSON
-- types each accepts. Each is a column of app.video_lectures (the section's name: text for a
-- string section, else jsonb). tools/section_sql.py reads this list (`make section-sql`) and
-- writes the functions that must spell the columns out into sql/schema/095_lecture_sections.sql.
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

-- The generated functions (sql/schema/095_lecture_sections.sql, applied before this file) must
-- spell out this very list: else the migrate stops here.
DO $generated$
BEGIN
    IF app.lecture_section_count() <> (SELECT count(*) FROM app.lecture_sections())
       OR EXISTS (SELECT FROM app.lecture_sections() WITH ORDINALITY AS s (name, json_types, position)
                  WHERE app.lecture_section_slot(s.name) IS DISTINCT FROM s.position - 1
                     OR app.lecture_section_types(s.name) IS DISTINCT FROM s.json_types) THEN
        RAISE EXCEPTION 'sql/schema/095_lecture_sections.sql does not spell out app.lecture_sections()'
            USING HINT = 'run `make section-sql` (tools/section_sql.py) and commit its output';
    END IF;
END
$generated$;

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

-- app.lecture_owned: THE access rule of lectures: the revision of a lecture if this user may do
-- p_action on its project (app.project_allows; 'write' unless told, so a caller that forgets
-- refuses viewers), locked for writing when p_lock; PT404 when they are no member, PT403 when
-- their role does not allow it. Reads no section.
CREATE OR REPLACE FUNCTION app.lecture_owned(
    p_user_id text, p_lecture_id integer, p_lock boolean DEFAULT false,
    p_action text DEFAULT 'write'
)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    v_revision integer;
BEGIN
    IF p_lock THEN
        SELECT l.revision INTO v_revision FROM app.video_lectures AS l
        WHERE l.id = p_lecture_id AND app.project_allows(p_user_id, l.project_id, p_action) FOR UPDATE;
    ELSE
        SELECT l.revision INTO v_revision FROM app.video_lectures AS l
        WHERE l.id = p_lecture_id AND app.project_allows(p_user_id, l.project_id, p_action);
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('lecture %s not found', p_lecture_id);
    END IF;
    RETURN v_revision;
END
$$;
