-- Sharing: a project has members, each with a role (owner, editor, viewer); the creator of a
-- project is its first owner. Every change of a membership is recorded, append-only, with who
-- made it (the audit view audit.membership_changes reads it). Existing projects get their
-- creator as owner, recorded as a change made by that creator when the project was created.
-- depends: 0011_quota_and_page_indexes

CREATE TABLE app.project_members (
    project_id integer NOT NULL REFERENCES app.projects (id) ON DELETE CASCADE,
    user_id text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    added_by text NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id)
);
-- A user's projects by id: the pages of the project list (shared ones too).
CREATE INDEX project_members_user_id_idx ON app.project_members (user_id, project_id);
COMMENT ON TABLE app.project_members IS
    'Who may use a project, and how: owner (everything, sharing included), editor (read and '
    'write), viewer (read). Every project has at least one owner.';

CREATE TABLE app.project_member_changes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id integer NOT NULL REFERENCES app.projects (id) ON DELETE RESTRICT,
    user_id text NOT NULL,
    role text CHECK (role IN ('owner', 'editor', 'viewer')),
    previous_role text CHECK (previous_role IN ('owner', 'editor', 'viewer')),
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT project_member_changes_change CHECK (role IS DISTINCT FROM previous_role)
);
CREATE INDEX project_member_changes_project_id_idx ON app.project_member_changes (project_id);
COMMENT ON TABLE app.project_member_changes IS
    'Every membership change, append-only: whom (user_id), the role after (NULL: removed) and '
    'before (NULL: added), who made it and when.';

INSERT INTO app.project_members (project_id, user_id, role, added_by, added_at, updated_at)
SELECT p.id, p.created_by, 'owner', p.created_by, p.created_at, p.created_at
FROM app.projects AS p;
INSERT INTO app.project_member_changes (project_id, user_id, role, changed_by, changed_at)
SELECT p.id, p.created_by, 'owner', p.created_by, p.created_at
FROM app.projects AS p ORDER BY p.id;
