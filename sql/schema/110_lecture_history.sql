-- The single writer of lecture content and the append-only history behind it.

-- app.lecture_commit: write sections to a locked lecture, bump its revision, append history.
-- The only code that changes lecture content: every change gets exactly one history row (which
-- is also its event, see 500_events.sql). Writes nothing when nothing differs.
CREATE OR REPLACE FUNCTION app.lecture_commit(
    p_lecture app.video_lectures,
    p_sections jsonb,
    p_actor text,
    p_source text,
    p_run_id text DEFAULT NULL,
    p_forced boolean DEFAULT false,
    p_restored_from integer DEFAULT NULL
)
RETURNS TABLE (revision integer, updated_at timestamptz, changed_sections text[])
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_before jsonb := app.lecture_content(p_lecture);
    v_lecture app.video_lectures;
    v_changed text[];
BEGIN
    v_changed := ARRAY(
        SELECT e.key FROM jsonb_each(p_sections) AS e
        WHERE v_before -> e.key IS DISTINCT FROM e.value ORDER BY e.key);
    IF cardinality(v_changed) = 0 THEN
        RETURN QUERY SELECT p_lecture.revision, p_lecture.updated_at, v_changed;
        RETURN;
    END IF;
    v_lecture := app.lecture_store(p_lecture.id, v_before || p_sections);
    PERFORM app.revision_append(v_lecture, p_actor, p_source, p_run_id, v_changed, p_forced,
                                p_restored_from);
    RETURN QUERY SELECT v_lecture.revision, v_lecture.updated_at, v_changed;
END
$$;

-- app.lecture_save_outcome: what a save or a restore answers once it has decided.
-- p_apply: write p_sections to the locked lecture (saved, new revision); otherwise conflict
-- with the latest snapshot.
CREATE OR REPLACE FUNCTION app.lecture_save_outcome(
    p_lecture app.video_lectures,
    p_apply boolean,
    p_sections jsonb,
    p_actor text,
    p_forced boolean,
    p_restored_from integer DEFAULT NULL
)
RETURNS TABLE (
    status text, revision integer, updated_at timestamptz, changed_sections text[], lecture jsonb
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_apply THEN
        RETURN QUERY
        SELECT 'saved'::text, c.revision, c.updated_at, c.changed_sections, NULL::jsonb
        FROM app.lecture_commit(p_lecture, p_sections, p_actor, 'app', NULL, p_forced,
                                p_restored_from) AS c;
    ELSE
        RETURN QUERY SELECT 'conflict'::text, p_lecture.revision, p_lecture.updated_at, '{}'::text[],
                            app.lecture_snapshot(p_lecture);
    END IF;
END
$$;

-- app.revision_append: insert the history row of a lecture's current state.
-- Called by lecture_commit and by lecture creation (revision 0). The row is chained to the
-- previous one by audit.revision_hash; the lecture row is locked, so the chain cannot fork.
CREATE OR REPLACE FUNCTION app.revision_append(
    p_lecture app.video_lectures,
    p_actor text,
    p_source text,
    p_run_id text,
    p_changed text[],
    p_forced boolean,
    p_restored_from integer
)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_prev bytea;
    v_data jsonb := app.lecture_content(p_lecture);
BEGIN
    SELECT r.hash INTO v_prev FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture.id AND r.revision = p_lecture.revision - 1;
    INSERT INTO app.lecture_revisions AS r
        (lecture_id, revision, data, created_by, source, run_id, changed_sections, forced,
         restored_from, created_at, prev_hash, hash)
    VALUES (p_lecture.id, p_lecture.revision, v_data, p_actor, p_source, p_run_id, p_changed,
            p_forced, p_restored_from, p_lecture.updated_at, v_prev,
            audit.revision_hash(v_prev, p_lecture.id, p_lecture.revision, v_data, p_actor,
                                p_source, p_run_id, p_changed, p_forced, p_restored_from,
                                p_lecture.updated_at));
END
$$;

-- app.lecture_sections_changed_since: did a revision after `p_revision` change any of these?
-- The test of the section-merge save mode.
CREATE OR REPLACE FUNCTION app.lecture_sections_changed_since(
    p_lecture_id integer, p_revision integer, p_sections text[]
)
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (
        SELECT FROM app.lecture_revisions AS r
        WHERE r.lecture_id = p_lecture_id AND r.revision > p_revision
          AND r.changed_sections && p_sections);
$$;

-- app.lecture_revisions_guard: history rows are never updated, nor deleted on their own.
-- Deleting the lecture (which cascades here) is the only way a history row goes away.
CREATE OR REPLACE FUNCTION app.lecture_revisions_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT FROM app.video_lectures AS l WHERE l.id = OLD.lecture_id) THEN
            RETURN OLD;  -- the lecture is being deleted: its history goes with it
        END IF;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'PT409',
        MESSAGE = format('lecture history is append-only (%s refused)', lower(TG_OP));
END
$$;

CREATE OR REPLACE TRIGGER lecture_revisions_append_only
    BEFORE UPDATE OR DELETE ON app.lecture_revisions
    FOR EACH ROW EXECUTE FUNCTION app.lecture_revisions_guard();

CREATE OR REPLACE TRIGGER lecture_revisions_no_truncate
    BEFORE TRUNCATE ON app.lecture_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION app.lecture_revisions_guard();
