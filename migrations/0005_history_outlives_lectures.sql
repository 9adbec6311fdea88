-- History outlives its lecture: a lecture with history rows can no longer be deleted by a
-- cascade (the foreign key was ON DELETE CASCADE). Together with the triggers of
-- sql/schema/340_lecture_retention.sql, a project or lecture delete is refused at every level:
-- switching the user triggers off (as the table owner can) still leaves this constraint.
-- depends: 0004_history_hash_chain

ALTER TABLE app.lecture_revisions
    DROP CONSTRAINT lecture_revisions_lecture_id_fkey,
    ADD CONSTRAINT lecture_revisions_lecture_id_fkey
        FOREIGN KEY (lecture_id) REFERENCES app.video_lectures (id) ON DELETE RESTRICT;
