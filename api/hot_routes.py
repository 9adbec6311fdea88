"""The app, whose editor's routes skip Litestar's outer layers: `GET` and `PATCH /lectures/{id}`.

Litestar passes every request through its exception middleware (a `send` wrapper) and its router
(the path normalized, the Host header checked, the route found, its exception handlers resolved)
before the route's own middleware: the request id, authentication, the write rate, the
Idempotency-Key and the fast path (api/lecture_fast_path.py). For the editor's reads and saves,
those outer layers took ~4 % of a request's CPU (`python -m bench.inprocess`).
`LitestarWithHotRoutes` (which api/app.py's TutopandaApp is) enters such a request straight into
its route's middleware, the route found by Litestar's own cached routing, with Litestar's own
`send` (the app's before_send hooks: the request id and the security headers) and the app's one
error mapping (api/problems.py) for what that middleware raises.

It takes only a request whose answer cannot differ; anything else goes through Litestar:

- a path already in its normal form: `/lectures/` and a number without a leading zero, which
  Litestar's router gives, unchanged, to the same route;
- no root path, and a Host header of letters, digits and `.-:[]` (a part of what Litestar's router
  accepts) or none;
- no `Origin` header when CORS is configured (Litestar's CORS middleware answers those).

tests/api/test_lecture_fast_path.py sends the same requests to the app with both shortcuts and to
one with neither, and compares the answers.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.types import Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from tutopanda.api.middleware import raw_header
from tutopanda.api.problems import send_problem

_HOT_PATH = re.compile(r"/lectures/[1-9][0-9]{0,18}")
_PLAIN_HOST = re.compile(rb"[0-9A-Za-z.\-:\[\]]*")
_HOT_METHODS = frozenset({"GET", "PATCH"})


class LitestarWithHotRoutes(Litestar):
    """Litestar, with the shortcut of the module for the editor's routes (`hot_routes`: on)."""

    hot_routes = True  # tests/api/test_lecture_fast_path.py turns it off on the app it compares

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.hot_routes and _is_hot(scope, cors=self.cors_config is not None):
            await self._enter_route(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def _enter_route(self, scope: Scope, receive: Receive, send: Send) -> None:
        """What Litestar.__call__ and its router do for the request, but the exception middleware
        (nothing but the route's middleware can raise here: it answers with the app's mapping)."""
        scope["app"] = scope["litestar_app"] = self
        scope.setdefault("state", {})
        route, handler, scope["path"], scope["path_params"], scope["path_template"] = (
            self.asgi_router.handle_routing(path=scope["path"], method=scope["method"])  # type: ignore[typeddict-item]
        )
        scope["route_handler"] = handler
        ScopeState.from_scope(scope).exception_handlers = handler.resolve_exception_handlers()
        send = self._wrap_send(send=send, scope=scope)
        try:
            await route(scope, receive, send)
        except Exception as error:  # raised by the route's middleware, before it answered
            await send_problem(scope, receive, send, error)


def _is_hot(scope: Any, *, cors: bool) -> bool:
    """An editor's read or save that Litestar would route, unchanged, to its route (see the
    module); checked in the order that refuses other requests soonest."""
    if (
        scope["type"] != "http"
        or scope["method"] not in _HOT_METHODS
        or _HOT_PATH.fullmatch(scope["path"]) is None
        or scope.get("root_path")
    ):
        return False
    host = raw_header(scope, b"host")
    if host is not None and _PLAIN_HOST.fullmatch(host) is None:
        return False
    return not (cors and raw_header(scope, b"origin") is not None)
