"""The identity provider's key set (tutopanda/jwks.py) against a real JWKS endpoint on a loopback
port, with a clock the test moves: which keys are kept, how rarely the set is fetched, what an
outage and a removed key do."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest

from tests.support.jwks import JwksEndpoint, SigningKey, jwks_endpoint, new_key
from tutopanda.jwks import FetchPolicy, JsonWebKeys, signing_keys

POLICY = FetchPolicy(refresh_seconds=300, cache_seconds=3600, min_fetch_seconds=10)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def keys() -> dict[str, SigningKey]:
    return {algorithm: new_key(algorithm) for algorithm in ("EdDSA", "ES256", "RS256")}


@pytest.fixture
def endpoint() -> Iterator[JwksEndpoint]:
    with jwks_endpoint() as served:
        yield served


def key_set(endpoint: JwksEndpoint, clock: Clock) -> JsonWebKeys:
    return JsonWebKeys(endpoint.url, POLICY, clock=clock)


def test_each_kind_of_key_is_kept_pinned_to_its_one_algorithm(
    keys: dict[str, SigningKey],
) -> None:
    kept = signing_keys({"keys": [key.jwk() for key in keys.values()]})
    assert {kid: key.algorithm_name for kid, key in kept.items()} == {
        key.kid: algorithm for algorithm, key in keys.items()
    }


def test_keys_that_cannot_sign_what_we_accept_are_left_out(keys: dict[str, SigningKey]) -> None:
    ed, ec, rsa = keys["EdDSA"].jwk(), keys["ES256"].jwk(), keys["RS256"].jwk()
    left_out = [
        {**ed, "alg": "HS256"},  # a header algorithm the key does not have
        {**rsa, "alg": "PS256"},
        {**ec, "alg": "ES384"},
        {**ec, "crv": "P-384"},
        {**ed, "use": "enc"},
        {key: value for key, value in ed.items() if key != "kid"},
        {**ed, "kid": "k" * 10_000},
        {**ed, "kid": 7},
        {"kty": "oct", "k": "c2VjcmV0", "kid": "symmetric", "alg": "HS256"},
        {"kty": "OKP", "crv": "Ed25519", "kid": "broken", "x": "not base64 of a key!"},
        "not a key",
    ]
    assert signing_keys({"keys": [*left_out, ed]}).keys() == {ed["kid"]}


@pytest.mark.asyncio
async def test_a_thousand_forged_kids_cost_one_fetch(
    endpoint: JwksEndpoint, keys: dict[str, SigningKey]
) -> None:
    endpoint.publish(keys["EdDSA"])
    clock = Clock()
    key_set_ = key_set(endpoint, clock)
    found = await asyncio.gather(*(key_set_.key(f"forged-{n}") for n in range(1000)))
    assert found == [None] * 1000
    assert endpoint.fetches == 1
    for n in range(1000):  # one after the other, within the minimum interval
        assert await key_set_.key(f"forged-again-{n}") is None
    assert endpoint.fetches == 1
    assert await key_set_.key(keys["EdDSA"].kid) is not None  # the real one, from that fetch
    clock.now += POLICY.min_fetch_seconds + 1
    assert await key_set_.key("forged-later") is None
    assert endpoint.fetches == 2


@pytest.mark.asyncio
async def test_a_new_kid_is_fetched_a_removed_one_stops_after_the_refresh(
    endpoint: JwksEndpoint, keys: dict[str, SigningKey]
) -> None:
    old, new = keys["EdDSA"], keys["ES256"]
    endpoint.publish(old)
    clock = Clock()
    key_set_ = key_set(endpoint, clock)
    assert await key_set_.key(old.kid) is not None
    endpoint.publish(new)  # the provider rotated its key
    clock.now += POLICY.min_fetch_seconds + 1
    assert await key_set_.key(new.kid) is not None  # unknown: fetched at once
    assert await key_set_.key(old.kid) is None  # gone from the set just fetched
    assert endpoint.fetches == 2


@pytest.mark.asyncio
async def test_an_old_set_is_refreshed_in_the_background(
    endpoint: JwksEndpoint, keys: dict[str, SigningKey]
) -> None:
    kept, removed = keys["EdDSA"], keys["RS256"]
    endpoint.publish(kept, removed)
    clock = Clock()
    key_set_ = key_set(endpoint, clock)
    assert await key_set_.key(removed.kid) is not None
    endpoint.publish(kept)
    clock.now += POLICY.refresh_seconds + 1
    assert await key_set_.key(removed.kid) is not None  # served from hand, a refresh started
    for _ in range(100):
        if key_set_.trusted(removed.kid) is None:
            break
        await asyncio.sleep(0.02)
    assert key_set_.trusted(removed.kid) is None
    assert key_set_.trusted(kept.kid) is not None
    assert endpoint.fetches == 2
    await key_set_.close()


@pytest.mark.asyncio
async def test_while_the_endpoint_is_down_cached_keys_work_until_their_lifetime_ends(
    endpoint: JwksEndpoint, keys: dict[str, SigningKey], caplog: pytest.LogCaptureFixture
) -> None:
    key = keys["RS256"]
    endpoint.publish(key)
    clock = Clock()
    key_set_ = key_set(endpoint, clock)
    assert await key_set_.key(key.kid) is not None
    endpoint.answer(500, b"<html>upstream down</html>", "text/html")
    clock.now += POLICY.cache_seconds - 1
    with caplog.at_level(logging.WARNING, logger="tutopanda.jwks"):
        assert await key_set_.key(key.kid) is not None  # old, refresh fails: still trusted
        for _ in range(100):
            if endpoint.fetches == 2 and caplog.records:
                break
            await asyncio.sleep(0.02)
        clock.now += 2  # past the lifetime: no longer trusted, and the endpoint is still down
        clock.now += POLICY.min_fetch_seconds
        assert await key_set_.key(key.kid) is None
    assert [record.getMessage() for record in caplog.records] == [
        f"JWKS {endpoint.url} not fetched: it answered HTTP 500; the keys in hand stay"
    ] * 2
    endpoint.publish(key)
    clock.now += POLICY.min_fetch_seconds + 1
    assert await key_set_.key(key.kid) is not None  # back
    await key_set_.close()


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (200, b"<!doctype html><p>login", "its answer is not JSON"),
        (200, b'{"keys": 3}', 'the answer is not a JWKS (a JSON object with a "keys" list)'),
        (200, b"[]", 'the answer is not a JWKS (a JSON object with a "keys" list)'),
        (200, b"x" * (600 * 1024), "its answer is larger than 524288 bytes"),
        (404, b"", "it answered HTTP 404"),
    ],
)
@pytest.mark.asyncio
async def test_a_bad_answer_logs_one_line_and_yields_no_key(
    endpoint: JwksEndpoint,
    caplog: pytest.LogCaptureFixture,
    status: int,
    body: bytes,
    said: str,
) -> None:
    endpoint.answer(status, body)
    key_set_ = key_set(endpoint, Clock())
    with caplog.at_level(logging.WARNING, logger="tutopanda.jwks"):
        assert await key_set_.key("any") is None
    assert [record.getMessage() for record in caplog.records] == [
        f"JWKS {endpoint.url} not fetched: {said}; the keys in hand stay"
    ]


@pytest.mark.asyncio
async def test_nothing_listening_is_a_failed_fetch_not_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with jwks_endpoint() as gone:
        url = gone.url
    key_set_ = JsonWebKeys(url, POLICY, clock=Clock())
    with caplog.at_level(logging.WARNING, logger="tutopanda.jwks"):
        assert await key_set_.key("any") is None
    (line,) = [record.getMessage() for record in caplog.records]
    assert line.startswith(f"JWKS {url} not fetched: it could not be reached (ConnectError")
