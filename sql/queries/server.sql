-- Named queries about the server itself: databases, locks, versions.

-- embedded_database_exists --
-- One row when the embedded server already has the project database.
SELECT 1 FROM pg_catalog.pg_database WHERE datname = 'tutopanda';

-- embedded_database_create --
-- Create the project database on the embedded server (its name is fixed).
CREATE DATABASE tutopanda;

-- migrate_lock --
-- Serialise `tutopanda db migrate` runs against one database (held for the whole run).
SELECT pg_catalog.pg_advisory_lock(pg_catalog.hashtext('tutopanda:migrate'));

-- migrate_unlock --
-- Release the migrate lock taken by migrate_lock.
SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtext('tutopanda:migrate'));

-- server_version_num --
-- The server's version as an integer, e.g. 150020.
SELECT pg_catalog.current_setting('server_version_num')::integer AS version;

-- ready_check --
-- The database answers and is migrated: true when the api functions exist.
SELECT pg_catalog.to_regprocedure(
    'api.lecture_save(text, integer, integer, jsonb, boolean, boolean)') IS NOT NULL AS migrated;
