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

-- auditor_creates_temp_table --
-- A temporary table (a place to write, and to hold state between queries).
CREATE TEMP TABLE mine (x int);

-- auditor_creates_large_object --
-- A large object: storage that needs no table privilege.
SELECT lo_create(0);

-- auditor_creates_large_object_from_bytes --
-- The other way to create one.
SELECT lo_from_bytea(0, '\x00');

-- auditor_notifies --
-- A forged event on the channel the API listens to, through the function.
SELECT pg_notify('tutopanda_events', '{"type": "lecture.revision", "lectureId": 1}');

-- auditor_takes_migrate_lock --
-- The advisory lock `tutopanda db migrate` waits for.
SELECT pg_advisory_lock(hashtext('tutopanda:migrate'));

-- auditor_takes_shared_advisory_lock --
-- Any advisory lock, in any form.
SELECT pg_try_advisory_xact_lock_shared(1, 2);

-- auditor_creates_in_public --
-- An object in schema public.
CREATE TABLE public.mine (x int);

-- auditor_listens --
-- LISTEN: PostgreSQL checks no privilege for it (docs/audit.md).
LISTEN tutopanda_events;

-- auditor_notify_statement --
-- NOTIFY as a statement: no privilege check either (docs/audit.md).
NOTIFY tutopanda_audit_test, 'x';

-- runtime_notifies --
-- The runtime role still sends notifications (Procrastinate's job triggers run as it).
SELECT pg_notify('tutopanda_privileges_test', 'x');

-- hold_migrate_lock --
-- A session that takes the migrate lock and keeps it.
SELECT pg_advisory_lock(hashtext('tutopanda:migrate'));

-- pooled_login_create --
-- A login role for the API behind a transaction-mode pooler: the runtime role's rights only.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'tutopanda_pooled_test') THEN
        BEGIN
            CREATE ROLE tutopanda_pooled_test LOGIN IN ROLE tutopanda_runtime;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

-- current_login --
-- Who this session is.
SELECT current_user::text, session_user::text;

-- api_session_users --
-- The login (and current) users of the API's request sessions and of the workers' sessions.
SELECT application_name, usename::text FROM pg_catalog.pg_stat_activity
WHERE datname = pg_catalog.current_database()
  AND application_name IN ('tutopanda-api', 'tutopanda-worker')
GROUP BY application_name, usename ORDER BY application_name, usename;
