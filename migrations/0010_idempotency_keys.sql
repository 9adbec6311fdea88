-- Idempotency keys: a write sent with an `Idempotency-Key` header keeps its answer beside it, in
-- the same transaction as the write, so a client that lost the answer and sends the request again
-- gets that answer instead of a second project, run or revision. Keys belong to a user and expire.
-- depends: 0009_workflow_control

CREATE TABLE app.idempotency_keys (
    user_id text NOT NULL,
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint bytea NOT NULL,        -- SHA-256 of the request: method, path, query, If-Match, body
    status integer NOT NULL CHECK (status BETWEEN 100 AND 599),
    headers jsonb NOT NULL,            -- the response headers a replay sends again (ETag, …)
    body bytea NOT NULL,               -- the response body, byte for byte
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE INDEX idempotency_keys_expiry ON app.idempotency_keys (expires_at);
