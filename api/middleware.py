"""Request ids: every request gets one (or keeps a sane one it brought), echoed in the response."""

from __future__ import annotations

import re
import uuid

from litestar.config.app import AppConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_of(scope: Scope) -> str:
    """The request id of this request; assigned here when no middleware ran (unknown routes)."""
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        state["request_id"] = uuid.uuid4().hex
    return str(state["request_id"])


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Assign a request id before anything else runs, so errors and logs can quote it.

    Install it outermost (see `install_outermost`): authentication errors need the id too.
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        await app(scope, receive, send_with_id)

    return middleware


def install_outermost(app_config: AppConfig) -> AppConfig:
    """on_app_init hook: put the request-id middleware before all others (auth included)."""
    app_config.middleware.insert(0, request_id_middleware)
    return app_config
