-- Nothing typed is ever lost: a save refused as a conflict is kept, in the same call, as a
-- conflict draft (the sections sent, who, on which base, against which revision) until its
-- owner applies or discards it. A save merged onto a newer revision records the base it was
-- made on (history.merged_base), beside the revision it was merged onto (revision - 1).
-- depends: 0007_history_deltas

CREATE TABLE app.conflict_drafts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lecture_id integer NOT NULL REFERENCES app.video_lectures (id) ON DELETE RESTRICT,
    user_id text NOT NULL,
    base_revision integer NOT NULL CHECK (base_revision >= 0),
    conflict_revision integer NOT NULL CHECK (conflict_revision >= 0),
    sections jsonb NOT NULL CHECK (jsonb_typeof(sections) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolution text CHECK (resolution IN ('applied', 'merged', 'discarded', 'pruned')),
    resolved_revision integer,
    CONSTRAINT conflict_drafts_resolved_together CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);
CREATE INDEX conflict_drafts_lecture_id_idx ON app.conflict_drafts (lecture_id, user_id)
    WHERE resolved_at IS NULL;
CREATE INDEX conflict_drafts_lecture_fk_idx ON app.conflict_drafts (lecture_id);
COMMENT ON TABLE app.conflict_drafts IS
    'Saves refused as conflicts, kept until their owner applies (merges) or discards them.';

ALTER TABLE app.lecture_revisions ADD COLUMN merged_base integer;
COMMENT ON COLUMN app.lecture_revisions.merged_base IS
    'For a save merged onto a newer revision: the revision the editor''s change was made on.';
