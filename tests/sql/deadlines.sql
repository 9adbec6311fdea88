-- Holds and faults of the deadline tests, run as the admin user.

-- lectures_lock --
-- Hold every statement that reads or writes a lecture until this transaction ends.
LOCK TABLE app.video_lectures IN ACCESS EXCLUSIVE MODE;

-- lock_waiters --
-- Sessions of this database waiting for a lock right now.
SELECT count(*) AS waiting FROM pg_catalog.pg_stat_activity
WHERE datname = pg_catalog.current_database() AND wait_event_type = 'Lock';

-- standby_required --
-- Make every commit wait for a synchronous standby (there is none: each waits until cancelled).
ALTER SYSTEM SET synchronous_standby_names = '*';

-- standby_not_required --
-- Undo standby_required.
ALTER SYSTEM RESET synchronous_standby_names;

-- configuration_reload --
-- Apply ALTER SYSTEM now.
SELECT pg_catalog.pg_reload_conf();
