-- The single writer of lecture content and the append-only history behind it.

-- The answer of every write of lecture content: ONE definition, returned by app.lecture_write and
-- passed on by api.lecture_save, api.lecture_save_merged and api.lecture_restore.
CREATE TYPE api.lecture_save_result AS (
    status text,  -- 'saved' | 'conflict'
    revision integer,
    updated_at timestamptz,
    changed_sections text[],
    lecture jsonb,  -- a conflict's latest snapshot
    draft_id bigint,  -- the conflict draft kept (or resolved)
    base jsonb  -- a conflict's base content, for a three-way merge
);
COMMENT ON TYPE api.lecture_save_result IS
    'What a write of lecture content answers: saved (revision, changed sections) or conflict '
    '(nothing written; the latest snapshot, the draft kept and, for a merge, the base content). '
    'Python reads it as SaveResult (tutopanda/models/lecture.py).';

-- app.write_attempts: THE limit of the retry policy in SQL (docs/merge.md): how many times
-- app.lecture_write reads, decides and writes when other writers keep committing first.
CREATE OR REPLACE FUNCTION app.write_attempts()
RETURNS integer
LANGUAGE sql
IMMUTABLE
AS 'SELECT 16';

-- app.lecture_write: THE writer of lecture content (saves, restores, workflow steps): decides
-- saved or conflict, and writes the changed sections as the next revision with its history row.
-- Each thing once, without a lock: one read of the lecture (revision, chain head, section
-- hashes) and one pass over the sent sections (which differ, by hash: text-exact), then an
-- UPDATE that applies only if the lecture is still at the revision read — else it reads again
-- and decides again, app.write_attempts() times at most (then PT409). Only the changed sections
-- are hashed and written; history stores their change (a keyframe of the whole content every 32
-- revisions). A write without a base revision goes on any revision (workflow steps), unless a
-- sent section changed after p_unchanged_since (a step would undo that change: conflict);
-- without a user, the owner is not checked. A refused save can be kept as a conflict draft
-- (p_keep_draft) and can bring back the content of the revision it was based on
-- (p_base_content_of: what a three-way merge needs); a merged save records its base
-- (p_merged_base) and resolves the draft it came from (p_resolves_draft).
-- PL/pgSQL all through, calling no SQL-language function: every plan is cached per session.
CREATE OR REPLACE FUNCTION app.lecture_write(
    p_lecture_id integer,
    p_user_id text,
    p_sections jsonb,
    p_base_revision integer,
    p_force boolean,
    p_actor text,
    p_source text,
    p_run_id text DEFAULT NULL,
    p_restored_from integer DEFAULT NULL,
    p_keep_draft boolean DEFAULT false,
    p_base_content_of integer DEFAULT NULL,
    p_merged_base integer DEFAULT NULL,
    p_resolves_draft bigint DEFAULT NULL,
    p_resolution text DEFAULT NULL,
    p_unchanged_since integer DEFAULT NULL
)
RETURNS api.lecture_save_result
LANGUAGE plpgsql
AS $$
DECLARE
    v record;
    v_stored bytea;  -- the section digests of the content read, then of the content written
    v_slot integer;
    v_digest bytea;
    v_key text;
    v_value jsonb;
    v_types text[];
    v_hash_of text;
    v_changes jsonb;
    v_changed text[];
    v_hashes jsonb;
    v_large text[];
    v_unchanged text[];
    v_next integer;
    v_at timestamptz;
    v_keyframe boolean;
    v_forced boolean;
    v_old jsonb;
    v_prev bytea;
    v_hash bytea;
BEGIN
    IF p_sections IS NULL OR jsonb_typeof(p_sections) <> 'object' OR p_sections = '{}' THEN
        PERFORM app.lecture_sections_refuse(p_sections, NULL, NULL, NULL);
    END IF;
    FOR v_attempt IN 1 .. app.write_attempts() LOOP
        SELECT l.revision, l.updated_at, l.history_hash, l.keyframe_revision, l.section_digests
        INTO v FROM app.video_lectures AS l
        WHERE l.id = p_lecture_id
          AND (p_user_id IS NULL OR app.project_allows(p_user_id, l.project_id, 'write'));
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('lecture %s not found', p_lecture_id);
        END IF;
        -- One pass over the sent sections: refuse what cannot be stored, keep what differs from
        -- the stored content (by hash, so text-exact). Simple expressions only: no query each.
        v_stored := v.section_digests;
        IF octet_length(v_stored) IS DISTINCT FROM 16 * app.lecture_section_count() THEN
            v_stored := app.section_digests(app.lecture_contents(p_lecture_id));  -- first save
        END IF;
        v_hashes := '{}';
        v_changed := '{}';
        v_unchanged := '{}';
        v_large := NULL;
        FOR v_key, v_value IN SELECT e.key, e.value FROM jsonb_each(p_sections) AS e ORDER BY e.key LOOP
            v_types := app.lecture_section_types(v_key);
            IF v_types IS NULL OR NOT jsonb_typeof(v_value) = ANY (v_types)
               OR (v_key = 'title' AND length(v_value #>> '{}') NOT BETWEEN 1 AND 500) THEN
                PERFORM app.lecture_sections_refuse(p_sections, v_key, jsonb_typeof(v_value), v_types);
            END IF;
            v_hash_of := audit.section_hash(v_value);
            v_digest := decode(left(v_hash_of, 32), 'hex');
            v_slot := 16 * app.lecture_section_slot(v_key);
            IF substring(v_stored FROM v_slot + 1 FOR 16) = v_digest THEN
                v_unchanged := v_unchanged || v_key;
                CONTINUE;
            END IF;
            v_stored := overlay(v_stored PLACING v_digest FROM v_slot + 1 FOR 16);
            v_hashes := v_hashes || jsonb_build_object(v_key, v_hash_of);
            v_changed := v_changed || v_key;
            IF pg_column_size(v_value) > 4096 THEN
                v_large := v_large || v_key;
            END IF;
        END LOOP;
        -- Usually every sent section changed: then the changes are what was sent, not a copy.
        v_changes := CASE WHEN cardinality(v_unchanged) = 0 THEN p_sections
                          ELSE p_sections - v_unchanged END;
        IF (p_base_revision <> v.revision AND NOT p_force)
           OR (p_unchanged_since < v.revision  -- decided on the revision read, like the write
               AND app.lecture_sections_changed(p_lecture_id, p_unchanged_since, v.revision,
                                                v_changed || v_unchanged)) THEN
            RETURN app.lecture_write_refused(p_lecture_id, p_user_id, p_sections, p_base_revision,
                                             p_keep_draft, p_base_content_of, p_resolves_draft);
        ELSIF cardinality(v_changed) = 0 THEN
            IF p_resolves_draft IS NOT NULL THEN  -- most saves resolve none: no call
                PERFORM app.conflict_draft_resolve(p_resolves_draft, p_resolution, v.revision);
            END IF;
            RETURN ('saved', v.revision, v.updated_at, '{}', NULL, NULL, NULL)::api.lecture_save_result;
        END IF;
        v_next := v.revision + 1;
        v_at := clock_timestamp();
        v_forced := coalesce(p_base_revision <> v.revision AND p_force, false);
        v_keyframe := v_next - v.keyframe_revision < 32 IS NOT TRUE;
        IF NOT v_keyframe AND v_large IS NOT NULL THEN
            v_old := app.lecture_sections_of(p_lecture_id, v_large);  -- before they are replaced
        END IF;
        v_prev := coalesce(v.history_hash, app.history_head(p_lecture_id, v.revision));
        v_hash := audit.revision_hash_v2(
            v_prev, p_lecture_id, v_next,
            CASE WHEN v.history_hash IS NULL  -- the first row after version-1 rows covers all
                 THEN app.section_hashes(app.lecture_contents(p_lecture_id) || v_changes)
                 ELSE v_hashes END,
            p_actor, p_source, p_run_id, v_changed, v_forced, p_restored_from, p_merged_base, v_at);
        IF app.lecture_store(p_lecture_id, v_changes, v_next, v_at, v_stored, v_hash,
                             CASE WHEN v_keyframe THEN v_next ELSE v.keyframe_revision END) THEN
            INSERT INTO app.lecture_revisions AS r
                (lecture_id, revision, data, delta, created_by, source, run_id, changed_sections,
                 forced, restored_from, merged_base, created_at, prev_hash, hash)
            VALUES (p_lecture_id, v_next,
                    CASE WHEN v_keyframe THEN app.lecture_contents(p_lecture_id) END,
                    CASE WHEN v_keyframe THEN NULL WHEN v_large IS NULL THEN v_changes
                         ELSE app.history_delta(v_old, v_changes, v_hashes) END,
                    p_actor, p_source, p_run_id, v_changed, v_forced, p_restored_from,
                    p_merged_base, v_at, v_prev, v_hash);
            IF p_resolves_draft IS NOT NULL THEN  -- most saves resolve none: no call
                PERFORM app.conflict_draft_resolve(p_resolves_draft, p_resolution, v_next);
            END IF;
            RETURN ('saved', v_next, v_at, v_changed, NULL, NULL, NULL)::api.lecture_save_result;
        END IF;
    END LOOP;
    RAISE EXCEPTION USING ERRCODE = 'PT409',
        MESSAGE = format('lecture %s: other writers came first %s times in a row; nothing written',
                         p_lecture_id, app.write_attempts()),
        HINT = 'try again (the retry policy: docs/merge.md)';
END
$$;

-- app.lecture_write_refused: what app.lecture_write answers when it refuses a write: conflict,
-- with the latest snapshot, the draft kept of the refused sections (p_keep_draft; else the draft
-- p_resolves_draft names) and the content of revision p_base_content_of (for a merge).
CREATE OR REPLACE FUNCTION app.lecture_write_refused(
    p_lecture_id integer, p_user_id text, p_sections jsonb, p_base_revision integer,
    p_keep_draft boolean, p_base_content_of integer, p_resolves_draft bigint
)
RETURNS api.lecture_save_result
LANGUAGE plpgsql
AS $$
DECLARE
    v_result api.lecture_save_result;
BEGIN
    -- The snapshot is read by a statement of its own, which may see a writer that committed
    -- since app.lecture_write read the row: its revision is the one to report.
    SELECT 'conflict', l.revision, l.updated_at, '{}', app.lecture_snapshot(l)
    INTO v_result.status, v_result.revision, v_result.updated_at, v_result.changed_sections,
         v_result.lecture
    FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
    v_result.draft_id := CASE WHEN p_keep_draft
                              THEN app.conflict_draft_keep(p_lecture_id, p_user_id, p_base_revision,
                                                           v_result.revision, p_sections)
                              ELSE p_resolves_draft END;
    v_result.base := app.revision_content(p_lecture_id, p_base_content_of);
    RETURN v_result;
END
$$;

-- app.lecture_sections_changed: did a revision after p_after, up to p_until, change any of
-- p_names? (A workflow step's write would undo that change.)
CREATE OR REPLACE FUNCTION app.lecture_sections_changed(
    p_lecture_id integer, p_after integer, p_until integer, p_names text[]
)
RETURNS boolean
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    RETURN EXISTS (SELECT FROM app.lecture_revisions AS r
                   WHERE r.lecture_id = p_lecture_id AND r.revision > p_after
                     AND r.revision <= p_until AND r.changed_sections && p_names);
END
$$;

-- app.lecture_contents: the current content of a lecture by id (a keyframe's content).
CREATE OR REPLACE FUNCTION app.lecture_contents(p_lecture_id integer)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    RETURN (SELECT app.lecture_content(l) FROM app.video_lectures AS l WHERE l.id = p_lecture_id);
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

-- app.history_start: the revision-0 history row of a new lecture, a keyframe starting its chain
-- (the first row of a chain covers every section). Called by lecture creation.
CREATE OR REPLACE FUNCTION app.history_start(p_lecture app.video_lectures, p_actor text)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_content jsonb := app.lecture_content(p_lecture);
    v_hash bytea := audit.revision_hash_v2(NULL, p_lecture.id, p_lecture.revision,
                                           app.section_hashes(v_content),
                                           p_actor, 'app', NULL, '{}', false, NULL, NULL,
                                           p_lecture.updated_at);
BEGIN
    INSERT INTO app.lecture_revisions AS r
        (lecture_id, revision, data, created_by, source, changed_sections, created_at, hash)
    VALUES (p_lecture.id, p_lecture.revision, v_content, p_actor, 'app', '{}',
            p_lecture.updated_at, v_hash);
    UPDATE app.video_lectures AS l
    SET section_digests = app.section_digests(v_content), history_hash = v_hash,
        keyframe_revision = p_lecture.revision
    WHERE l.id = p_lecture.id;
END
$$;

-- History rows are never updated nor deleted, not even with their lecture (which is never
-- deleted either: sql/schema/340_lecture_retention.sql).
CREATE OR REPLACE TRIGGER lecture_revisions_append_only
    BEFORE UPDATE OR DELETE ON app.lecture_revisions
    FOR EACH ROW EXECUTE FUNCTION app.append_only_guard('lecture history');

CREATE OR REPLACE TRIGGER lecture_revisions_no_truncate
    BEFORE TRUNCATE ON app.lecture_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION app.append_only_guard('lecture history');
