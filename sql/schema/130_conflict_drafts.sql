-- Conflict drafts: a save refused as a conflict is kept until its author (or a project owner)
-- applies or discards it.

-- app.conflict_draft_keep: keep a refused save as a draft; returns its id.
-- Called by app.lecture_write in the same transaction that answers `conflict`.
CREATE OR REPLACE FUNCTION app.conflict_draft_keep(
    p_lecture_id integer, p_user_id text, p_base_revision integer, p_conflict_revision integer,
    p_sections jsonb
)
RETURNS bigint
LANGUAGE sql
AS $$
    INSERT INTO app.conflict_drafts AS d
        (lecture_id, user_id, base_revision, conflict_revision, sections)
    VALUES (p_lecture_id, p_user_id, p_base_revision, p_conflict_revision, p_sections)
    RETURNING d.id;
$$;

-- app.conflict_draft_resolve: record how an unresolved draft ended (applied, merged, discarded)
-- and at which revision. Nothing happens for a NULL draft or one already resolved.
CREATE OR REPLACE FUNCTION app.conflict_draft_resolve(
    p_draft_id bigint, p_resolution text, p_revision integer
)
RETURNS void
LANGUAGE plpgsql  -- not sql: every save calls it, and plpgsql keeps the UPDATE's plan
AS $$
BEGIN
    IF p_draft_id IS NOT NULL THEN
        UPDATE app.conflict_drafts AS d
        SET resolved_at = clock_timestamp(), resolution = p_resolution,
            resolved_revision = p_revision
        WHERE d.id = p_draft_id AND d.resolved_at IS NULL;
    END IF;
END
$$;

-- app.conflict_drafts_of: THE rule of whose drafts a user may act on (list, read, apply,
-- discard): app.lecture_owned first ('write': PT404 for a stranger, PT403 for a viewer), then the
-- unresolved drafts of the lecture that are theirs, or every member's when their role may
-- 'oversee' (app.role_allows: owners). Only the one draft p_draft_id when given.
CREATE OR REPLACE FUNCTION app.conflict_drafts_of(
    p_user_id text, p_lecture_id integer, p_draft_id bigint DEFAULT NULL
)
RETURNS SETOF app.conflict_drafts
LANGUAGE plpgsql
AS $$
DECLARE
    v_oversees boolean;
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id);
    SELECT app.member_may(p_user_id, l.project_id, 'oversee') INTO v_oversees
    FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
    RETURN QUERY
    SELECT d.* FROM app.conflict_drafts AS d
    WHERE d.lecture_id = p_lecture_id AND d.resolved_at IS NULL
      AND (p_draft_id IS NULL OR d.id = p_draft_id)
      AND (v_oversees OR d.user_id = p_user_id);
END
$$;

-- app.conflict_draft_owned: an unresolved draft on this lecture that this user may act on
-- (app.conflict_drafts_of), else PT404: another member's draft looks exactly like a missing one.
CREATE OR REPLACE FUNCTION app.conflict_draft_owned(
    p_user_id text, p_lecture_id integer, p_draft_id bigint
)
RETURNS app.conflict_drafts
LANGUAGE plpgsql
AS $$
DECLARE
    v_draft app.conflict_drafts;
BEGIN
    SELECT d.* INTO v_draft FROM app.conflict_drafts_of(p_user_id, p_lecture_id, p_draft_id) AS d;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('draft %s not found', p_draft_id);
    END IF;
    RETURN v_draft;
END
$$;

CREATE OR REPLACE FUNCTION api.lecture_drafts(p_user_id text, p_lecture_id integer)
RETURNS TABLE (
    id bigint, lecture_id integer, user_id text, base_revision integer, conflict_revision integer,
    sections jsonb, created_at timestamptz
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT d.id, d.lecture_id, d.user_id, d.base_revision, d.conflict_revision, d.sections,
           d.created_at
    FROM app.conflict_drafts_of(p_user_id, p_lecture_id) AS d
    ORDER BY d.id;
END
$$;
COMMENT ON FUNCTION api.lecture_drafts(text, integer) IS
    'The unresolved conflict drafts on a lecture that a user may act on, oldest first, each with '
    'its author (user_id): their own; an owner''s, every member''s. PT404: lecture not found or '
    'not theirs; PT403: a viewer.';

CREATE OR REPLACE FUNCTION api.lecture_draft_get(
    p_user_id text, p_lecture_id integer, p_draft_id bigint
)
RETURNS TABLE (
    id bigint, lecture_id integer, user_id text, base_revision integer, conflict_revision integer,
    sections jsonb, created_at timestamptz, base jsonb
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_draft app.conflict_drafts := app.conflict_draft_owned(p_user_id, p_lecture_id, p_draft_id);
BEGIN
    RETURN QUERY SELECT v_draft.id, v_draft.lecture_id, v_draft.user_id, v_draft.base_revision,
                        v_draft.conflict_revision, v_draft.sections, v_draft.created_at,
                        app.revision_content(p_lecture_id, v_draft.base_revision);
END
$$;
COMMENT ON FUNCTION api.lecture_draft_get(text, integer, bigint) IS
    'An unresolved draft with its author (user_id) and the content of the revision it was based '
    'on (what rebasing it needs); the author''s or, for an owner, any member''s. PT404: lecture '
    'or draft not found or not theirs to see.';

CREATE OR REPLACE FUNCTION api.lecture_draft_discard(
    p_user_id text, p_lecture_id integer, p_draft_id bigint
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM app.conflict_draft_owned(p_user_id, p_lecture_id, p_draft_id);
    PERFORM app.conflict_draft_resolve(p_draft_id, 'discarded', NULL);
END
$$;
COMMENT ON FUNCTION api.lecture_draft_discard(text, integer, bigint) IS
    'Discard an unresolved draft, the author''s or, for an owner, any member''s (kept, marked '
    'discarded, until pruned). PT404.';

CREATE OR REPLACE FUNCTION api.drafts_prune(p_resolved_before timestamptz)
RETURNS integer
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH pruned AS (
        DELETE FROM app.conflict_drafts AS d
        WHERE d.resolved_at < p_resolved_before
        RETURNING d.id
    )
    SELECT count(*)::integer FROM pruned;
$$;
COMMENT ON FUNCTION api.drafts_prune(timestamptz) IS
    'Delete the drafts resolved (applied, merged or discarded) before a time; unresolved drafts '
    'are never pruned. Returns how many were deleted.';
