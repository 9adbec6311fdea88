"""Who a bearer token names: a development token (HS256, the signing secret) or a token of the
app's identity provider (EdDSA, ES256 or RS256, its keys from a JWKS: tutopanda/jwks.py).

The header's `alg` only chooses which of the two may verify the token, never the algorithm:
HS256 is checked with the secret alone (a token "signed" with a public key fails there), and an
asymmetric token with the key its `kid` names, in the one algorithm that key is pinned to (a
header `alg` that is not the key's is refused). `alg: none` and every other algorithm are refused.
A provider's token must name its issuer, and its audience when one is configured; `sub`, `exp`
and the times follow the same rules as a development token (tutopanda/tokens.py).

A provider's token found valid is remembered until it expires, as long as the key that signed it
is still in the trusted key set.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import time
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from tutopanda.jwks import ALGORITHMS, MAX_KID_LENGTH, FetchPolicy, JsonWebKeys
from tutopanda.settings import Settings
from tutopanda.tokens import (
    ALGORITHM,
    is_valid_user_id,
    signing_secret,
    times_are_valid,
    token_user_id,
)

MAX_HEADER_CHARACTERS = 1024  # a JWT header of a few names is under 200
_REMEMBERED_TOKENS = 4096  # provider tokens remembered as valid, per process


@dataclass(frozen=True)
class IdentityProvider:
    """Where the provider's keys are, and what its tokens must name."""

    keys: JsonWebKeys
    issuer: str
    audience: str | None


def _json_object(segment: str) -> dict[str, Any] | None:
    """The JSON object a base64url segment of a JWT holds (not verified), or None."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error):
        return None
    return decoded if isinstance(decoded, dict) else None


def unverified_header(token: str) -> Mapping[str, Any] | None:
    """The JOSE header of a compact JWT, not verified; None when it is not one, or too long."""
    header, dot, rest = token.partition(".")
    if not dot or rest.count(".") != 1 or len(header) > MAX_HEADER_CHARACTERS:
        return None
    return _header_of(header)


@functools.lru_cache(maxsize=1024)
def _header_of(segment: str) -> Mapping[str, Any] | None:
    """A header segment's JSON object, read-only: the tokens of one issuer share a handful of
    headers, so most requests find theirs here instead of decoding it again."""
    decoded = _json_object(segment)
    return None if decoded is None else types.MappingProxyType(decoded)


class TokenVerifier:
    """The user id of a bearer token, or None; one per API process."""

    def __init__(
        self, *, secret: str | None, provider: IdentityProvider | None, max_days: int
    ) -> None:
        self.secret = secret
        self.provider = provider
        self.max_days = max_days
        self._remembered: dict[str, tuple[str, int, str]] = {}  # token -> (user, exp, kid)

    async def user_id(self, token: str) -> str | None:
        """Who `token` names, when it is valid (see the module)."""
        header = unverified_header(token)
        if header is None:
            return None
        algorithm = header.get("alg")
        if algorithm == ALGORITHM:
            if self.secret is None:
                return None
            return token_user_id(token, self.secret, max_days=self.max_days)
        if algorithm in ALGORITHMS and self.provider is not None:
            return await self._provider_user_id(token, str(algorithm), header.get("kid"))
        return None

    async def _provider_user_id(self, token: str, algorithm: str, kid: object) -> str | None:
        assert self.provider is not None
        if not isinstance(kid, str) or not 0 < len(kid) <= MAX_KID_LENGTH:
            return None
        remembered = self._remembered.get(token)
        if remembered is not None:
            user_id, expires, signed_by = remembered
            if time.time() < expires and self.provider.keys.trusted(signed_by) is not None:
                return user_id
            del self._remembered[token]
        key = await self.provider.keys.key(kid)
        if key is None or key.algorithm_name != algorithm:
            return None
        claims = self._claims(token, key.key, algorithm)
        if claims is None:
            return None
        subject = claims.get("sub")
        if not is_valid_user_id(subject) or not times_are_valid(claims, self.max_days):
            return None
        self._remembered[token] = (str(subject), int(claims["exp"]), kid)
        if len(self._remembered) > _REMEMBERED_TOKENS:
            del self._remembered[next(iter(self._remembered))]  # the oldest remembered
        return str(subject)

    def _claims(self, token: str, key: Any, algorithm: str) -> dict[str, Any] | None:
        assert self.provider is not None
        audience = self.provider.audience
        required = ["sub", "exp", "iss", *(["aud"] if audience is not None else [])]
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                issuer=self.provider.issuer,
                audience=audience,
                options={"require": required, "verify_aud": audience is not None},
            )
        except (jwt.PyJWTError, ValueError, TypeError):  # a key of the wrong shape is PyJWTError
            return None
        return claims


def display_name(token: str, user_id: str) -> str:
    """The name a verified token gives its user (its `name` claim, when it is one a user id
    could be: 1 to 200 characters without control characters), else the user id."""
    claims = _json_object(token.split(".")[1]) if token.count(".") == 2 else None
    name = claims.get("name") if claims is not None else None
    return name if isinstance(name, str) and is_valid_user_id(name) else user_id


def identity_provider(settings: Settings) -> IdentityProvider | None:
    """The provider TUTOPANDA_JWT_JWKS_URL names, or None."""
    if settings.jwt_jwks_url is None:
        return None
    assert settings.jwt_issuer is not None  # the settings refuse a JWKS without an issuer
    policy = FetchPolicy(
        refresh_seconds=settings.jwt_jwks_refresh_seconds,
        cache_seconds=settings.jwt_jwks_cache_seconds,
        min_fetch_seconds=settings.jwt_jwks_min_fetch_seconds,
        timeout_seconds=settings.connect_timeout_seconds,
    )
    return IdentityProvider(
        keys=JsonWebKeys(settings.jwt_jwks_url, policy),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )


def development_secret(settings: Settings) -> str | None:
    """The HS256 secret the API accepts: TUTOPANDA_JWT_SECRET; without it the development secret
    of TUTOPANDA_HOME, unless an identity provider is configured (then HS256 tokens are off)."""
    if settings.jwt_secret is None and settings.jwt_jwks_url is not None:
        return None
    return signing_secret(settings)


def token_verifier(settings: Settings) -> TokenVerifier:
    """The verifier of an API process, as the settings configure it."""
    return TokenVerifier(
        secret=development_secret(settings),
        provider=identity_provider(settings),
        max_days=settings.token_max_days,
    )
