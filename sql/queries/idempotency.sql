-- Named queries of idempotency keys (api/idempotency.py, workers/recovery.py).

-- idempotency_claim --
-- Inside the write's transaction: the answer kept for this key and request, if any.
SELECT * FROM api.idempotency_claim(
    %(user_id)s::text, %(key)s::text, %(fingerprint)s::bytea);

-- idempotency_record --
-- Inside the write's transaction: keep its answer (false when it wrote nothing).
SELECT api.idempotency_record(
    %(user_id)s::text, %(key)s::text, %(fingerprint)s::bytea, %(status)s::integer,
    %(headers)s::jsonb, %(body)s::bytea, %(ttl_seconds)s::integer) AS kept;

-- idempotency_prune --
-- Delete expired keys; how many.
SELECT api.idempotency_prune() AS pruned;
