-- Per-user quotas: the checks that refuse a new workflow run or project past a user's limit
-- (SQLSTATE PT429), inside the transaction that would create it. Every API process and worker
-- counts the same rows under the same per-user lock, so concurrent requests cannot overshoot.
-- The limits are settings the caller passes (tutopanda.quotas.Quotas).

-- app.quota_lock: hold the user's quota lock until this transaction ends, so what a check
-- counts cannot change before the row it allowed commits (taken after any lecture or run lock);
-- PT422 for a limit below 1.
CREATE OR REPLACE FUNCTION app.quota_lock(p_user_id text, p_quota text, p_limit integer)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('the %s quota must be at least 1', p_quota);
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('tutopanda:quota'), hashtext(p_user_id));
END
$$;

-- app.quota_refuse: refuse a request past a quota: PT429, with the quota's name, its limit and
-- the seconds after which a retry may pass as JSON in DETAIL (tutopanda/db/errors.py reads it).
CREATE OR REPLACE FUNCTION app.quota_refuse(
    p_quota text, p_limit integer, p_retry_after integer, p_message text, p_hint text
)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'PT429', MESSAGE = p_message, HINT = p_hint,
        DETAIL = jsonb_build_object('quota', p_quota, 'limit', p_limit,
                                    'retryAfter', greatest(p_retry_after, 1))::text;
END
$$;

-- app.quota_active_runs: PT429 when the user already has p_limit active runs (queued, running or
-- waiting for review: app.workflow_run_active). Called where a run is created or queued again.
CREATE OR REPLACE FUNCTION app.quota_active_runs(p_user_id text, p_limit integer)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_active integer;
BEGIN
    PERFORM app.quota_lock(p_user_id, 'active_runs', p_limit);
    SELECT count(*) INTO v_active
    FROM (SELECT FROM app.workflow_runs AS r
          WHERE r.user_id = p_user_id AND app.workflow_run_active(r.status)
          LIMIT p_limit) AS active;
    IF v_active >= p_limit THEN
        -- When a run ends is unknown here: a generation takes about this long.
        PERFORM app.quota_refuse(
            'active_runs', p_limit, 30,
            format('%s workflow runs are active: the most one user may have at once', p_limit),
            'wait for one to finish, or cancel one');
    END IF;
END
$$;

-- app.quota_projects_per_hour: PT429 when the user created p_limit projects in the last hour (a
-- sliding window); a retry may pass once the oldest that counts is an hour old.
CREATE OR REPLACE FUNCTION app.quota_projects_per_hour(p_user_id text, p_limit integer)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_frees_at timestamptz;
BEGIN
    PERFORM app.quota_lock(p_user_id, 'projects_per_hour', p_limit);
    -- The p_limit-th newest project of the hour: while it is in the window, the limit is reached.
    SELECT p.created_at + interval '1 hour' INTO v_frees_at
    FROM app.projects AS p
    WHERE p.created_by = p_user_id AND p.created_at > now() - interval '1 hour'
    ORDER BY p.created_at DESC
    OFFSET p_limit - 1 LIMIT 1;
    IF FOUND THEN
        PERFORM app.quota_refuse(
            'projects_per_hour', p_limit, ceil(extract(epoch FROM v_frees_at - now()))::integer,
            format('%s projects in an hour: the most one user may create', p_limit),
            'wait until the oldest of them is an hour old');
    END IF;
END
$$;
