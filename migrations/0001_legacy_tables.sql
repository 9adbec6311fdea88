-- The two tables the product already had, as the original app (keremk/tutopanda,
-- client/src/db/app-schema.ts) created them in schema public, before revisions existed.
-- The original `projects.created_by` referenced its better-auth `user` table; users live in
-- the identity provider here (JWT `sub`), so the column is kept without that foreign key.
-- IF NOT EXISTS lets this migration adopt a database that already has the two tables.

CREATE TABLE IF NOT EXISTS public.projects (
    id serial PRIMARY KEY,
    created_by text NOT NULL,
    name text,
    is_default boolean NOT NULL DEFAULT false,
    settings jsonb
);

CREATE TABLE IF NOT EXISTS public.video_lectures (
    id serial PRIMARY KEY,
    project_id integer NOT NULL REFERENCES public.projects (id) ON DELETE CASCADE,
    title text NOT NULL DEFAULT 'Untitled Lecture',
    prompt text,
    summary text,
    script jsonb,
    images jsonb,
    narration jsonb,
    videos jsonb,
    music jsonb,
    effects jsonb,
    timeline jsonb
);
