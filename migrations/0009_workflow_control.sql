-- Workflow control as the original editor offers it: resume and rerun (a run linked to the one
-- it repeats, from a step), single-asset regeneration with review (a proposal kept on the run,
-- not applied, until accepted, rejected or expired), and project settings with a revision and a
-- history of who changed them.
-- depends: 0008_conflict_drafts

ALTER TABLE app.workflow_runs DROP CONSTRAINT workflow_runs_status_check;
ALTER TABLE app.workflow_runs ADD CONSTRAINT workflow_runs_status_check CHECK (status IN (
    'queued', 'running', 'waiting_for_review', 'succeeded', 'failed', 'cancelled', 'rejected',
    'expired'));

-- A run waiting for its review still occupies the lecture: one active run at a time.
DROP INDEX app.workflow_runs_one_active_per_lecture;
CREATE UNIQUE INDEX workflow_runs_one_active_per_lecture
    ON app.workflow_runs (lecture_id) WHERE status IN ('queued', 'running', 'waiting_for_review');

ALTER TABLE app.workflow_runs
    ADD COLUMN original_run_id text REFERENCES app.workflow_runs (run_id),
    ADD COLUMN attempt integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    ADD COLUMN proposal jsonb,
    ADD COLUMN proposal_base jsonb,
    ADD COLUMN proposal_revision integer,
    ADD COLUMN review_expires_at timestamptz;
CREATE INDEX workflow_runs_original_run_id_idx ON app.workflow_runs (original_run_id);
CREATE INDEX workflow_runs_review_expires_at_idx ON app.workflow_runs (review_expires_at)
    WHERE status = 'waiting_for_review';
COMMENT ON COLUMN app.workflow_runs.original_run_id IS
    'The run this one repeats (a rerun or a resume of a failed generation), if any.';
COMMENT ON COLUMN app.workflow_runs.proposal IS
    'A single-asset regeneration''s result, shown for review and applied only when accepted.';
COMMENT ON COLUMN app.workflow_runs.proposal_base IS
    'The asset as it was at proposal_revision: an accept refuses when the lecture''s asset differs.';
COMMENT ON COLUMN app.workflow_runs.proposal_revision IS
    'The lecture revision the proposal was made on: an accept merges onto newer ones.';

ALTER TABLE app.projects
    ADD COLUMN settings_revision integer NOT NULL DEFAULT 0 CHECK (settings_revision >= 0),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE app.project_settings_history (
    project_id integer NOT NULL REFERENCES app.projects (id) ON DELETE RESTRICT,
    revision integer NOT NULL CHECK (revision >= 0),
    name text,
    settings jsonb,
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, revision)
);
COMMENT ON TABLE app.project_settings_history IS
    'Every version of a project''s name and settings: who changed them and when.';

-- Existing projects start their settings history at revision 0.
INSERT INTO app.project_settings_history (project_id, revision, name, settings, changed_by,
                                          changed_at)
SELECT p.id, 0, p.name, p.settings, p.created_by, p.created_at FROM app.projects AS p;
