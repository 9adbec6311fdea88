-- How history is stored: keyframes (full content) and deltas (the change from the revision
-- before), rebuilt into any revision's content; per-section hashes behind the hash chain.

-- app.section_hashes: audit.section_hash of every section of a content object, {section: hex}.
-- What a lecture carries forward so that a save rehashes only the sections it changed.
CREATE OR REPLACE FUNCTION app.section_hashes(p_content jsonb)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT jsonb_object_agg(s.name, audit.section_hash(coalesce(p_content -> s.name, 'null')))
    FROM app.lecture_sections() AS s;
$$;

-- app.json_delta: the operations that turn p_before into p_after, below path p_path.
-- {"p": path, "v": value} sets a value, {"p": path} removes a key. Only differing children are
-- visited; arrays of the same length are compared item by item, anything else is replaced.
CREATE OR REPLACE FUNCTION app.json_delta(p_before jsonb, p_after jsonb, p_path text[])
RETURNS SETOF jsonb
LANGUAGE plpgsql
IMMUTABLE
AS $$
DECLARE
    v_key text;
BEGIN
    IF jsonb_typeof(p_before) = 'object' AND jsonb_typeof(p_after) = 'object' THEN
        RETURN QUERY SELECT jsonb_build_object('p', to_jsonb(p_path || b.key))
            FROM jsonb_object_keys(p_before) AS b (key) WHERE NOT p_after ? b.key;
        FOR v_key IN SELECT a.key FROM jsonb_each(p_after) AS a
                     WHERE (p_before -> a.key) IS DISTINCT FROM a.value LOOP
            IF p_before ? v_key THEN
                RETURN QUERY SELECT * FROM app.json_delta(p_before -> v_key, p_after -> v_key,
                                                          p_path || v_key);
            ELSE
                RETURN NEXT jsonb_build_object('p', to_jsonb(p_path || v_key), 'v', p_after -> v_key);
            END IF;
        END LOOP;
    ELSIF jsonb_typeof(p_before) = 'array' AND jsonb_typeof(p_after) = 'array'
          AND jsonb_array_length(p_before) = jsonb_array_length(p_after) THEN
        FOR v_key IN SELECT i::text FROM generate_series(0, jsonb_array_length(p_after) - 1) AS i
                     WHERE p_before -> i <> p_after -> i LOOP
            RETURN QUERY SELECT * FROM app.json_delta(p_before -> v_key::integer,
                                                      p_after -> v_key::integer, p_path || v_key);
        END LOOP;
    ELSE
        RETURN NEXT jsonb_build_object('p', to_jsonb(p_path), 'v', p_after);
    END IF;
END
$$;

-- app.json_apply: apply operations of app.json_delta to a document, in order.
-- The inverse of json_delta: json_apply(a, json_delta(a, b)) = b.
CREATE OR REPLACE FUNCTION app.json_apply(p_document jsonb, p_operations jsonb)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
AS $$
DECLARE
    v_operation jsonb;
BEGIN
    FOR v_operation IN SELECT o.value FROM jsonb_array_elements(p_operations) AS o LOOP
        IF v_operation ? 'v' THEN
            p_document := jsonb_set(p_document,
                                    ARRAY(SELECT jsonb_array_elements_text(v_operation -> 'p')),
                                    v_operation -> 'v');
        ELSE
            p_document := p_document #- ARRAY(SELECT jsonb_array_elements_text(v_operation -> 'p'));
        END IF;
    END LOOP;
    RETURN p_document;
END
$$;

-- app.history_delta: what a history row stores for a change from p_before to p_after, or NULL
-- when the full content is smaller to keep. Small sections are stored whole; a large one as its
-- delta, kept only when rebuilding it gives the very same JSON text (1 and 1.0 are equal to jsonb).
CREATE OR REPLACE FUNCTION app.history_delta(
    p_before jsonb, p_after jsonb, p_changed text[], p_section_hashes jsonb
)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
AS $$
DECLARE
    v_section text;
    v_delta jsonb := '[]';
    v_part jsonb;
BEGIN
    FOREACH v_section IN ARRAY p_changed LOOP
        v_part := NULL;
        IF pg_column_size(p_after -> v_section) > 4096 THEN
            v_part := coalesce(jsonb_agg(d), '[]')
                FROM app.json_delta(p_before -> v_section, p_after -> v_section, ARRAY[v_section]) AS d;
            IF audit.section_hash(app.json_apply(jsonb_build_object(v_section, p_before -> v_section),
                                                 v_part) -> v_section)
               IS DISTINCT FROM p_section_hashes ->> v_section THEN
                v_part := NULL;
            END IF;
        END IF;
        v_delta := v_delta || coalesce(v_part, jsonb_build_array(jsonb_build_object(
            'p', jsonb_build_array(v_section), 'v', p_after -> v_section)));
    END LOOP;
    RETURN CASE WHEN pg_column_size(v_delta) * 2 < pg_column_size(p_after) THEN v_delta END;
END
$$;

-- app.revision_content: the content of a lecture after one revision (NULL: no such revision).
-- The nearest keyframe at or before it, with the deltas after it applied in order.
CREATE OR REPLACE FUNCTION app.revision_content(p_lecture_id integer, p_revision integer)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_keyframe integer;
    v_content jsonb;
    v_delta jsonb;
BEGIN
    SELECT r.revision, r.data INTO v_keyframe, v_content FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id AND r.revision <= p_revision AND r.data IS NOT NULL
    ORDER BY r.revision DESC LIMIT 1;
    FOR v_delta IN SELECT r.delta FROM app.lecture_revisions AS r
                   WHERE r.lecture_id = p_lecture_id AND r.revision > v_keyframe
                     AND r.revision <= p_revision
                   ORDER BY r.revision LOOP
        v_content := app.json_apply(v_content, v_delta);
    END LOOP;
    RETURN CASE WHEN EXISTS (SELECT FROM app.lecture_revisions AS r WHERE r.lecture_id = p_lecture_id
                                AND r.revision = p_revision) THEN v_content END;
END
$$;

-- app.history_walk: every history row of a lecture checked against its hash and its predecessor,
-- walking the history in order (a delta row's content is the previous content plus its delta).
-- A delta may only touch the sections its row says it changed; every flag is true when untouched.
CREATE OR REPLACE FUNCTION app.history_walk(p_lecture_id integer)
RETURNS TABLE (
    revision integer, hash bytea, content_intact boolean, link_intact boolean,
    sequence_intact boolean
)
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_row app.lecture_revisions;
    v_content jsonb;
    v_hashes jsonb;
    v_expected bytea;
    v_in_bounds boolean;
    v_previous app.lecture_revisions;
BEGIN
    FOR v_row IN SELECT r.* FROM app.lecture_revisions AS r
                 WHERE r.lecture_id = p_lecture_id ORDER BY r.revision LOOP
        v_in_bounds := v_row.delta IS NULL OR NOT EXISTS (
            SELECT FROM jsonb_array_elements(v_row.delta) AS o
            WHERE NOT (o.value -> 'p' ->> 0) = ANY (v_row.changed_sections));
        v_content := coalesce(v_row.data, app.json_apply(v_content, v_row.delta));
        IF v_row.hash_version = 1 THEN
            v_hashes := NULL;  -- version-1 rows hash their full data
            v_expected := audit.revision_hash(
                v_row.prev_hash, v_row.lecture_id, v_row.revision, v_row.data, v_row.created_by,
                v_row.source, v_row.run_id, v_row.changed_sections, v_row.forced,
                v_row.restored_from, v_row.created_at);
        ELSE
            v_hashes := CASE WHEN v_row.data IS NOT NULL OR v_hashes IS NULL
                             THEN app.section_hashes(v_content)
                             ELSE v_hashes || (SELECT jsonb_object_agg(k, audit.section_hash(
                                                   coalesce(v_content -> k, 'null')))
                                               FROM unnest(v_row.changed_sections) AS k) END;
            v_expected := audit.revision_hash_v2(
                v_row.prev_hash, v_row.lecture_id, v_row.revision, v_hashes, v_row.created_by,
                v_row.source, v_row.run_id, v_row.changed_sections, v_row.forced,
                v_row.restored_from, v_row.created_at);
        END IF;
        revision := v_row.revision;
        hash := v_row.hash;
        content_intact := v_in_bounds AND v_expected IS NOT DISTINCT FROM v_row.hash;
        link_intact := v_row.prev_hash IS NOT DISTINCT FROM v_previous.hash;
        sequence_intact := coalesce(v_row.revision = v_previous.revision + 1, v_row.revision = 0);
        RETURN NEXT;
        v_previous := v_row;
    END LOOP;
END
$$;
