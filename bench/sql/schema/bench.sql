-- Objects of the benchmark's own throwaway database, never of the product: which lecture each
-- load-generator client saves, and the save wrapper that adds a pg_notify to the product's save.

CREATE SCHEMA bench;

CREATE TABLE bench.slots (
    set_name text NOT NULL,
    slot integer NOT NULL,
    lecture_id integer NOT NULL,
    payload_a text NOT NULL,
    payload_b text NOT NULL,
    PRIMARY KEY (set_name, slot)
);
COMMENT ON TABLE bench.slots IS
    'One lecture per load-generator client (slot = pgbench client_id or wrk connection), with '
    'the two versions of its sections that successive saves alternate.';

-- bench.slot: a client's lecture, its current revision and the two payloads it alternates.
-- pgbench clients call it once (as the runtime or the owner role), then carry the revision.
CREATE FUNCTION bench.slot(p_set text, p_slot integer)
RETURNS TABLE (lecture integer, revision integer, payload_a text, payload_b text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.lecture_id, l.revision, s.payload_a, s.payload_b
    FROM bench.slots AS s
    JOIN app.video_lectures AS l ON l.id = s.lecture_id
    WHERE s.set_name = p_set AND s.slot = p_slot;
$$;

-- bench.lecture_save_wrapped: the product's save, plus one pg_notify in its transaction when
-- p_notify. Both sides of the notify pair call it, so they differ by the notify alone.
CREATE FUNCTION bench.lecture_save_wrapped(
    p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb,
    p_notify boolean
)
RETURNS TABLE (status text, revision integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY SELECT s.status, s.revision
    FROM api.lecture_save(p_user_id, p_lecture_id, p_base_revision, p_sections) AS s;
    IF p_notify THEN
        PERFORM pg_notify('tutopanda_bench', jsonb_build_object(
            'type', 'lecture.revision', 'lectureId', p_lecture_id,
            'revision', p_base_revision + 1, 'source', 'app')::text);
    END IF;
END
$$;

REVOKE ALL ON SCHEMA bench FROM PUBLIC;
REVOKE EXECUTE ON ALL ROUTINES IN SCHEMA bench FROM PUBLIC;
GRANT USAGE ON SCHEMA bench TO tutopanda_runtime, tutopanda_owner;
GRANT EXECUTE ON ALL ROUTINES IN SCHEMA bench TO tutopanda_runtime, tutopanda_owner;
