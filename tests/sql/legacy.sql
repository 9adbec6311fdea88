-- Rows as the original app wrote them, before migration 0002.

-- legacy_project_insert --
-- A project of the original app (schema public, no timestamps).
INSERT INTO public.projects (created_by, name, is_default, settings)
VALUES (%(owner)s, 'My Lectures', true, '{"general": {"duration": "60"}}'::jsonb)
RETURNING id;

-- legacy_lecture_insert --
-- A lecture of the original app with a script and a title, no revision column yet.
INSERT INTO public.video_lectures (project_id, title, script)
VALUES (%(project_id)s, %(title)s, %(script)s::jsonb)
RETURNING id;

-- upgraded_lectures --
-- Lectures after the upgrade, with their history rows.
SELECT l.id, l.title, l.revision, l.script, r.revision AS history_revision, r.source,
       r.changed_sections, r.data
FROM app.video_lectures AS l
LEFT JOIN app.lecture_revisions AS r ON r.lecture_id = l.id
ORDER BY l.id, r.revision;

-- yoyo_applied_migrations --
-- Migration ids yoyo recorded, one row per application.
SELECT migration_id FROM public._yoyo_migration ORDER BY migration_id;

-- table_exists --
-- One row when the qualified table exists.
SELECT 1 FROM pg_catalog.pg_class WHERE oid = pg_catalog.to_regclass(%(name)s);
