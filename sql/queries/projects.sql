-- Named queries of the project aggregate.

-- project_create --
-- A project with its lecture and a queued run whose first job is enqueued, within the quotas.
SELECT * FROM api.project_create(
    %(user_id)s::text, %(prompt)s::text, %(name)s::text, %(settings)s::jsonb,
    %(workflow_kind)s::text, %(total_steps)s::integer, %(max_active_runs)s::integer,
    %(max_projects_per_hour)s::integer);

-- project_list --
-- A page of the user's projects with their lectures, newest first, older than a project id.
SELECT * FROM api.project_list(%(user_id)s::text, %(limit)s::integer, %(before_id)s::integer);

-- project_get --
-- A project of the user with its settings and their revision.
SELECT * FROM api.project_get(%(user_id)s::text, %(project_id)s::integer);

-- project_update --
-- New name and/or settings groups merged in, at a settings revision; the project after.
SELECT * FROM api.project_update(
    %(user_id)s::text, %(project_id)s::integer, %(base_revision)s::integer, %(name)s::text,
    %(settings)s::jsonb);

-- project_members --
-- The members of a project the user is a member of, owners first.
SELECT * FROM api.project_members(%(user_id)s::text, %(project_id)s::integer);

-- project_member_set --
-- Add a member with a role or change their role (an owner only); the member after.
SELECT * FROM api.project_member_set(
    %(user_id)s::text, %(project_id)s::integer, %(member_id)s::text, %(role)s::text);

-- project_member_remove --
-- Remove a member (an owner only; never the last owner).
SELECT api.project_member_remove(
    %(user_id)s::text, %(project_id)s::integer, %(member_id)s::text);
