-- Project access: THE rule of who may do what with a project, its lectures, their runs and
-- drafts. A user's role is their row in app.project_members (sql/schema/315_api_members.sql
-- writes it); every access helper of an aggregate (app.project_allows for projects,
-- app.lecture_owned, app.workflow_run_owned, app.conflict_draft_owned) asks app.project_allows.

-- app.role_allows: THE role matrix. Actions (the enum of p_action everywhere):
--   'read'    read the project, its lectures, history, diffs, runs and events
--   'write'   save, restore, drafts, project settings, start and control workflows, reviews
--   'share'   change the members (and, later, delete the project)
--   'oversee' see, apply and discard the conflict drafts of other members (app.conflict_drafts_of)
CREATE OR REPLACE FUNCTION app.role_allows(p_role text, p_action text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT CASE p_action
               WHEN 'read' THEN p_role IN ('owner', 'editor', 'viewer')
               WHEN 'write' THEN p_role IN ('owner', 'editor')
               WHEN 'share' THEN p_role = 'owner'
               WHEN 'oversee' THEN p_role = 'owner'
           END;
$$;
COMMENT ON FUNCTION app.role_allows(text, text) IS
    'Does a role (owner, editor, viewer) allow an action (read, write, share, oversee)? NULL for '
    'an unknown action.';

-- app.project_allows: may this user do p_action on this project? false when they are no member
-- (the caller raises PT404: a stranger's project looks exactly like a missing one); PT403 when
-- they are a member whose role does not allow it. Replaces app.owns_project.
CREATE OR REPLACE FUNCTION app.project_allows(p_user_id text, p_project_id integer, p_action text)
RETURNS boolean
LANGUAGE plpgsql
STABLE
AS $$
DECLARE  -- PL/pgSQL, not SQL: its plan is cached for the session (it runs inside every write)
    v_role text;
BEGIN
    SELECT m.role INTO v_role FROM app.project_members AS m
    WHERE m.project_id = p_project_id AND m.user_id = p_user_id;
    IF v_role IS NULL THEN
        RETURN false;
    ELSIF app.role_allows(v_role, p_action) THEN
        RETURN true;
    ELSIF app.role_allows(v_role, p_action) IS NULL THEN
        RAISE EXCEPTION 'unknown action %', p_action;  -- a bug: no SQLSTATE of ours
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'PT403',
        MESSAGE = format('a%s %s of project %s may not %s', CASE v_role WHEN 'owner' THEN 'n' ELSE '' END,
                         v_role, p_project_id,
                         CASE p_action WHEN 'write' THEN 'change it' ELSE 'change its members' END),
        HINT = CASE p_action WHEN 'write' THEN 'an editor or an owner may' ELSE 'an owner may' END;
END
$$;

-- app.member_may: app.project_allows without raising, for a check that widens what a member
-- sees rather than guards it: false for no member and for a role that does not allow p_action.
CREATE OR REPLACE FUNCTION app.member_may(p_user_id text, p_project_id integer, p_action text)
RETURNS boolean
LANGUAGE sql
STABLE
AS $$
    SELECT EXISTS (SELECT FROM app.project_members AS m
                   WHERE m.project_id = p_project_id AND m.user_id = p_user_id
                     AND app.role_allows(m.role, p_action));
$$;
