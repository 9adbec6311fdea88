"""What one API process gives a client before its request is the app's: a time and a size for
its request headers, and a cap on the requests in flight.

uvicorn has neither of the first two: its keep-alive timeout runs only between requests and any
byte received cancels it, so a client sending its headers a byte a second holds its connection
forever; and httptools buffers a header of any size (h11 caps an incomplete request at 16 KB by
default, but answers 400, and costs more CPU per request). So the API runs on `LimitedHttpTools`,
uvicorn's httptools protocol with:

- a header deadline: the request line and headers must be complete within
  TUTOPANDA_HEADER_TIMEOUT_SECONDS of the connection being ready for them (opened, or the first
  byte after a response; uvicorn's 5 s keep-alive closes a connection idle in between); else 408
  and the connection is closed (closed without an answer when nothing was sent);
- a header size: a request line and headers over TUTOPANDA_MAX_HEADER_BYTES are 431 and the
  connection is closed. An incomplete one is refused as soon as more than that has arrived, so
  at most one read (256 KB) beyond the limit is ever held, whatever the client sends.

Both answer problem+json with `Connection: close`, as does a request httptools cannot parse
(uvicorn's own answer is plain text), then read and drop what the client still sends for up to
LINGER_SECONDS before closing, so that the client reads the answer rather than a reset.
`RequestLimit` wraps the app: past TUTOPANDA_MAX_CONCURRENT_REQUESTS requests in flight in the
process (event streams included), a request is answered 503 `server_busy` with Retry-After at
once (uvicorn's own limit_concurrency answers plain text, and counts idle connections).
"""

from __future__ import annotations

import logging
from asyncio import TimerHandle, Transport
from http import HTTPStatus
from typing import Any, ClassVar

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tutopanda.api.middleware import new_request_id
from tutopanda.models.wire import Problem
from tutopanda.settings import Settings

logger = logging.getLogger("tutopanda.api")
PROBLEM_MEDIA_TYPE = "application/problem+json"
LINGER_SECONDS = 2.0  # reading and dropping after a refusal, so the client reads the answer
BUSY_RETRY_SECONDS = 1  # Retry-After of a 503 server_busy
_TARGET_SHOWN = 256  # a request target longer than this is not echoed in `instance`


def problem_json(status: int, code: str, detail: str, *, instance: str) -> tuple[bytes, str]:
    """A problem answered before the app sees the request, and its request id."""
    request_id = new_request_id()
    problem = Problem(
        type=f"urn:tutopanda:problem:{code}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        code=code,
        instance=instance,
        request_id=request_id,
    )
    return problem.model_dump_json(by_alias=True, exclude_none=True).encode(), request_id


class LimitedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header deadline and a header size (see the module);
    `limited_protocol` gives it its settings."""

    max_header_bytes: ClassVar[int]
    header_timeout_seconds: ClassVar[float]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._timer: TimerHandle | None = None  # the header deadline, or the linger
        self._head_bytes = 0  # received while waiting for the headers of a request
        self._awaiting_head = True
        self._refused = False

    def connection_made(self, transport: Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # lingering: read and drop
        if self._awaiting_head:
            self._head_bytes += len(data)
            if self._timer is None:
                self._arm()
        super().data_received(data)
        if self._awaiting_head and self._head_bytes > self.max_header_bytes:
            self._refuse(431, "headers_too_large", self._too_large())

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._disarm()
        self._awaiting_head = False
        # What arrived with the headers may be body: count exactly only when it could matter.
        if self._head_bytes > self.max_header_bytes and self._head_size() > self.max_header_bytes:
            self._refuse(431, "headers_too_large", self._too_large())
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        self._awaiting_head = True
        self._head_bytes = 0
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:  # noqa: ARG002 (uvicorn's signature)
        """uvicorn's answer to bytes httptools cannot parse (it has logged `msg`): a problem, as
        every refusal here, instead of its plain text."""
        detail = "the request is not valid HTTP/1.1 (its request line, a header or its framing)"
        self._refuse(400, "bad_request", detail, logged=True)

    def _head_size(self) -> int:
        return len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)

    def _too_large(self) -> str:
        return (
            f"the request line and headers exceed {self.max_header_bytes} bytes "
            "(TUTOPANDA_MAX_HEADER_BYTES)"
        )

    def _arm(self) -> None:
        self._timer = self.loop.call_later(self.header_timeout_seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timed_out(self) -> None:
        self._timer = None
        if self._head_bytes == 0:  # nothing asked, nothing to answer
            self.transport.close()
            return
        self._refuse(
            408,
            "request_timeout",
            f"the request line and headers did not arrive within {self.header_timeout_seconds:g} "
            "s (TUTOPANDA_HEADER_TIMEOUT_SECONDS)",
        )

    def _refuse(self, status: int, code: str, detail: str, *, logged: bool = False) -> None:
        """Answer `status` unless a response is under way, and close (after lingering)."""
        self._refused = True
        self._disarm()
        if self.transport.is_closing():
            return
        if not logged:
            logger.warning("refused a request from %s: %s", _peer(self.client), detail)
        if self.cycle is not None and not self.cycle.response_complete:
            self.transport.close()  # its response is still being written: no room for ours
            return
        body, request_id = problem_json(status, code, detail, instance=self._target())
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            f"content-type: {PROBLEM_MEDIA_TYPE}\r\ncontent-length: {len(body)}\r\n"
            f"x-request-id: {request_id}\r\nconnection: close\r\n\r\n"
        )
        self.transport.write(head.encode("ascii") + body)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self._timer = self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def _target(self) -> str:
        """The path asked for, when known and short (what `instance` says)."""
        target: bytes = getattr(self, "url", b"")
        if len(target) > _TARGET_SHOWN:
            return ""
        return target.partition(b"?")[0].decode("latin-1")


def limited_protocol(settings: Settings) -> type[LimitedHttpTools]:
    """The protocol class uvicorn makes one of per connection, with the limits of `settings`."""

    class Configured(LimitedHttpTools):
        max_header_bytes = settings.max_header_bytes
        header_timeout_seconds = settings.header_timeout_seconds

    return Configured


def _peer(client: tuple[str, int] | None) -> str:
    return "an unknown client" if client is None else f"{client[0]}:{client[1]}"


class RequestLimit:
    """The app behind a cap on the HTTP requests in flight in this process (see the module)."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await self._busy(scope, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def _busy(self, scope: Scope, send: Send) -> None:
        detail = (
            f"this server process has {self.limit} requests in flight "
            "(TUTOPANDA_MAX_CONCURRENT_REQUESTS); retry shortly"
        )
        logger.warning("refused a request: %s", detail)
        body, request_id = problem_json(503, "server_busy", detail, instance=scope["path"])
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(BUSY_RETRY_SECONDS).encode()),
                    (b"x-request-id", request_id.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})
