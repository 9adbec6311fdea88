-- The single writer of lecture content and the append-only history behind it.

-- app.lecture_commit: write sections to a locked lecture, bump its revision, append history.
-- The only code that changes lecture content: every change gets exactly one history row and
-- one notification. Writes nothing (and returns no changed sections) when nothing differs.
CREATE OR REPLACE FUNCTION app.lecture_commit(
    p_lecture_id integer,
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
    v_lecture app.video_lectures;
    v_after jsonb;
    v_changed text[];
BEGIN
    SELECT * INTO STRICT v_lecture FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
    v_after := app.lecture_content(v_lecture) || p_sections;
    v_changed := ARRAY(
        SELECT k FROM jsonb_object_keys(p_sections) AS k
        WHERE app.lecture_content(v_lecture) -> k IS DISTINCT FROM p_sections -> k ORDER BY k);
    IF cardinality(v_changed) = 0 THEN
        RETURN QUERY SELECT v_lecture.revision, v_lecture.updated_at, v_changed;
        RETURN;
    END IF;
    UPDATE app.video_lectures AS l
    SET title = v_after ->> 'title', summary = v_after ->> 'summary',
        script = nullif(v_after -> 'script', 'null'), images = nullif(v_after -> 'images', 'null'),
        videos = nullif(v_after -> 'videos', 'null'),
        narration = nullif(v_after -> 'narration', 'null'),
        music = nullif(v_after -> 'music', 'null'), effects = nullif(v_after -> 'effects', 'null'),
        timeline = nullif(v_after -> 'timeline', 'null'),
        revision = l.revision + 1, updated_at = clock_timestamp()
    WHERE l.id = p_lecture_id
    RETURNING * INTO v_lecture;
    PERFORM app.revision_append(v_lecture, p_actor, p_source, p_run_id, v_changed, p_forced,
                                p_restored_from);
    RETURN QUERY SELECT v_lecture.revision, v_lecture.updated_at, v_changed;
END
$$;

-- app.lecture_save_outcome: what a save or a restore answers once it has decided.
-- p_apply: write p_sections (saved, new revision); otherwise conflict with the latest snapshot.
CREATE OR REPLACE FUNCTION app.lecture_save_outcome(
    p_lecture_id integer,
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
        FROM app.lecture_commit(p_lecture_id, p_sections, p_actor, 'app', NULL, p_forced,
                                p_restored_from) AS c;
    ELSE
        RETURN QUERY
        SELECT 'conflict'::text, l.revision, l.updated_at, '{}'::text[], app.lecture_snapshot(l)
        FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
    END IF;
END
$$;

-- app.revision_append: insert the history row of a lecture's current state and notify.
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
    PERFORM app.notify(jsonb_build_object(
        'type', 'lecture.revision', 'lectureId', p_lecture.id, 'revision', p_lecture.revision,
        'source', p_source, 'runId', p_run_id, 'changedSections', to_jsonb(p_changed)));
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

-- app.lecture_revisions_guard: history rows are never updated nor deleted, not even with their
-- lecture (which is never deleted either: sql/schema/340_lecture_retention.sql).
CREATE OR REPLACE FUNCTION app.lecture_revisions_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
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
