-- Idempotency keys (migration 0010): the answer of a write, kept with the write, replayed on retry.

CREATE OR REPLACE FUNCTION api.idempotency_claim(
    p_user_id text, p_key text, p_fingerprint bytea
)
RETURNS TABLE (status integer, headers jsonb, body bytea)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_key IS NULL OR length(p_key) NOT BETWEEN 1 AND 255 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'Idempotency-Key must be 1 to 255 characters';
    END IF;
    -- Held until this transaction ends: the same key sent again meanwhile is told so at once.
    IF NOT pg_try_advisory_xact_lock(hashtext('tutopanda:idempotency'),
                                     hashtext(p_user_id || E'\n' || p_key)) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = 'a request with this Idempotency-Key is still in progress',
            HINT = 'retry once it has been answered';
    END IF;
    -- A replay writes (the row, unchanged): its COMMIT then waits for a synchronous standby as
    -- the write's did, so an answer is never replayed before the standby has its write.
    RETURN QUERY
        UPDATE app.idempotency_keys AS k SET expires_at = k.expires_at
        WHERE k.user_id = p_user_id AND k.key = p_key AND k.expires_at > now()
          AND k.fingerprint = p_fingerprint
        RETURNING k.status, k.headers, k.body;
    IF NOT FOUND AND EXISTS (
            SELECT FROM app.idempotency_keys AS k
            WHERE k.user_id = p_user_id AND k.key = p_key AND k.expires_at > now()) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = 'this Idempotency-Key was used for another request',
            HINT = 'send a new key with a new request';
    END IF;
END
$$;
COMMENT ON FUNCTION api.idempotency_claim(text, text, bytea) IS
    'Start a write sent with an idempotency key, inside its transaction: the answer kept for the '
    'same key and request (replay it, do nothing else), or no row (do the write, then '
    'api.idempotency_record). PT409 while another request with the key runs; PT422 when the key '
    'was used for another request (fingerprint).';

CREATE OR REPLACE FUNCTION api.idempotency_record(
    p_user_id text,
    p_key text,
    p_fingerprint bytea,
    p_status integer,
    p_headers jsonb,
    p_body bytea,
    p_ttl_seconds integer
)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF txid_current_if_assigned() IS NULL THEN
        RETURN false;  -- the request wrote nothing: nothing to protect, it may simply run again
    END IF;
    INSERT INTO app.idempotency_keys AS k
        (user_id, key, fingerprint, status, headers, body, expires_at)
    VALUES (p_user_id, p_key, p_fingerprint, p_status, coalesce(p_headers, '{}'), p_body,
            now() + make_interval(secs => greatest(p_ttl_seconds, 1)))
    ON CONFLICT (user_id, key) DO UPDATE  -- only an expired key is still there to replace
        SET fingerprint = excluded.fingerprint, status = excluded.status,
            headers = excluded.headers, body = excluded.body, created_at = excluded.created_at,
            expires_at = excluded.expires_at;
    RETURN true;
END
$$;
COMMENT ON FUNCTION api.idempotency_record(text, text, bytea, integer, jsonb, bytea, integer) IS
    'Keep the answer of a write made with an idempotency key, in the write''s transaction, for '
    'p_ttl_seconds; false (nothing kept) when the transaction wrote nothing.';

CREATE OR REPLACE FUNCTION api.idempotency_prune()
RETURNS integer
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH gone AS (
        DELETE FROM app.idempotency_keys AS k WHERE k.expires_at <= now() RETURNING 1
    )
    SELECT count(*)::integer FROM gone;
$$;
COMMENT ON FUNCTION api.idempotency_prune() IS
    'Delete the idempotency keys that have expired (workers call it periodically); how many.';
