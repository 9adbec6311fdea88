"""Bearer JWT authentication: `Authorization: Bearer <token>`, HS256, `sub` and `exp` required
(tutopanda/tokens.py says what else a token must be)."""

from __future__ import annotations

from copy import copy
from typing import Any

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

from tutopanda.tokens import issue_token, token_user_id

EDITOR_PUBLIC_PATTERN = "^/editor(/|$)"  # api/editor_page.py serves only static files there

__all__ = ["PUBLIC_PATHS", "SECURITY", "BearerAuthMiddleware", "bearer_auth", "issue_token"]

PUBLIC_PATHS = ["^/health$", "^/ready$", "^/schema", EDITOR_PUBLIC_PATTERN]  # the page's own files
SECURITY_SCHEME = "BearerToken"
SECURITY: list[SecurityRequirement] = [{SECURITY_SCHEME: []}]  # what authenticated routes declare


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    """Sets `request.user` to the user id a valid bearer token names; 401 otherwise."""

    def __init__(self, app: ASGIApp, secret: str, max_days: int, exclude: list[str]) -> None:
        super().__init__(app, exclude=exclude)
        self.secret = secret
        self.max_days = max_days

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        """Only the `Bearer` scheme (any case, RFC 9110), one token, valid for this secret and
        for no longer than TUTOPANDA_TOKEN_MAX_DAYS."""
        scheme, _, token = connection.headers.get("authorization", "").partition(" ")
        user_id = (
            token_user_id(token, self.secret, max_days=self.max_days)
            if scheme.lower() == "bearer"
            else None
        )
        if user_id is None:
            raise NotAuthorizedException("a valid bearer token is required")
        return AuthenticationResult(user=user_id, auth=token)


def bearer_auth(secret: str, max_days: int) -> Any:
    """on_app_init hook: every route but health, readiness and the schema needs a token, valid
    for at most `max_days`.

    The OpenAPI document gets the scheme; the routes that need it say so (`SECURITY`).
    """

    def install(app_config: AppConfig) -> AppConfig:
        app_config.middleware.insert(
            0,
            DefineMiddleware(
                BearerAuthMiddleware, secret=secret, max_days=max_days, exclude=PUBLIC_PATHS
            ),
        )
        if app_config.openapi_config is not None:
            openapi = app_config.openapi_config = copy(app_config.openapi_config)
            scheme = SecurityScheme(
                type="http",
                scheme="bearer",
                bearer_format="JWT",
                description=(
                    "A JWT signed with HS256: `sub` is the user id, `exp` is required; `exp`, "
                    f"`nbf` and `iat` are JSON numbers, and `exp` is at most {max_days} days "
                    "after `iat` (or after now, without `iat`)."
                ),
            )
            existing = openapi.components
            others = existing if isinstance(existing, list) else [existing]
            openapi.components = [Components(security_schemes={SECURITY_SCHEME: scheme}), *others]
        return app_config

    return install
