"""The identity provider's public keys (a JWKS, RFC 7517), fetched from its URL and kept by `kid`.

Only signing keys of three kinds are kept, each pinned to the one algorithm its type allows:
Ed25519 (`OKP`) to EdDSA, P-256 (`EC`) to ES256, RSA to RS256. A key whose `alg` says otherwise,
a symmetric key, or one without a `kid` is left out.

Fetching is rare and bounded: the set is fetched again when it is older than `refresh_seconds`
(in the background, the keys in hand still serve), when a token names a `kid` the set does not
hold, or once it has outlived `cache_seconds` — and never more than once per
`min_fetch_seconds`, so forged `kid`s cannot make a fetch storm. While the endpoint is down the
keys in hand keep working until `cache_seconds` after their last successful fetch; a key gone
from a fetched set stops working at once. A failed fetch logs one line and keeps what it had.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jwt import PyJWK
from jwt.exceptions import PyJWTError

logger = logging.getLogger("tutopanda.jwks")

# The algorithm each kind of key is pinned to: (kty, crv) -> alg.
PINNED_ALGORITHMS: Mapping[tuple[str, str | None], str] = {
    ("OKP", "Ed25519"): "EdDSA",
    ("EC", "P-256"): "ES256",
    ("RSA", None): "RS256",
}
ALGORITHMS = frozenset(PINNED_ALGORITHMS.values())
MAX_KID_LENGTH = 256
MAX_JWKS_BYTES = 512 * 1024  # a JWKS of a few keys is a few KB


@dataclass(frozen=True)
class FetchPolicy:
    """How often the key set is fetched, and how long fetched keys are trusted."""

    refresh_seconds: float = 300.0
    cache_seconds: float = 3600.0
    min_fetch_seconds: float = 10.0
    timeout_seconds: float = 5.0


class JwksError(Exception):
    """The JWKS endpoint's answer is not a key set (its message is the one log line)."""


def signing_keys(document: Any) -> dict[str, PyJWK]:
    """The usable signing keys of a JWKS document, by `kid` (see the module's rules)."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise JwksError('the answer is not a JWKS (a JSON object with a "keys" list)')
    keys: dict[str, PyJWK] = {}
    for jwk in document["keys"]:
        key = _signing_key(jwk)
        if key is not None:
            keys[jwk["kid"]] = key
    return keys


def _signing_key(jwk: Any) -> PyJWK | None:
    if not isinstance(jwk, dict):
        return None
    kid, kty, crv = jwk.get("kid"), jwk.get("kty"), jwk.get("crv")
    if not isinstance(kid, str) or not 0 < len(kid) <= MAX_KID_LENGTH:
        return None
    if jwk.get("use", "sig") != "sig":
        return None
    pinned = PINNED_ALGORITHMS.get((kty, None if kty == "RSA" else crv))  # type: ignore[arg-type]
    if pinned is None or jwk.get("alg", pinned) != pinned:
        return None
    try:
        return PyJWK(jwk, algorithm=pinned)
    except (PyJWTError, ValueError, TypeError):
        return None


async def fetch_signing_keys(url: str, timeout_seconds: float) -> dict[str, PyJWK]:
    """GET the JWKS at `url`: its signing keys; JwksError saying what went wrong."""
    import httpx  # noqa: PLC0415 (~70 ms that every `serve` paid, for a JWKS URL most never set)

    try:
        async with (
            httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False) as http,
            http.stream("GET", url, headers={"Accept": "application/json"}) as response,
        ):
            if response.status_code != 200:
                raise JwksError(f"it answered HTTP {response.status_code}")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_JWKS_BYTES:
                    raise JwksError(f"its answer is larger than {MAX_JWKS_BYTES} bytes")
    except httpx.HTTPError as error:
        raise JwksError(f"it could not be reached ({type(error).__name__}: {error})") from None
    try:
        document = json.loads(body)
    except ValueError:
        raise JwksError("its answer is not JSON") from None
    return signing_keys(document)


class JsonWebKeys:
    """The key set of one JWKS URL, fetched as the module says; one per API process."""

    def __init__(
        self,
        url: str,
        policy: FetchPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.policy = policy
        self._clock = clock
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at: float | None = None  # the last successful fetch
        self._tried_at: float | None = None  # the last attempt, successful or not
        self._lock = asyncio.Lock()
        self._refresh: asyncio.Task[None] | None = None
        self.fetches = 0  # attempts so far (tests and logs)

    def trusted(self, kid: str) -> PyJWK | None:
        """The key `kid` if the set in hand holds it and is still trusted; no fetch."""
        if self._fetched_at is None or self._clock() - self._fetched_at > self.policy.cache_seconds:
            return None
        return self._keys.get(kid)

    async def key(self, kid: str) -> PyJWK | None:
        """The key `kid`, fetching the set when the rules allow; None when there is none."""
        key = self.trusted(kid)
        if key is not None:
            self._refresh_if_old()
            return key
        await self._fetch_unless_recent()
        return self.trusted(kid)

    async def prefetch(self) -> None:
        """One attempt now (at start: the first request need not wait for it)."""
        await self._fetch_unless_recent()

    async def close(self) -> None:
        """Stop a background refresh (at shutdown)."""
        if self._refresh is not None:
            self._refresh.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresh

    def _refresh_if_old(self) -> None:
        assert self._fetched_at is not None  # trusted() held a key
        old = self._clock() - self._fetched_at > self.policy.refresh_seconds
        if old and (self._refresh is None or self._refresh.done()):
            self._refresh = asyncio.get_running_loop().create_task(self._fetch_unless_recent())

    async def _fetch_unless_recent(self) -> None:
        async with self._lock:  # those who wait meanwhile find the attempt recent
            now = self._clock()
            if self._tried_at is not None and now - self._tried_at < self.policy.min_fetch_seconds:
                return
            self._tried_at = now
            self.fetches += 1
            try:
                keys = await fetch_signing_keys(self.url, self.policy.timeout_seconds)
            except JwksError as error:
                logger.warning("JWKS %s not fetched: %s; the keys in hand stay", self.url, error)
                return
            if not keys:
                logger.warning("JWKS %s holds no usable signing key", self.url)
            self._keys, self._fetched_at = keys, self._clock()
