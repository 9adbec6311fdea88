-- Checks and faults of the outage tests (API and workers), run as the admin user.

-- worker_listeners --
-- Sessions of workers that LISTEN for jobs right now (the last statement of a listener).
SELECT count(*) AS listeners FROM pg_catalog.pg_stat_activity
WHERE datname = pg_catalog.current_database() AND application_name = 'tutopanda-worker'
  AND query LIKE 'LISTEN %';

-- forbid_heartbeats --
-- Make every worker heartbeat fail (permission denied) until allow_heartbeats.
REVOKE UPDATE ON procrastinate.procrastinate_workers FROM tutopanda_runtime;

-- allow_heartbeats --
-- Undo forbid_heartbeats.
GRANT UPDATE ON procrastinate.procrastinate_workers TO tutopanda_runtime;

-- heartbeat_ages --
-- Seconds since each registered worker's last heartbeat.
SELECT id, extract(epoch FROM pg_catalog.now() - last_heartbeat)::float8 AS age
FROM procrastinate.procrastinate_workers ORDER BY id;

-- terminate_backend --
-- End one session, as an administrator or a crash would (returns once it has ended).
SELECT pg_catalog.pg_terminate_backend(%(pid)s, 5000);
