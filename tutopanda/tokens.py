"""Bearer tokens: the user-id rule, the signing secret and development tokens (no web stack).

Tokens of an identity provider (a JWKS) are verified by tutopanda/bearer.py, with the same rules
for `sub` and the times."""

from __future__ import annotations

import math
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from tutopanda.settings import Settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("sub", "exp")
TIME_CLAIMS = ("exp", "nbf", "iat")  # NumericDates (RFC 7519): JSON numbers, nothing else
_LATEST = 2**53  # seconds (285 million years): a NumericDate beyond it is refused
MAX_USER_ID_LENGTH = 200
# THE rule for a user id (a token's `sub`), for the API and `tutopanda token` alike: an opaque
# string from the identity provider, 1 to 200 characters, no control character (C0, DEL, C1)
# and no lone surrogate (it could not be stored as UTF-8).
_USER_ID = re.compile(rf"[^\x00-\x1f\x7f-\x9f\ud800-\udfff]{{1,{MAX_USER_ID_LENGTH}}}")


def is_valid_user_id(value: object) -> bool:
    """True when `value` can name a user: see the rule above."""
    return isinstance(value, str) and _USER_ID.fullmatch(value) is not None


def development_secret_path(settings: Settings) -> Path:
    """Where the development secret lives when no TUTOPANDA_JWT_SECRET is set."""
    return settings.home.resolve() / "jwt-secret"


def signing_secret(settings: Settings) -> str:
    """TUTOPANDA_JWT_SECRET, or a development secret kept in TUTOPANDA_HOME (created once)."""
    if settings.jwt_secret is not None:
        return settings.jwt_secret.get_secret_value()
    path = development_secret_path(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), "utf-8")
    return path.read_text("utf-8").strip()


def issue_token(
    secret: str, user_id: str, ttl: timedelta = timedelta(hours=12), *, name: str | None = None
) -> str:
    """A token for `user_id` valid for `ttl` (development and tests); with `name`, the display
    name presence shows (the `name` claim an identity provider puts in)."""
    if not is_valid_user_id(user_id):
        raise ValueError(
            f"user id must be 1 to {MAX_USER_ID_LENGTH} characters without control characters"
        )
    now = datetime.now(UTC)
    claims: dict[str, object] = {"sub": user_id, "iat": now, "exp": now + ttl}
    if name is not None:
        claims["name"] = name
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def token_user_id(token: str, secret: str, *, max_days: int) -> str | None:
    """The user a bearer token names, or None when it is not a valid token of ours.

    Valid: signed with `secret` (HS256), `sub` and `exp` present, not expired, not before its
    `nbf` nor its `iat`, `exp`, `nbf` and `iat` JSON numbers (not strings), valid for at most
    `max_days` (TUTOPANDA_TOKEN_MAX_DAYS: `exp` - `iat`, or `exp` - now without `iat`), and
    `sub` a valid user id. A token found valid is remembered until it expires, so an editor's
    every request does not verify it again: once valid it can only become invalid by expiring,
    which is checked on every use. A refused token is never remembered.
    """
    key = (token, secret, max_days)
    remembered = _verified.get(key)
    if remembered is not None:
        user_id, expires = remembered
        if time.time() < expires:
            return user_id
        del _verified[key]
        return None
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": list(REQUIRED_CLAIMS)}
        )
    except jwt.InvalidTokenError:
        return None
    subject = claims.get("sub")
    if not is_valid_user_id(subject) or not times_are_valid(claims, max_days):
        return None
    _verified[key] = (str(subject), int(claims["exp"]))  # PyJWT checked exp
    if len(_verified) > _VERIFIED_TOKENS:
        del _verified[next(iter(_verified))]  # the oldest remembered
    return str(subject)


def times_are_valid(claims: dict[str, object], max_days: int) -> bool:
    """`exp`, `nbf`, `iat` are JSON numbers (PyJWT takes "9999999999" too), and the token is
    valid for at most `max_days` from its `iat` (or from now)."""
    times: dict[str, float] = {}
    for name in TIME_CLAIMS:
        if name in claims:
            number = _numeric_date(claims[name])
            if number is None:
                return False
            times[name] = number
    return times["exp"] - times.get("iat", time.time()) <= max_days * 86400


def _numeric_date(value: object) -> float | None:
    """A NumericDate in seconds, or None: a string, a boolean, NaN, infinity, or beyond
    _LATEST (no real date, and too large to subtract as a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if abs(value) > _LATEST or not math.isfinite(value):
        return None
    return float(value)


_VERIFIED_TOKENS = 4096  # tokens remembered as valid, per process
_verified: dict[tuple[str, str, int], tuple[str, int]] = {}
