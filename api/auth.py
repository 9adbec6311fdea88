"""Bearer JWT authentication: `Authorization: Bearer <token>`, a development token (HS256) or one
of the app's identity provider (JWKS); tutopanda/bearer.py says what a token must be."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from copy import copy
from typing import Any

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware.authentication import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
)
from litestar.middleware.base import DefineMiddleware
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme
from litestar.types import ASGIApp

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


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    """Sets `request.user` to the user id a valid bearer token names; 401 otherwise."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, exclude: list[str]) -> None:
        super().__init__(app, exclude=exclude)
        self.verifier = verifier

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        """Only the `Bearer` scheme (any case, RFC 9110), one token the verifier accepts."""
        scheme, _, token = connection.headers.get("authorization", "").partition(" ")
        user_id = await self.verifier.user_id(token) if scheme.lower() == "bearer" else None
        if user_id is None:
            raise NotAuthorizedException("a valid bearer token is required")
        return AuthenticationResult(user=user_id, auth=token)


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
