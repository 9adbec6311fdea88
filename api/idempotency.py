"""`Idempotency-Key`: a write's answer is kept with the write, and a retry gets that answer.

With the header, an unsafe request (POST, PUT, PATCH, DELETE) runs in ONE transaction on one
connection: the key is claimed first (`api.idempotency_claim`: an answer kept for the same key and
request is sent again at once and nothing else runs; a request still holding the key is 409; a key
used for another request is 422), the route then runs on that same connection (`request_connection`
hands it out), and its answer is kept (`api.idempotency_record`) before the transaction commits.
No crash can separate a write from its kept answer, and the answer leaves only once committed. A
request that wrote nothing (a refusal, a failure) keeps nothing: sent again, it simply runs again.
Without the header nothing changes, nor for a route that stores nothing (NOT_A_WRITE: presence),
whose key is ignored: sent again, it simply runs again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar, Request
from litestar.enums import ParamType, ScopeType
from litestar.openapi.spec import OpenAPIType, Operation, Parameter, Schema
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState
from psycopg.pq import TransactionStatus

from tutopanda.api.database import SHARED_CONNECTION, Connection, Database
from tutopanda.api.middleware import raw_header, replaying
from tutopanda.api.problems import InvalidField
from tutopanda.api.unsafe import UNSAFE_METHODS, not_writes, stores_a_write
from tutopanda.settings import Settings
from tutopanda.store import idempotency
from tutopanda.store.idempotency import KeptAnswer

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"  # "true" on an answer sent again for a key
_KEY_NAME = KEY_HEADER.lower().encode()
KEY_PATTERN = "^[!#-~]{1,255}$"  # visible ASCII but the double quote, 1 to 255 characters
# The headers of an answer that a replay sends again (the request id is the retry's own).
KEPT_HEADERS = ("content-type", "etag", "location", "cache-control", "retry-after")


def request_key(raw: str) -> str:
    """The key of the header: a token (Stripe's form) or a quoted string (the IETF draft's)."""
    key = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] == '"' else raw
    if not 1 <= len(key) <= 255 or any(not "!" <= c <= "~" or c == '"' for c in key):
        raise InvalidField(KEY_HEADER, "1 to 255 visible ASCII characters, no quotes (a UUID)")
    return key


def idempotency_middleware(app: ASGIApp) -> ASGIApp:
    """Runs a write sent with an `Idempotency-Key` in one transaction with its kept answer."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] not in UNSAFE_METHODS:
            await app(scope, receive, send)
            return
        raw = raw_header(scope, _KEY_NAME)
        if raw is None or "user" not in scope or not stores_a_write(scope):
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = request_key(raw.decode("latin-1"))
        body = await Request[Any, Any, Any](scope, receive).body()
        keyed = _KeyedWrite(str(scope["user"]), key, _fingerprint(scope, headers, body))
        answer = await keyed.answer(app, scope, replaying(body, receive))
        await answer.send(send)

    return middleware


@dataclass(frozen=True)
class _KeyedWrite:
    """One write sent with a key: its user, the key and the request's fingerprint."""

    user: str
    key: str
    fingerprint: bytes

    async def answer(self, app: ASGIApp, scope: HTTPScope, receive: Receive) -> _Answer:
        """The kept answer, or the route's, kept in the same transaction as the route's writes."""
        litestar: Litestar = scope["app"]
        settings: Settings = litestar.state.settings
        database: Database = litestar.state.database
        try:
            async with database.connection() as conn, conn.transaction():
                kept = await idempotency.claim(conn, self.user, self.key, self.fingerprint)
                if kept is not None:
                    return _Answer.replayed(kept)
                answer = await _answered(app, scope, receive, conn)
                if (
                    answer.status >= 500
                    or conn.info.transaction_status != TransactionStatus.INTRANS
                ):
                    raise _Failed(answer)  # rolled back: nothing it wrote stays, nor its answer
                ttl = round(settings.idempotency_key_hours * 3600)
                await idempotency.record(
                    conn, self.user, self.key, self.fingerprint, answer.kept(), ttl_seconds=ttl
                )
                return answer
        except _Failed as failed:
            return failed.answer


class _Failed(Exception):
    """The route failed (its transaction aborted, or it answered 5xx): roll back, answer as is."""

    def __init__(self, answer: _Answer):
        super().__init__(answer.status)
        self.answer = answer


def _fingerprint(scope: HTTPScope, headers: dict[bytes, bytes], body: bytes) -> bytes:
    """What makes two requests the same request: method, path, query, If-Match and body."""
    digest = hashlib.sha256()
    for part in (
        scope["method"].encode(),
        scope.get("raw_path") or scope["path"].encode(),
        scope.get("query_string", b""),
        headers.get(b"if-match", b""),
    ):
        digest.update(len(part).to_bytes(8, "big") + part)
    digest.update(body)
    return digest.digest()


@dataclass
class _Answer:
    """An HTTP answer held back until its transaction has committed."""

    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""

    @classmethod
    def replayed(cls, kept: KeptAnswer) -> _Answer:
        headers = [(name.encode(), value.encode("latin-1")) for name, value in kept.headers.items()]
        headers.append((REPLAYED_HEADER.lower().encode(), b"true"))
        return cls(kept.status, headers, kept.body)

    def kept(self) -> KeptAnswer:
        """What a replay sends: the status, the headers worth repeating, the body."""
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1") for name, value in self.headers
        }
        return KeptAnswer(
            status=self.status,
            headers={name: headers[name] for name in KEPT_HEADERS if name in headers},
            body=self.body,
        )

    async def send(self, send: Send) -> None:
        headers = [(n, v) for n, v in self.headers if n.lower() != b"content-length"]
        headers.append((b"content-length", str(len(self.body)).encode()))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


async def _answered(app: ASGIApp, scope: HTTPScope, receive: Receive, conn: Connection) -> _Answer:
    """Run the route on `conn` and hold its answer (status, headers, whole body)."""
    answer = _Answer()
    chunks: list[bytes] = []

    async def hold(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    state = scope.setdefault("state", {})
    state[SHARED_CONNECTION] = conn
    try:
        await app(scope, receive, hold)
    finally:
        del state[SHARED_CONNECTION]
        # Held, not sent: an error after it (the commit, say) is still answered as a problem.
        ScopeState.from_scope(scope).response_started = False
    answer.body = b"".join(chunks)
    return answer


def document_idempotency_keys(app: Litestar) -> None:
    """A step of the document (api/app.py): every unsafe route takes the header (each declares
    the 409 of a key in use and the 422 of a key used for another request)."""
    parameter = Parameter(
        name=KEY_HEADER,
        param_in=ParamType.HEADER,
        required=False,
        description=(
            "Makes a retry of this write safe: the answer is kept with the write (for "
            "TUTOPANDA_IDEMPOTENCY_KEY_HOURS) and sent again, with `Idempotent-Replayed: true`, "
            "to the same request with the same key. A UUID per logical write, reused on retry."
        ),
        schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=255, pattern=KEY_PATTERN),
    )
    unkept = not_writes(app)
    for route, path in (app.openapi_schema.paths or {}).items():
        for method in UNSAFE_METHODS:
            operation: Operation | None = getattr(path, method.lower(), None)
            if operation is None or (route, method) in unkept:
                continue
            operation.parameters = [*(operation.parameters or []), parameter]
