-- The members api: who may use a project and how (owner, editor, viewer: app.role_allows). Only
-- an owner changes members; a project always keeps an owner (PTOWN otherwise); every change is
-- a row of app.project_member_changes (audit.membership_changes).

-- app.project_member_write: THE writer of memberships: set (p_role) or remove (NULL) a member
-- whose role is p_previous now, and record the change (who, whom, which role, when); a removal
-- is also an event of each of the project's lectures (app.project_member_removal_events). The
-- caller holds the project's lock (app.project_members_lock) and has checked the last-owner rule.
CREATE OR REPLACE FUNCTION app.project_member_write(
    p_project_id integer, p_member_id text, p_role text, p_previous text, p_actor text
)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_change bigint;
BEGIN
    IF p_role IS NULL THEN
        DELETE FROM app.project_members AS m
        WHERE m.project_id = p_project_id AND m.user_id = p_member_id;
    ELSE
        INSERT INTO app.project_members AS m (project_id, user_id, role, added_by)
        VALUES (p_project_id, p_member_id, p_role, p_actor)
        ON CONFLICT (project_id, user_id)
            DO UPDATE SET role = excluded.role, updated_at = clock_timestamp();
    END IF;
    INSERT INTO app.project_member_changes AS c (project_id, user_id, role, previous_role,
                                                 changed_by, changed_at)
    VALUES (p_project_id, p_member_id, p_role, p_previous, p_actor, clock_timestamp())
    RETURNING c.id INTO v_change;
    IF p_role IS NULL THEN
        PERFORM app.project_member_removal_events(p_project_id, v_change);
    END IF;
END
$$;

-- app.project_member_removal_events: the removal p_change_id as the next event of every lecture
-- of the project (member.removed), numbered under the lecture's lock like a run event
-- (app.workflow_run_event): the publisher announces it, and every API process's event hub ends
-- the removed member's streams of the lecture when it reads it (tutopanda/events/hub.py).
CREATE OR REPLACE FUNCTION app.project_member_removal_events(
    p_project_id integer, p_change_id bigint
)
RETURNS void
LANGUAGE sql
AS $$
    WITH lecture AS (
        UPDATE app.video_lectures AS l SET progress_seq = l.progress_seq + 1
        WHERE l.project_id = p_project_id
        RETURNING l.id, l.progress_seq, l.revision
    )
    INSERT INTO app.member_removal_events AS e (lecture_id, seq, revision, change_id)
    SELECT lecture.id, lecture.progress_seq, lecture.revision, p_change_id FROM lecture;
$$;

-- app.project_members_lock: the role of p_member_id on a project the user may share, with the
-- project locked against other membership changes until commit (so two owners demoting each
-- other cannot both pass the last-owner check); PT404 for no member, PT403 for no owner. The
-- access is checked again once the lock is held: a role may have changed while it waited.
CREATE OR REPLACE FUNCTION app.project_members_lock(
    p_user_id text, p_project_id integer, p_member_id text
)
RETURNS text
LANGUAGE plpgsql
AS $$
BEGIN
    IF app.project_allows(p_user_id, p_project_id, 'share') THEN
        PERFORM FROM app.projects AS p WHERE p.id = p_project_id FOR NO KEY UPDATE;
        IF app.project_allows(p_user_id, p_project_id, 'share') THEN
            RETURN (SELECT m.role FROM app.project_members AS m
                    WHERE m.project_id = p_project_id AND m.user_id = p_member_id);
        END IF;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('project %s not found', p_project_id);
END
$$;

-- app.project_last_owner_refuse: PTOWN when p_member_id is the project's only owner (the caller
-- is about to demote or remove them).
CREATE OR REPLACE FUNCTION app.project_last_owner_refuse(
    p_project_id integer, p_member_id text, p_previous text
)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF p_previous = 'owner' AND NOT EXISTS (
        SELECT FROM app.project_members AS m
        WHERE m.project_id = p_project_id AND m.role = 'owner' AND m.user_id <> p_member_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'PTOWN',
            MESSAGE = format('%s is the last owner of project %s', p_member_id, p_project_id),
            HINT = 'make another member an owner first';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION api.project_members(p_user_id text, p_project_id integer)
RETURNS TABLE (
    user_id text, role text, added_by text, added_at timestamptz, updated_at timestamptz
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT app.project_allows(p_user_id, p_project_id, 'read') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('project %s not found', p_project_id);
    END IF;
    RETURN QUERY
    SELECT m.user_id, m.role, m.added_by, m.added_at, m.updated_at
    FROM app.project_members AS m
    WHERE m.project_id = p_project_id
    ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, m.user_id;
END
$$;
COMMENT ON FUNCTION api.project_members(text, integer) IS
    'The members of a project the user is a member of (any role), owners first, then editors, '
    'then viewers, each by user id. PT404: missing or not theirs.';

CREATE OR REPLACE FUNCTION api.project_member_set(
    p_user_id text, p_project_id integer, p_member_id text, p_role text
)
RETURNS TABLE (
    user_id text, role text, added_by text, added_at timestamptz, updated_at timestamptz
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_previous text;
BEGIN
    IF p_member_id IS NULL OR length(p_member_id) NOT BETWEEN 1 AND 200
       OR p_member_id ~ '[\x01-\x1f\x7f-\x9f]' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = 'user id must be 1 to 200 characters without control characters';
    ELSIF p_role IS NULL OR p_role NOT IN ('owner', 'editor', 'viewer') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'role must be owner, editor or viewer';
    END IF;
    v_previous := app.project_members_lock(p_user_id, p_project_id, p_member_id);
    IF v_previous IS DISTINCT FROM p_role THEN
        IF p_role <> 'owner' THEN
            PERFORM app.project_last_owner_refuse(p_project_id, p_member_id, v_previous);
        END IF;
        PERFORM app.project_member_write(p_project_id, p_member_id, p_role, v_previous, p_user_id);
    END IF;
    RETURN QUERY
    SELECT m.user_id, m.role, m.added_by, m.added_at, m.updated_at
    FROM app.project_members AS m
    WHERE m.project_id = p_project_id AND m.user_id = p_member_id;
END
$$;
COMMENT ON FUNCTION api.project_member_set(text, integer, text, text) IS
    'Add a member to a project with a role, or change their role (an owner only); the member '
    'after. The same role again changes and records nothing. PT404: project missing or not '
    'theirs, PT403: the user is no owner, PTOWN: it would demote the last owner, PT422: a user '
    'id that breaks the user-id rule or a role that is not owner, editor or viewer.';

CREATE OR REPLACE FUNCTION api.project_member_remove(
    p_user_id text, p_project_id integer, p_member_id text
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_previous text := app.project_members_lock(p_user_id, p_project_id, p_member_id);
BEGIN
    IF v_previous IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('%s is not a member of project %s', p_member_id, p_project_id);
    END IF;
    PERFORM app.project_last_owner_refuse(p_project_id, p_member_id, v_previous);
    PERFORM app.project_member_write(p_project_id, p_member_id, NULL, v_previous, p_user_id);
END
$$;
COMMENT ON FUNCTION api.project_member_remove(text, integer, text) IS
    'Remove a member from a project (an owner only): their next request on it is PT404, like a '
    'stranger''s, and a member.removed event on each of its lectures ends their open event '
    'streams. PT404: project missing or not theirs, or no such member; PT403: the user is no '
    'owner; PTOWN: the last owner.';

-- The record of membership changes is never updated nor deleted.
CREATE OR REPLACE TRIGGER project_member_changes_append_only
    BEFORE UPDATE OR DELETE ON app.project_member_changes
    FOR EACH ROW EXECUTE FUNCTION app.append_only_guard('membership changes');

CREATE OR REPLACE TRIGGER project_member_changes_no_truncate
    BEFORE TRUNCATE ON app.project_member_changes
    FOR EACH STATEMENT EXECUTE FUNCTION app.append_only_guard('membership changes');
