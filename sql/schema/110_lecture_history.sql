-- The single writer of lecture content and the append-only history behind it.

-- app.lecture_commit: write sections to a locked lecture as its next revision, with its history
-- row — the only code that changes lecture content. Each thing once: the content is built once,
-- only the changed sections are hashed, the chain head comes from the lecture row, and history
-- stores a delta (or a keyframe every KEYFRAME_EVERY revisions). Writes nothing when nothing differs.
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
AS $$
DECLARE
    c_keyframe_every CONSTANT integer := 32;  -- at most 31 deltas to apply to read a revision
    v_before jsonb := app.lecture_content(p_lecture);
    v_changed text[] := ARRAY(
        SELECT e.key FROM jsonb_each(p_sections) AS e
        WHERE (v_before -> e.key) IS DISTINCT FROM e.value ORDER BY e.key);
    v_after jsonb;
    v_hashes jsonb;
    v_delta jsonb;
    v_revision integer := p_lecture.revision + 1;
    v_at timestamptz := clock_timestamp();
    v_hash bytea;
BEGIN
    IF cardinality(v_changed) = 0 THEN
        RETURN QUERY SELECT p_lecture.revision, p_lecture.updated_at, v_changed;
        RETURN;
    END IF;
    v_after := v_before || p_sections;
    v_hashes := coalesce(p_lecture.section_hashes, app.section_hashes(v_before))
        || (SELECT jsonb_object_agg(k, audit.section_hash(v_after -> k)) FROM unnest(v_changed) AS k);
    IF v_revision - coalesce(p_lecture.keyframe_revision, -c_keyframe_every) < c_keyframe_every THEN
        v_delta := app.history_delta(v_before, v_after, v_changed, v_hashes);
    END IF;
    v_hash := audit.revision_hash_v2(
        coalesce(p_lecture.history_hash, app.history_head(p_lecture.id, p_lecture.revision)),
        p_lecture.id, v_revision, v_hashes, p_actor, p_source, p_run_id, v_changed, p_forced,
        p_restored_from, v_at);
    PERFORM app.lecture_store(p_lecture.id, v_after, v_revision, v_at, v_hashes, v_hash,
                              CASE WHEN v_delta IS NULL THEN v_revision
                                   ELSE p_lecture.keyframe_revision END);
    INSERT INTO app.lecture_revisions AS r
        (lecture_id, revision, data, delta, created_by, source, run_id, changed_sections, forced,
         restored_from, created_at, prev_hash, hash)
    VALUES (p_lecture.id, v_revision, CASE WHEN v_delta IS NULL THEN v_after END, v_delta, p_actor,
            p_source, p_run_id, v_changed, p_forced, p_restored_from, v_at,
            coalesce(p_lecture.history_hash, app.history_head(p_lecture.id, p_lecture.revision)),
            v_hash);
    RETURN QUERY SELECT v_revision, v_at, v_changed;
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

-- app.history_head: the hash of a lecture's history row at one revision (the chain head of a
-- lecture last written before migration 0007, which started carrying it on the lecture row).
CREATE OR REPLACE FUNCTION app.history_head(p_lecture_id integer, p_revision integer)
RETURNS bytea
LANGUAGE sql
STABLE
AS $$
    SELECT r.hash FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id AND r.revision = p_revision;
$$;

-- app.history_start: the revision-0 history row of a new lecture (a keyframe starting its chain).
-- Called by lecture creation; sets the lecture's section hashes, chain head and keyframe.
CREATE OR REPLACE FUNCTION app.history_start(p_lecture app.video_lectures, p_actor text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_content jsonb := app.lecture_content(p_lecture);
    v_hashes jsonb := app.section_hashes(v_content);
    v_hash bytea := audit.revision_hash_v2(NULL, p_lecture.id, p_lecture.revision, v_hashes,
                                           p_actor, 'app', NULL, '{}', false, NULL,
                                           p_lecture.updated_at);
BEGIN
    INSERT INTO app.lecture_revisions AS r
        (lecture_id, revision, data, created_by, source, changed_sections, created_at, hash)
    VALUES (p_lecture.id, p_lecture.revision, v_content, p_actor, 'app', '{}',
            p_lecture.updated_at, v_hash);
    UPDATE app.video_lectures AS l
    SET section_hashes = v_hashes, history_hash = v_hash, keyframe_revision = p_lecture.revision
    WHERE l.id = p_lecture.id;
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
