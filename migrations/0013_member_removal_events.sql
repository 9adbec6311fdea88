-- A member removed from a project leaves its lectures' event streams at once: the removal
-- writes, in its own transaction, one event (member.removed) on each lecture of the project,
-- numbered in the lecture's sequence of numbered events (video_lectures.progress_seq, which run
-- events use too) under the lecture's lock. The publisher announces it like any other event (its
-- txid); the event hub of every API process ends that user's streams of the lecture on reading
-- it, and the other subscribers see it (who, by whom, when: the membership change it records).
-- depends: 0012_project_members

CREATE TABLE app.member_removal_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lecture_id integer NOT NULL REFERENCES app.video_lectures (id),
    seq integer NOT NULL CHECK (seq >= 1),
    revision integer NOT NULL CHECK (revision >= 0),
    change_id bigint NOT NULL REFERENCES app.project_member_changes (id),
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT member_removal_events_seq_unique UNIQUE (lecture_id, seq)
);
CREATE INDEX member_removal_events_change_id_idx ON app.member_removal_events (change_id);
CREATE INDEX member_removal_events_txid_idx ON app.member_removal_events (txid);
COMMENT ON TABLE app.member_removal_events IS
    'A member removal as an event of each lecture of the project (member.removed): numbered '
    'with the lecture''s run events (seq), at the lecture''s revision then; change_id is the '
    'removal in app.project_member_changes.';

COMMENT ON COLUMN app.video_lectures.progress_seq IS
    'The number of the lecture''s last numbered event: a workflow run event '
    '(app.workflow_run_events.seq) or a member removal (app.member_removal_events.seq).';
