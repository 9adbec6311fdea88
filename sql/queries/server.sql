-- Named queries about the server itself: databases, locks, versions.

-- embedded_database_exists --
-- One row when the embedded server already has the project database.
SELECT 1 FROM pg_catalog.pg_database WHERE datname = 'tutopanda';

-- embedded_database_create --
-- Create the project database on the embedded server (its name is fixed).
CREATE DATABASE tutopanda;

-- migrate_lock_timeout --
-- How long this session waits for a lock (migrate_lock) before giving up, in milliseconds.
SELECT pg_catalog.set_config('lock_timeout', %(milliseconds)s::integer::text, false);

-- migrate_lock --
-- Serialise `tutopanda db migrate` runs against one database (held for the whole run).
SELECT pg_catalog.pg_advisory_lock(pg_catalog.hashtext(%(lock)s::text));

-- migrate_unlock --
-- Release the migrate lock taken by migrate_lock.
SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtext(%(lock)s::text));

-- migrate_lock_holders --
-- The sessions holding the migrate lock of this database: pid, user, application, since when.
SELECT a.pid, a.usename AS user_name, a.application_name, a.backend_start
FROM pg_catalog.pg_locks AS l
JOIN pg_catalog.pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT d.oid FROM pg_catalog.pg_database AS d
                    WHERE d.datname = pg_catalog.current_database())
  AND (l.classid::bigint << 32 | l.objid::bigint)
      = pg_catalog.hashtext(%(lock)s::text)::bigint
ORDER BY a.pid;

-- server_version_num --
-- The server's version as an integer, e.g. 150020.
SELECT pg_catalog.current_setting('server_version_num')::integer AS version;

-- ready_check --
-- The database answers and is migrated: true when the api functions exist.
SELECT pg_catalog.to_regprocedure(
    'api.lecture_save(text, integer, integer, jsonb, boolean, boolean)') IS NOT NULL AS migrated;

-- login_rights --
-- What the session's login may do beyond the runtime role's rights (all false: nothing more).
SELECT r.rolsuper AS superuser,
       r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls AS role_attributes,
       pg_catalog.pg_has_role(current_user, 'tutopanda_owner', 'USAGE') AS owner_rights,
       pg_catalog.has_schema_privilege(current_user, 'app', 'USAGE') AS private_tables,
       pg_catalog.has_database_privilege(current_database(), 'CREATE') AS create_schemas,
       pg_catalog.pg_has_role(current_user, 'tutopanda_runtime', 'USAGE') AS runtime_rights
FROM pg_catalog.pg_roles AS r
WHERE r.rolname = current_user;

-- login_standing --
-- Whether `tutopanda db migrate` has created tutopanda_runtime (a server answers without it), and
-- whether the session's login may assume it (SET ROLE, or the `-c role=` option).
SELECT r.oid IS NOT NULL AS migrated,
       CASE WHEN r.oid IS NULL THEN false
            ELSE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') END AS may_assume_runtime
FROM (SELECT) AS one
LEFT JOIN pg_catalog.pg_roles AS r ON r.rolname = 'tutopanda_runtime';
