-- GENERATED FILE, do not edit: normalised `pg_dump --schema-only` of schemas app, api
-- and audit after `tutopanda db migrate`. Refresh with `make schema-snapshot`.

CREATE SCHEMA api;

ALTER SCHEMA api OWNER TO tutopanda_owner;

COMMENT ON SCHEMA api IS 'Functions the runtime role calls (re-created from sql/ by every migrate).';

CREATE SCHEMA app;

ALTER SCHEMA app OWNER TO tutopanda_owner;

COMMENT ON SCHEMA app IS 'Private tables of the lecture store; reached only through api.* functions.';

CREATE SCHEMA audit;

ALTER SCHEMA audit OWNER TO tutopanda_owner;

COMMENT ON SCHEMA audit IS 'Read-only views for auditors (re-created from sql/ by every migrate).';

CREATE TABLE app.installed_components (
    name text NOT NULL,
    version text NOT NULL,
    installed_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE app.installed_components OWNER TO tutopanda_owner;

CREATE TABLE app.lecture_revisions (
    id bigint NOT NULL,
    lecture_id integer NOT NULL,
    revision integer NOT NULL,
    data jsonb NOT NULL,
    created_by text NOT NULL,
    source text DEFAULT 'app'::text NOT NULL,
    run_id text,
    changed_sections text[] DEFAULT '{}'::text[] NOT NULL,
    forced boolean DEFAULT false NOT NULL,
    restored_from integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT lecture_revisions_revision_check CHECK ((revision >= 0)),
    CONSTRAINT lecture_revisions_source_check CHECK ((source = ANY (ARRAY['app'::text, 'workflow'::text, 'system'::text])))
);

ALTER TABLE app.lecture_revisions OWNER TO tutopanda_owner;

ALTER TABLE app.lecture_revisions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.lecture_revisions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE app.projects (
    id integer NOT NULL,
    created_by text NOT NULL,
    name text,
    is_default boolean DEFAULT false NOT NULL,
    settings jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE app.projects OWNER TO tutopanda_owner;

CREATE SEQUENCE app.projects_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE app.projects_id_seq OWNER TO tutopanda_owner;

ALTER SEQUENCE app.projects_id_seq OWNED BY app.projects.id;

CREATE TABLE app.video_lectures (
    id integer NOT NULL,
    project_id integer NOT NULL,
    title text DEFAULT 'Untitled Lecture'::text NOT NULL,
    prompt text,
    summary text,
    script jsonb,
    images jsonb,
    narration jsonb,
    videos jsonb,
    music jsonb,
    effects jsonb,
    timeline jsonb,
    revision integer DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT video_lectures_revision_not_negative CHECK ((revision >= 0))
);

ALTER TABLE app.video_lectures OWNER TO tutopanda_owner;

CREATE SEQUENCE app.video_lectures_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE app.video_lectures_id_seq OWNER TO tutopanda_owner;

ALTER SEQUENCE app.video_lectures_id_seq OWNED BY app.video_lectures.id;

CREATE TABLE app.workflow_runs (
    run_id text NOT NULL,
    lecture_id integer NOT NULL,
    user_id text NOT NULL,
    kind text NOT NULL,
    status text DEFAULT 'queued'::text NOT NULL,
    current_step integer DEFAULT 0 NOT NULL,
    total_steps integer DEFAULT 0 NOT NULL,
    context jsonb DEFAULT '{}'::jsonb NOT NULL,
    error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workflow_runs_current_step_check CHECK ((current_step >= 0)),
    CONSTRAINT workflow_runs_run_id_is_uuid CHECK ((run_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'::text)),
    CONSTRAINT workflow_runs_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'running'::text, 'succeeded'::text, 'failed'::text, 'cancelled'::text]))),
    CONSTRAINT workflow_runs_step_within_total CHECK ((current_step <= total_steps)),
    CONSTRAINT workflow_runs_total_steps_check CHECK ((total_steps >= 0))
);

ALTER TABLE app.workflow_runs OWNER TO tutopanda_owner;

CREATE TABLE app.workflow_steps (
    run_id text NOT NULL,
    step_index integer NOT NULL,
    name text NOT NULL,
    revision integer NOT NULL,
    output_summary jsonb DEFAULT '{}'::jsonb NOT NULL,
    attempts integer DEFAULT 1 NOT NULL,
    started_at timestamp with time zone,
    completed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workflow_steps_attempts_check CHECK ((attempts >= 1)),
    CONSTRAINT workflow_steps_revision_check CHECK ((revision >= 0)),
    CONSTRAINT workflow_steps_step_index_check CHECK ((step_index >= 1))
);

ALTER TABLE app.workflow_steps OWNER TO tutopanda_owner;

ALTER TABLE ONLY app.projects ALTER COLUMN id SET DEFAULT nextval('app.projects_id_seq'::regclass);

ALTER TABLE ONLY app.video_lectures ALTER COLUMN id SET DEFAULT nextval('app.video_lectures_id_seq'::regclass);

ALTER TABLE ONLY app.installed_components
    ADD CONSTRAINT installed_components_pkey PRIMARY KEY (name);

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revision_unique UNIQUE (lecture_id, revision);

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revisions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.video_lectures
    ADD CONSTRAINT video_lectures_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.workflow_runs
    ADD CONSTRAINT workflow_runs_pkey PRIMARY KEY (run_id);

ALTER TABLE ONLY app.workflow_steps
    ADD CONSTRAINT workflow_steps_pkey PRIMARY KEY (run_id, step_index);

CREATE INDEX lecture_revisions_run_id_idx ON app.lecture_revisions USING btree (run_id);

CREATE INDEX projects_created_by_idx ON app.projects USING btree (created_by);

CREATE INDEX video_lectures_project_id_idx ON app.video_lectures USING btree (project_id);

CREATE INDEX workflow_runs_lecture_id_idx ON app.workflow_runs USING btree (lecture_id);

CREATE INDEX workflow_runs_status_idx ON app.workflow_runs USING btree (status);

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revisions_lecture_id_fkey FOREIGN KEY (lecture_id) REFERENCES app.video_lectures(id) ON DELETE CASCADE;

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revisions_run_id_fkey FOREIGN KEY (run_id) REFERENCES app.workflow_runs(run_id);

ALTER TABLE ONLY app.video_lectures
    ADD CONSTRAINT video_lectures_project_id_fkey FOREIGN KEY (project_id) REFERENCES app.projects(id) ON DELETE CASCADE;

ALTER TABLE ONLY app.workflow_runs
    ADD CONSTRAINT workflow_runs_lecture_id_fkey FOREIGN KEY (lecture_id) REFERENCES app.video_lectures(id) ON DELETE CASCADE;

ALTER TABLE ONLY app.workflow_steps
    ADD CONSTRAINT workflow_steps_run_id_fkey FOREIGN KEY (run_id) REFERENCES app.workflow_runs(run_id) ON DELETE CASCADE;

GRANT USAGE ON SCHEMA api TO tutopanda_runtime;

GRANT USAGE ON SCHEMA audit TO tutopanda_auditor;
