"""Cross-origin calls (CORS): browsers on `TUTOPANDA_CORS_ORIGINS` may use every route.

What a preflight allows is read from the routes themselves, so a new route, method or header
parameter is allowed as it lands: every method a route answers, and every header a route's
parameters (or their dependencies) declare, `If-Match`, `If-None-Match`, `Last-Event-ID`, …,
plus the few headers middleware reads, which no parameter declares. Litestar registers the routes
after the `on_app_init` hooks have run, so the config is made there with its origins and filled
in from the registered routes at startup (`allow_routes`): its middleware reads the config per
request, and until startup it allows no method at all. No credentials: the API takes a bearer
token, never a cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.config.cors import CORSConfig
from litestar.routes import HTTPRoute
from litestar.types import Method

from tutopanda.api.idempotency import KEY_HEADER, REPLAYED_HEADER
from tutopanda.api.middleware import REQUEST_ID_HEADER
from tutopanda.settings import Settings

# Request headers read before any route parameter is: the token (api/auth.py), the body's type,
# the request id (api/middleware.py) and the write's key (api/idempotency.py).
MIDDLEWARE_HEADERS = ("Authorization", "Content-Type", REQUEST_ID_HEADER, KEY_HEADER)
# Response headers a script may read besides the CORS-safelisted ones (Cache-Control,
# Content-Type, …): the revision, a created resource, the request id, when to retry (429, 503),
# the scheme a 401 asks for, and that an answer is a kept one sent again.
EXPOSED_HEADERS = (
    "ETag",
    "Location",
    REQUEST_ID_HEADER,
    "Retry-After",
    "WWW-Authenticate",
    REPLAYED_HEADER,
)
MAX_AGE_SECONDS = 600  # how long a browser may reuse a preflight's answer


def cors_origins(settings: Settings) -> list[str]:
    """The origins of `TUTOPANDA_CORS_ORIGINS` (comma-separated; none: same origin only)."""
    return [origin.strip() for origin in settings.cors_origins.split(",") if origin.strip()]


def allow_cross_origin(settings: Settings) -> Callable[[AppConfig], AppConfig]:
    """on_app_init hook: CORS for the origins of the settings, if any, completed at startup."""
    origins = cors_origins(settings)

    def install(app_config: AppConfig) -> AppConfig:
        if origins:
            app_config.cors_config = CORSConfig(
                allow_origins=origins,
                allow_methods=[],  # allow_routes fills both in
                allow_headers=[],
                allow_credentials=False,
                expose_headers=list(EXPOSED_HEADERS),
                max_age=MAX_AGE_SECONDS,
            )
            app_config.on_startup.append(allow_routes)
        return app_config

    return install


def route_methods(app: Litestar) -> list[Method]:
    """Every method a route of `app` answers, OPTIONS included, sorted."""
    methods: set[Method] = {"OPTIONS"}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            methods.update(route.methods)
    return sorted(methods)


def route_headers(app: Litestar) -> list[str]:
    """Every request header a route of `app` reads: its header parameters, as Litestar resolved
    them for the route (its dependencies' too), and the ones middleware reads; sorted."""
    names = {name.lower(): name for name in MIDDLEWARE_HEADERS}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for _, kwargs_model in route.route_handler_map.values():
            for parameter in kwargs_model.expected_header_params:
                names.setdefault(parameter.field_alias.lower(), parameter.field_alias)
    return sorted(names.values(), key=str.lower)


def allow_routes(app: Litestar) -> None:
    """on_startup: the config allows every method and request header of the routes."""
    config = app.cors_config
    if config is None:
        return
    config.allow_methods = list(route_methods(app))
    # Litestar lowercases the names when a config is made (and compares them so), not later.
    config.allow_headers = [name.lower() for name in route_headers(app)]
