"""Bearer JWT authentication: `Authorization: Bearer <token>`, a development token (HS256) or one
of the app's identity provider (JWKS); tutopanda/bearer.py says what a token must be."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from copy import copy
from typing import Any

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.enums import HttpMethod, ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware.base import DefineMiddleware
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme
from litestar.types import ASGIApp, Receive, Scope, Send

from tutopanda.api.middleware import raw_header
from tutopanda.bearer import TokenVerifier
from tutopanda.tokens import issue_token

EDITOR_PUBLIC_PATTERN = "^/editor(/|$)"  # api/editor_page.py serves only static files there

__all__ = [
    "PUBLIC_PATHS",
    "SECURITY",
    "BearerAuthMiddleware",
    "bearer_auth",
    "issue_token",
    "provider_keys_lifespan",
]

PUBLIC_PATHS = ["^/health$", "^/ready$", "^/schema", EDITOR_PUBLIC_PATTERN]  # the page's own files
SECURITY_SCHEME = "BearerToken"
SECURITY: list[SecurityRequirement] = [{SECURITY_SCHEME: []}]  # what authenticated routes declare


class BearerAuthMiddleware:
    """Sets the scope's `user` to the user id a valid bearer token names (and `auth` to the
    token); 401 otherwise. As Litestar's AbstractAuthenticationMiddleware decides what it skips
    (a path matching `exclude`, OPTIONS, a route opting out with `exclude_from_auth`), without
    building a connection and its headers for every request."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, exclude: list[str]) -> None:
        self.app = app
        self.verifier = verifier
        self.exclude = re.compile("|".join(exclude))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _skipped(scope, self.exclude):
            user_id, token = await self._user_of(scope)
            scope["user"] = user_id
            scope["auth"] = token
        await self.app(scope, receive, send)

    async def _user_of(self, scope: Scope) -> tuple[str, str]:
        """Only the `Bearer` scheme (any case, RFC 9110), one token the verifier accepts."""
        header = raw_header(scope, b"authorization") or b""
        scheme, _, token = header.decode("latin-1").partition(" ")
        user_id = await self.verifier.user_id(token) if scheme.lower() == "bearer" else None
        if user_id is None:
            raise NotAuthorizedException("a valid bearer token is required")
        return user_id, token


def _skipped(scope: Scope, exclude: re.Pattern[str]) -> bool:
    """Litestar's should_bypass_middleware, for this middleware's settings."""
    if scope["type"] not in (ScopeType.HTTP, ScopeType.WEBSOCKET):
        return True
    handler = scope.get("route_handler")
    if handler is not None and handler.opt.get("exclude_from_auth"):
        return True
    if scope.get("method") == HttpMethod.OPTIONS:
        return True
    # A mounted app (the editor's static files) sees the path below its mount; the pattern, all.
    mounted = handler is not None and getattr(handler, "is_mount", False)
    return bool(exclude.search(scope["raw_path"].decode() if mounted else scope["path"]))


def provider_keys_lifespan(verifier: TokenVerifier) -> Any:
    """Lifespan: fetch the identity provider's keys once at start (a failure logs one line and
    the service starts anyway: its tokens are 401 until the keys can be fetched)."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        if verifier.provider is None:
            yield
            return
        keys = verifier.provider.keys
        await keys.prefetch()
        try:
            yield
        finally:
            await keys.close()

    return lifespan


def _scheme_description(verifier: TokenVerifier) -> str:
    times = (
        f"`exp`, `nbf` and `iat` are JSON numbers, and `exp` is at most {verifier.max_days} days "
        "after `iat` (or after now, without `iat`)."
    )
    kinds = []
    if verifier.provider is not None:
        audience = verifier.provider.audience
        kinds.append(
            "a token of the identity provider (EdDSA, ES256 or RS256, its key named by `kid` in "
            f"the JWKS {verifier.provider.keys.url}), whose `iss` is {verifier.provider.issuer}"
            + (f" and whose `aud` holds {audience}" if audience is not None else "")
        )
    if verifier.secret is not None:
        kinds.append("a development token signed with HS256 (`tutopanda token`)")
    return f"A JWT: {'; or '.join(kinds)}. `sub` is the user id, `exp` is required; {times}"


def bearer_auth(verifier: TokenVerifier) -> Any:
    """on_app_init hook: every route but health, readiness and the schema needs a token that
    `verifier` accepts.

    The OpenAPI document gets the scheme; the routes that need it say so (`SECURITY`).
    """

    def install(app_config: AppConfig) -> AppConfig:
        app_config.middleware.insert(
            0, DefineMiddleware(BearerAuthMiddleware, verifier=verifier, exclude=PUBLIC_PATHS)
        )
        if app_config.openapi_config is not None:
            openapi = app_config.openapi_config = copy(app_config.openapi_config)
            scheme = SecurityScheme(
                type="http",
                scheme="bearer",
                bearer_format="JWT",
                description=_scheme_description(verifier),
            )
            existing = openapi.components
            others = existing if isinstance(existing, list) else [existing]
            openapi.components = [Components(security_schemes={SECURITY_SCHEME: scheme}), *others]
        return app_config

    return install
