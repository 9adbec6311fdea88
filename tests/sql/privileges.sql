-- Statements the runtime role must not be able to run.

-- runtime_select_lectures --
-- Read a table directly.
SELECT * FROM app.video_lectures;

-- runtime_update_lectures --
-- Rewrite lecture content behind the api's back.
UPDATE app.video_lectures SET title = 'hijacked';

-- runtime_delete_lectures --
-- Delete lectures directly.
DELETE FROM app.video_lectures;

-- runtime_insert_history --
-- Forge a history row.
INSERT INTO app.lecture_revisions (lecture_id, revision, data, created_by) VALUES (1, 99, '{}', 'x');

-- runtime_update_history --
-- Rewrite history.
UPDATE app.lecture_revisions SET created_by = 'mallory';

-- runtime_delete_history --
-- Erase history.
DELETE FROM app.lecture_revisions;

-- runtime_call_private_helper --
-- Call a private helper that writes without checks.
SELECT * FROM app.lecture_commit(1, '{"title": "x"}', 'mallory', 'app');

-- runtime_reset_role --
-- Drop back to the login user (the startup role option makes this a no-op).
RESET ROLE;

-- current_role --
-- The role in effect.
SELECT current_user;
