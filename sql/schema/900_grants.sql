-- grants: every privilege of the project, each with its reason. Re-applied by every migrate.

-- Nothing is reachable by default: PUBLIC gets no schema, table or function of ours.
REVOKE ALL ON SCHEMA app, api, audit FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA app, audit FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA app FROM PUBLIC;
REVOKE EXECUTE ON ALL ROUTINES IN SCHEMA app, api, audit FROM PUBLIC;
-- Functions created later (by hand, or by the owner) start without PUBLIC EXECUTE too.
ALTER DEFAULT PRIVILEGES IN SCHEMA app, api, audit REVOKE EXECUTE ON ROUTINES FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE tutopanda_owner IN SCHEMA app, api, audit
    REVOKE EXECUTE ON ROUTINES FROM PUBLIC;

-- The runtime role (API and workers) calls the api functions and nothing else of ours.
GRANT USAGE ON SCHEMA api TO tutopanda_runtime;
GRANT EXECUTE ON ALL ROUTINES IN SCHEMA api TO tutopanda_runtime;

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
    bytea, integer, integer, jsonb, text, text, text, text[], boolean, integer, timestamptz
), audit.section_hash(jsonb) TO tutopanda_auditor;
-- The views call these with the owner's rights: content rebuilt from keyframes and deltas, and
-- the hash chain walked in order.
GRANT EXECUTE ON FUNCTION audit.revision_content(integer, integer), audit.history_walk(integer)
    TO tutopanda_auditor;
