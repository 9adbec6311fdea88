"""Idempotency keys: a write's answer, kept in the write's transaction, replayed on retry."""

from __future__ import annotations

from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict

from tutopanda.db.execute import Connection, fetch_all, fetch_value
from tutopanda.errors import IdempotencyKeyReused, InvalidInput


class KeptAnswer(BaseModel):
    """An HTTP answer as it was sent: status, the headers a replay repeats, the body's bytes."""

    model_config = ConfigDict(frozen=True)

    status: int
    headers: dict[str, str]
    body: bytes


async def claim(conn: Connection, user_id: str, key: str, fingerprint: bytes) -> KeptAnswer | None:
    """Inside the write's transaction: the answer kept for this key and request, else None (go
    ahead). Conflict while another request holds the key; IdempotencyKeyReused when the key was
    used for another request."""
    params = {"user_id": user_id, "key": key, "fingerprint": fingerprint}
    try:
        kept = await fetch_all(conn, "idempotency_claim", params, KeptAnswer)
    except InvalidInput as error:  # a key of 1 to 255 characters meets only this refusal
        raise IdempotencyKeyReused(error.message, hint=error.hint) from error
    return kept[0] if kept else None


async def record(
    conn: Connection,
    user_id: str,
    key: str,
    fingerprint: bytes,
    answer: KeptAnswer,
    *,
    ttl_seconds: int,
) -> bool:
    """Inside the write's transaction: keep its answer; False when the transaction wrote nothing."""
    params = {
        "user_id": user_id,
        "key": key,
        "fingerprint": fingerprint,
        "status": answer.status,
        "headers": Jsonb(answer.headers),
        "body": answer.body,
        "ttl_seconds": ttl_seconds,
    }
    return bool(await fetch_value(conn, "idempotency_record", params))


async def prune(conn: Connection) -> int:
    """Delete the expired keys; how many."""
    return int(await fetch_value(conn, "idempotency_prune", {}))
