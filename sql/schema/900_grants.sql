-- grants: every privilege of the project, each with its reason. Re-applied by every migrate.

-- Nothing is reachable by default: PUBLIC gets no schema, table or function of ours.
REVOKE ALL ON SCHEMA app, api, audit FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA app, audit FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA app FROM PUBLIC;
REVOKE EXECUTE ON ALL ROUTINES IN SCHEMA app, api, audit FROM PUBLIC;
REVOKE USAGE ON TYPE api.lecture_save_result FROM PUBLIC;  -- a new type is PUBLIC's to use
-- Functions created later (by hand, or by the owner) start without PUBLIC EXECUTE too.
ALTER DEFAULT PRIVILEGES IN SCHEMA app, api, audit REVOKE EXECUTE ON ROUTINES FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE tutopanda_owner IN SCHEMA app, api, audit
    REVOKE EXECUTE ON ROUTINES FROM PUBLIC;

-- The runtime role (API and workers) calls the api functions and nothing else of ours, and uses
-- the types they return.
GRANT USAGE ON SCHEMA api TO tutopanda_runtime;
GRANT EXECUTE ON ALL ROUTINES IN SCHEMA api TO tutopanda_runtime;
GRANT USAGE ON TYPE api.lecture_save_result TO tutopanda_runtime;

-- The queue: workers fetch and finish jobs, the API and the api functions defer them.
GRANT USAGE ON SCHEMA procrastinate TO tutopanda_runtime, tutopanda_owner;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA procrastinate
    TO tutopanda_runtime, tutopanda_owner;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA procrastinate
    TO tutopanda_runtime, tutopanda_owner;
GRANT EXECUTE ON ALL ROUTINES IN SCHEMA procrastinate TO tutopanda_runtime, tutopanda_owner;

-- Auditors read the audit views, which run with their owner's rights over app tables, and may
-- recompute history hashes (a pure function; audit.history_chain calls it on their behalf).
GRANT USAGE ON SCHEMA audit TO tutopanda_auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA audit TO tutopanda_auditor;
GRANT EXECUTE ON FUNCTION audit.revision_hash(
    bytea, integer, integer, jsonb, text, text, text, text[], boolean, integer, timestamptz
) TO tutopanda_auditor;
GRANT EXECUTE ON FUNCTION audit.revision_hash_v2(
    bytea, integer, integer, jsonb, text, text, text, text[], boolean, integer, integer,
    timestamptz
), audit.section_hash(jsonb) TO tutopanda_auditor;
-- The views call these with the owner's rights: content rebuilt from keyframes and deltas, and
-- the hash chain walked in order.
GRANT EXECUTE ON FUNCTION audit.revision_content(integer, integer), audit.history_walk(integer)
    TO tutopanda_auditor;
-- ... and compare each live lecture with its last history row (audit.chain_heads calls it, and
-- a function called by a view runs with the reader's rights; a row in, its content out).
GRANT EXECUTE ON FUNCTION app.lecture_content(app.video_lectures) TO tutopanda_auditor;
-- ... and ask PostgreSQL what the plan of their query reads (tutopanda audit query checks it).
GRANT EXECUTE ON FUNCTION audit.query_objects(text) TO tutopanda_auditor;

-- What every role of this database gets by default, taken back so that a role granted nothing
-- (the auditor) can write nothing and disturb no one (docs/audit.md, "The auditor role", also
-- lists what PUBLIC keeps: LISTEN, UNLISTEN and NOTIFY statements, the catalogs, SET). These
-- privileges are per database. The pg_catalog functions belong to the bootstrap superuser:
-- run by anyone else, migrate leaves them as they are and says so.
DO $public$
BEGIN
    -- No temporary tables or functions, no schemas, nothing created in schema public.
    EXECUTE format('REVOKE TEMPORARY, CREATE ON DATABASE %I FROM PUBLIC', current_database());
    IF to_regnamespace('public') IS NOT NULL THEN
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    END IF;
    IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles AS r WHERE r.rolname = current_user) THEN
        RAISE WARNING 'migrate is not run by a superuser: PUBLIC keeps large objects, '
            'pg_notify() and advisory locks in this database (docs/audit.md)';
        RETURN;
    END IF;
    -- No large objects: creating one needs no table privilege, only these functions.
    REVOKE EXECUTE ON FUNCTION pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer),
        pg_catalog.lo_from_bytea(oid, bytea)
        FROM PUBLIC;
    -- No forged events: pg_notify() only for the roles whose code sends them (the event
    -- publisher, api.events_publish, runs as the owner; Procrastinate's job triggers as whoever
    -- defers: the runtime or the owner).
    REVOKE EXECUTE ON FUNCTION pg_catalog.pg_notify(text, text) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION pg_catalog.pg_notify(text, text)
        TO tutopanda_owner, tutopanda_runtime;
    -- No advisory locks (one holding the migrate lock would stall `tutopanda db migrate`): only
    -- the owner's members, i.e. whoever runs migrate, take the migrate lock.
    REVOKE EXECUTE ON FUNCTION
        pg_catalog.pg_advisory_lock(bigint), pg_catalog.pg_advisory_lock(integer, integer),
        pg_catalog.pg_advisory_lock_shared(bigint),
        pg_catalog.pg_advisory_lock_shared(integer, integer),
        pg_catalog.pg_try_advisory_lock(bigint),
        pg_catalog.pg_try_advisory_lock(integer, integer),
        pg_catalog.pg_try_advisory_lock_shared(bigint),
        pg_catalog.pg_try_advisory_lock_shared(integer, integer),
        pg_catalog.pg_advisory_xact_lock(bigint),
        pg_catalog.pg_advisory_xact_lock(integer, integer),
        pg_catalog.pg_advisory_xact_lock_shared(bigint),
        pg_catalog.pg_advisory_xact_lock_shared(integer, integer),
        pg_catalog.pg_try_advisory_xact_lock(bigint),
        pg_catalog.pg_try_advisory_xact_lock(integer, integer),
        pg_catalog.pg_try_advisory_xact_lock_shared(bigint),
        pg_catalog.pg_try_advisory_xact_lock_shared(integer, integer),
        pg_catalog.pg_advisory_unlock(bigint), pg_catalog.pg_advisory_unlock(integer, integer),
        pg_catalog.pg_advisory_unlock_shared(bigint),
        pg_catalog.pg_advisory_unlock_shared(integer, integer),
        pg_catalog.pg_advisory_unlock_all()
        FROM PUBLIC;
    -- The owner (SECURITY DEFINER functions): the migrate lock, the event publisher's election
    -- (api.events_publisher_claim), a request's hold on its idempotency key
    -- (api.idempotency_claim) and a user's quota lock (app.quota_lock).
    GRANT EXECUTE ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(integer, integer),
        pg_catalog.pg_advisory_xact_lock(integer, integer)
        TO tutopanda_owner;
    GRANT EXECUTE ON FUNCTION
        pg_catalog.pg_advisory_lock(bigint), pg_catalog.pg_advisory_unlock(bigint),
        pg_catalog.pg_try_advisory_lock(bigint)
        TO tutopanda_owner;
END
$public$;
