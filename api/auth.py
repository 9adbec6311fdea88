"""Bearer JWT authentication (HS256): `sub` is the user id; tokens must carry `exp`."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from litestar.connection import ASGIConnection
from litestar.security.jwt import JWTAuth, Token

from tutopanda.settings import Settings

ALGORITHM = "HS256"
# User ids are opaque strings from the identity provider; refuse control characters outright.
_USER_ID = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")
PUBLIC_PATHS = ["^/health$", "^/ready$", "^/schema"]


@dataclass(frozen=True)
class AuthUser:
    """The caller, as the token names it."""

    user_id: str


async def _user_from_token(
    token: Token, _connection: ASGIConnection[Any, Any, Any, Any]
) -> AuthUser | None:
    if not isinstance(token.sub, str) or not _USER_ID.match(token.sub):
        return None
    return AuthUser(user_id=token.sub)


def jwt_secret(settings: Settings) -> str:
    """TUTOPANDA_JWT_SECRET, or a development secret kept in TUTOPANDA_HOME (created once)."""
    if settings.jwt_secret is not None:
        return settings.jwt_secret.get_secret_value()
    path = development_secret_path(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), "utf-8")
    return path.read_text("utf-8").strip()


def development_secret_path(settings: Settings) -> Path:
    """Where the development secret lives when no TUTOPANDA_JWT_SECRET is set."""
    return settings.home.resolve() / "jwt-secret"


def create_jwt_auth(secret: str) -> JWTAuth[AuthUser, Token]:
    """The Litestar auth backend: every route but health, readiness and the schema needs a token."""
    return JWTAuth[AuthUser, Token](
        retrieve_user_handler=_user_from_token,
        token_secret=secret,
        algorithm=ALGORITHM,
        exclude=PUBLIC_PATHS,
        require_claims=["exp", "sub"],
        description="A JWT signed with HS256: `sub` is the user id, `exp` is required.",
    )


def issue_token(secret: str, user_id: str, ttl: timedelta = timedelta(hours=12)) -> str:
    """A token for `user_id` valid for `ttl` (development and tests)."""
    if not _USER_ID.match(user_id):
        raise ValueError("user id must be 1 to 200 printable characters")
    now = datetime.now(UTC)
    claims = {"sub": user_id, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)
