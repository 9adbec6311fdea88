"""Request ids: every request gets one (or keeps a sane one it brought), echoed in the response."""

from __future__ import annotations

import os
import re

from litestar.config.app import AppConfig
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPRequestEvent,
    Message,
    Receive,
    ReceiveMessage,
    Scope,
    Send,
)

REQUEST_ID_HEADER = "x-request-id"
_HEADER = REQUEST_ID_HEADER.encode()
_SANE_ID = re.compile(rb"^[A-Za-z0-9._-]{1,64}\Z")


def raw_header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of the request's header `name` (lowercase, as ASGI gives the names),
    found without building a mapping of every header."""
    return next((value for key, value in scope["headers"] if key == name), None)


def replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` that gives the request's `body` again first: for the app behind a middleware
    that has read it (plain ASGI: no layer relies on where another kept it)."""
    given = False

    async def replay() -> ReceiveMessage:
        nonlocal given
        if given:
            return await receive()
        given = True
        event: HTTPRequestEvent = {"type": "http.request", "body": body, "more_body": False}
        return event

    return replay


def new_request_id() -> str:
    """32 random hex digits (a UUID's length, without building one)."""
    return os.urandom(16).hex()


def request_id_of(scope: Scope) -> str:
    """The request id of this request; assigned here when no middleware ran (unknown routes)."""
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        state["request_id"] = new_request_id()
    return str(state["request_id"])


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Assign a request id before anything else runs, so errors and logs can quote it; the
    response carries it (`add_request_id`).

    Install it outermost (see `install_outermost`): authentication errors need the id too.
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            incoming = raw_header(scope, _HEADER) or b""
            sane = _SANE_ID.match(incoming)
            request_id = incoming.decode("latin-1") if sane else new_request_id()
            scope.setdefault("state", {})["request_id"] = request_id
        await app(scope, receive, send)

    return middleware


async def add_request_id(message: Message, scope: Scope) -> None:
    """before_send hook of the app: the response names its request (a problem names it already;
    a route that no middleware ran for has none), in the one send wrapper of all such hooks."""
    if message["type"] != "http.response.start":
        return
    request_id = scope.get("state", {}).get("request_id")
    if request_id is None:
        return
    headers = list(message.get("headers", ()))
    if not any(name == _HEADER for name, _ in headers):
        headers.append((_HEADER, request_id.encode("latin-1")))
        message["headers"] = headers


def install_outermost(app_config: AppConfig) -> AppConfig:
    """on_app_init hook: put the request-id middleware before all others (auth included)."""
    app_config.middleware.insert(0, request_id_middleware)
    return app_config
