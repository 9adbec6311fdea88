-- Revisions, append-only history and workflow runs; schemas and roles of DESIGN.md.
-- Existing lectures are backfilled: revision 0 and one revision-0 history row each.
-- depends: 0001_legacy_tables

-- Roles are cluster-wide: create them once, tolerate a concurrent creator in another database.
DO $roles$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['tutopanda_owner', 'tutopanda_runtime', 'tutopanda_auditor'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
END
$roles$;

COMMENT ON ROLE tutopanda_owner IS 'Owns the app, api and audit schemas; SECURITY DEFINER functions run as it.';
COMMENT ON ROLE tutopanda_runtime IS 'API and workers: may only EXECUTE api.* and use the procrastinate queue.';
COMMENT ON ROLE tutopanda_auditor IS 'Auditors: may only SELECT the audit.* views.';

CREATE SCHEMA IF NOT EXISTS app;
CREATE SCHEMA IF NOT EXISTS api;
CREATE SCHEMA IF NOT EXISTS audit;
CREATE SCHEMA IF NOT EXISTS procrastinate;

COMMENT ON SCHEMA app IS 'Private tables of the lecture store; reached only through api.* functions.';
COMMENT ON SCHEMA api IS 'Functions the runtime role calls (re-created from sql/ by every migrate).';
COMMENT ON SCHEMA audit IS 'Read-only views for auditors (re-created from sql/ by every migrate).';
COMMENT ON SCHEMA procrastinate IS 'The Procrastinate job queue, installed and upgraded by tutopanda db migrate.';

ALTER TABLE public.projects SET SCHEMA app;
ALTER TABLE public.video_lectures SET SCHEMA app;

ALTER TABLE app.projects
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE app.video_lectures
    ADD COLUMN IF NOT EXISTS revision integer NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE app.video_lectures
    ADD CONSTRAINT video_lectures_revision_not_negative CHECK (revision >= 0);

CREATE INDEX IF NOT EXISTS projects_created_by_idx ON app.projects (created_by);
CREATE INDEX IF NOT EXISTS video_lectures_project_id_idx ON app.video_lectures (project_id);

CREATE TABLE app.workflow_runs (
    run_id text PRIMARY KEY,
    lecture_id integer NOT NULL REFERENCES app.video_lectures (id) ON DELETE CASCADE,
    user_id text NOT NULL,
    kind text NOT NULL,
    status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    current_step integer NOT NULL DEFAULT 0 CHECK (current_step >= 0),
    total_steps integer NOT NULL DEFAULT 0 CHECK (total_steps >= 0),
    context jsonb NOT NULL DEFAULT '{}'::jsonb,
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT workflow_runs_run_id_is_uuid CHECK (
        run_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    ),
    CONSTRAINT workflow_runs_step_within_total CHECK (current_step <= total_steps)
);
CREATE INDEX workflow_runs_lecture_id_idx ON app.workflow_runs (lecture_id);
CREATE INDEX workflow_runs_status_idx ON app.workflow_runs (status);

CREATE TABLE app.lecture_revisions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lecture_id integer NOT NULL REFERENCES app.video_lectures (id) ON DELETE CASCADE,
    revision integer NOT NULL CHECK (revision >= 0),
    data jsonb NOT NULL,
    created_by text NOT NULL,
    source text NOT NULL DEFAULT 'app' CHECK (source IN ('app', 'workflow', 'system')),
    run_id text REFERENCES app.workflow_runs (run_id),
    changed_sections text[] NOT NULL DEFAULT '{}',
    forced boolean NOT NULL DEFAULT false,
    restored_from integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lecture_revision_unique UNIQUE (lecture_id, revision)
);
CREATE INDEX lecture_revisions_run_id_idx ON app.lecture_revisions (run_id);

CREATE TABLE app.workflow_steps (
    run_id text NOT NULL REFERENCES app.workflow_runs (run_id) ON DELETE CASCADE,
    step_index integer NOT NULL CHECK (step_index >= 1),
    name text NOT NULL,
    revision integer NOT NULL CHECK (revision >= 0),
    output_summary jsonb NOT NULL DEFAULT '{}'::jsonb,
    attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    started_at timestamptz,
    completed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, step_index)
);

-- Component versions the migrate command manages outside yoyo (the Procrastinate schema).
CREATE TABLE app.installed_components (
    name text PRIMARY KEY,
    version text NOT NULL,
    installed_at timestamptz NOT NULL DEFAULT now()
);

-- Backfill: every existing lecture is revision 0 with a revision-0 history row.
INSERT INTO app.lecture_revisions (lecture_id, revision, data, created_by, source, changed_sections)
SELECT
    l.id,
    l.revision,
    jsonb_build_object(
        'title', l.title, 'summary', l.summary, 'script', l.script, 'images', l.images,
        'videos', l.videos, 'narration', l.narration, 'music', l.music, 'effects', l.effects,
        'timeline', l.timeline
    ),
    'system:migration-0002',
    'system',
    ARRAY(
        SELECT s.name
        FROM (VALUES
            ('script', l.script), ('images', l.images), ('videos', l.videos),
            ('narration', l.narration), ('music', l.music), ('effects', l.effects),
            ('timeline', l.timeline)
        ) AS s (name, value)
        WHERE s.value IS NOT NULL
    )
FROM app.video_lectures AS l
WHERE NOT EXISTS (
    SELECT FROM app.lecture_revisions AS r WHERE r.lecture_id = l.id AND r.revision = l.revision
);
