-- Events leave the database by cursor, not by a NOTIFY inside every writing transaction (a
-- notifying commit takes one cluster-wide lock, which serialised every save). Every history row
-- and every run change row records the transaction that wrote it (txid), so one publisher can
-- find exactly what committed since it last looked (everything below the oldest running
-- transaction is final) and wake the listeners in batches. Run changes get their own rows,
-- numbered per lecture under the lecture's lock, so a lecture's events replay in commit order.
-- depends: 0005_history_outlives_lectures

-- Rows written before this migration keep a NULL txid: they are history, not news.
ALTER TABLE app.lecture_revisions ADD COLUMN txid xid8;
ALTER TABLE app.lecture_revisions ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
CREATE INDEX lecture_revisions_txid_idx ON app.lecture_revisions (txid);
COMMENT ON COLUMN app.lecture_revisions.txid IS
    'The transaction that wrote the row: the event publisher''s cursor (NULL before migration 0006).';

ALTER TABLE app.video_lectures ADD COLUMN progress_seq integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN app.video_lectures.progress_seq IS
    'The number of the lecture''s last workflow run event (app.workflow_run_events.seq).';

CREATE TABLE app.workflow_run_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id text NOT NULL REFERENCES app.workflow_runs (run_id) ON DELETE CASCADE,
    lecture_id integer NOT NULL,
    seq integer NOT NULL CHECK (seq >= 1),
    revision integer NOT NULL CHECK (revision >= 0),
    status text NOT NULL,
    current_step integer NOT NULL,
    total_steps integer NOT NULL,
    step_name text,
    message text,
    step_progress real CHECK (step_progress BETWEEN 0 AND 1),
    error text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT workflow_run_events_seq_unique UNIQUE (lecture_id, seq)
);
CREATE INDEX workflow_run_events_run_id_idx ON app.workflow_run_events (run_id);
CREATE INDEX workflow_run_events_txid_idx ON app.workflow_run_events (txid);
COMMENT ON TABLE app.workflow_run_events IS
    'One row per change of a workflow run (created, started, step done, finished), numbered per '
    'lecture (seq) in commit order; revision is the lecture''s revision when it happened.';

-- The publisher's cursor: everything written by transactions below `horizon` has been announced.
CREATE TABLE app.event_publisher (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    horizon xid8 NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO app.event_publisher (horizon) VALUES (pg_snapshot_xmin(pg_current_snapshot()));
COMMENT ON TABLE app.event_publisher IS
    'One row: the horizon below which every committed event has been announced on tutopanda_events.';
