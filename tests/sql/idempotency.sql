-- Checks and staging of the idempotency-key tests (tests/api/test_idempotency.py).

-- project_count --
-- How many projects there are.
SELECT count(*) FROM app.projects;

-- run_count --
-- How many workflow runs there are.
SELECT count(*) FROM app.workflow_runs;

-- revision_count --
-- How many history rows there are.
SELECT count(*) FROM app.lecture_revisions;

-- idempotency_key_hold --
-- Hold a key the way a request in flight does, until this transaction ends.
SELECT pg_advisory_xact_lock(hashtext('tutopanda:idempotency'),
                             hashtext(%(user_id)s::text || E'\n' || %(key)s::text));

-- idempotency_keys_expire --
-- Every kept answer expires now.
UPDATE app.idempotency_keys SET expires_at = now() - interval '1 second';

-- idempotency_prune --
-- The workers' pruning, as they call it.
SELECT api.idempotency_prune();

-- idempotency_key_count --
-- How many keys are kept (every user's).
SELECT count(*) FROM app.idempotency_keys;
