"""Bearer tokens: the user-id rule, the signing secret and development tokens (no web stack)."""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt

from tutopanda.settings import Settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("sub", "exp")
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


def issue_token(secret: str, user_id: str, ttl: timedelta = timedelta(hours=12)) -> str:
    """A token for `user_id` valid for `ttl` (development and tests)."""
    if not is_valid_user_id(user_id):
        raise ValueError(
            f"user id must be 1 to {MAX_USER_ID_LENGTH} characters without control characters"
        )
    now = datetime.now(UTC)
    return jwt.encode({"sub": user_id, "iat": now, "exp": now + ttl}, secret, algorithm=ALGORITHM)


def token_user_id(token: str, secret: str) -> str | None:
    """The user a bearer token names, or None when it is not a valid token of ours.

    Valid: signed with `secret` (HS256), `sub` and `exp` present, not expired, not before its
    `nbf`, and `sub` a valid user id. Other claims (`iat`, …) are optional. A token found valid
    is remembered until it expires, so an editor's every request does not verify it again: once
    valid it can only become invalid by expiring, which is checked on every use.
    """
    remembered = _verified.get((token, secret))
    if remembered is not None:
        user_id, expires = remembered
        if time.time() < expires:
            return user_id
        del _verified[(token, secret)]
        return None
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": list(REQUIRED_CLAIMS)}
        )
    except jwt.InvalidTokenError:
        return None
    subject = claims.get("sub")
    if not is_valid_user_id(subject):
        return None
    _verified[(token, secret)] = (str(subject), int(claims["exp"]))  # PyJWT checked exp
    if len(_verified) > _VERIFIED_TOKENS:
        del _verified[next(iter(_verified))]  # the oldest remembered
    return str(subject)


_VERIFIED_TOKENS = 4096  # tokens remembered as valid, per process
_verified: dict[tuple[str, str], tuple[str, int]] = {}
