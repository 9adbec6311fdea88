-- How history is stored: keyframes (full content) and deltas (the change from the revision
-- before), rebuilt into any revision's content; per-section hashes behind the hash chain.

-- app.section_digests: the first 16 bytes of audit.section_hash of every section of a content
-- object, in the order of app.lecture_sections() (what a lecture row keeps to detect changes).
CREATE OR REPLACE FUNCTION app.section_digests(p_content jsonb)
RETURNS bytea
LANGUAGE sql
STABLE
AS $$
    SELECT string_agg(decode(left(audit.section_hash(coalesce(p_content -> s.name, 'null')), 32),
                             'hex'), ''::bytea ORDER BY s.position)
    FROM app.lecture_sections() WITH ORDINALITY AS s (name, json_types, position);
$$;

-- app.section_hashes: audit.section_hash of every section of a content object, {section: hex}.
-- What a lecture carries forward so that a save rehashes only the sections it changed.
CREATE OR REPLACE FUNCTION app.section_hashes(p_content jsonb)
RETURNS jsonb
LANGUAGE sql
STABLE
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

-- app.json_apply: apply a history delta to a content document: an object replaces whole
-- sections (doc || delta); an array holds operations of app.json_delta, applied in order.
-- The inverse of json_delta: json_apply(a, json_delta(a, b)) = b.
CREATE OR REPLACE FUNCTION app.json_apply(p_document jsonb, p_operations jsonb)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
AS $$
DECLARE
    v_operation jsonb;
BEGIN
    IF jsonb_typeof(p_operations) = 'object' THEN
        RETURN p_document || p_operations;
    END IF;
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

-- app.history_delta: what a history row stores for the changed sections p_changes (new values,
-- p_hashes their hashes). A small section is stored whole; a large one (its old value is in
-- p_old) as its app.json_delta, kept only when rebuilding it gives the very same JSON text
-- (1 and 1.0 are equal to jsonb, not as text), else whole.
CREATE OR REPLACE FUNCTION app.history_delta(p_old jsonb, p_changes jsonb, p_hashes jsonb)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_section text;
    v_delta jsonb := '[]';
    v_part jsonb;
BEGIN
    FOR v_section IN SELECT k FROM jsonb_object_keys(p_changes) AS k ORDER BY k LOOP
        v_part := NULL;
        IF p_old ? v_section THEN
            v_part := coalesce(jsonb_agg(d), '[]')
                FROM app.json_delta(p_old -> v_section, p_changes -> v_section, ARRAY[v_section]) AS d;
            IF audit.section_hash(app.json_apply(p_old, v_part) -> v_section)
               IS DISTINCT FROM p_hashes ->> v_section THEN
                v_part := NULL;
            END IF;
        END IF;
        v_delta := v_delta || coalesce(v_part, jsonb_build_array(jsonb_build_object(
            'p', jsonb_build_array(v_section), 'v', p_changes -> v_section)));
    END LOOP;
    RETURN v_delta;
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
-- walking the history in order. A row's hash covers the sections it changed (all of them for a
-- chain's first row, or after a version-1 row); a delta may touch only those sections, and a
-- keyframe must agree with the rows before it on every other section.
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
    v_state jsonb;  -- the content after the previous row
    v_content jsonb;
    v_covered text[];
    v_consistent boolean;
    v_expected bytea;
    v_previous app.lecture_revisions;
BEGIN
    FOR v_row IN SELECT r.* FROM app.lecture_revisions AS r
                 WHERE r.lecture_id = p_lecture_id ORDER BY r.revision LOOP
        v_content := coalesce(v_row.data, app.json_apply(v_state, v_row.delta));
        v_covered := CASE WHEN v_state IS NULL OR v_previous.hash_version = 1
                          THEN ARRAY(SELECT s.name FROM app.lecture_sections() AS s)
                          ELSE v_row.changed_sections END;
        v_consistent := NOT EXISTS (  -- nothing outside the covered sections moved
            SELECT FROM app.lecture_sections() AS s
            WHERE v_row.hash_version = 2 AND v_state IS NOT NULL AND NOT s.name = ANY (v_covered)
              AND (v_state -> s.name)::text IS DISTINCT FROM (v_content -> s.name)::text);
        v_expected := CASE WHEN v_row.hash_version = 1 THEN audit.revision_hash(
                v_row.prev_hash, v_row.lecture_id, v_row.revision, v_row.data, v_row.created_by,
                v_row.source, v_row.run_id, v_row.changed_sections, v_row.forced,
                v_row.restored_from, v_row.created_at)
            ELSE audit.revision_hash_v2(
                v_row.prev_hash, v_row.lecture_id, v_row.revision,
                (SELECT jsonb_object_agg(k, audit.section_hash(coalesce(v_content -> k, 'null')))
                 FROM unnest(v_covered) AS k),
                v_row.created_by, v_row.source, v_row.run_id, v_row.changed_sections, v_row.forced,
                v_row.restored_from, v_row.merged_base, v_row.created_at) END;
        revision := v_row.revision;
        hash := v_row.hash;
        content_intact := v_consistent AND v_expected IS NOT DISTINCT FROM v_row.hash;
        link_intact := v_row.prev_hash IS NOT DISTINCT FROM v_previous.hash;
        sequence_intact := coalesce(v_row.revision = v_previous.revision + 1, v_row.revision = 0);
        RETURN NEXT;
        v_state := v_content;
        v_previous := v_row;
    END LOOP;
END
$$;
