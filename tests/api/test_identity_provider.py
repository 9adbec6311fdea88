"""Tokens of the app's identity provider (TUTOPANDA_JWT_JWKS_URL): EdDSA, ES256 and RS256 keys
made in the test, their JWKS served on a loopback port; what is accepted, what is 401, and the
development secret beside it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import SECRET
from tests.api.helpers import assert_problem
from tests.support.databases import TestDatabase
from tests.support.jwks import (
    AUDIENCE,
    ISSUER,
    JwksEndpoint,
    SigningKey,
    hand_made,
    hs256_confusion,
    jwks_endpoint,
    new_key,
    provider_settings,
)
from tests.support.processes import run_command
from tutopanda.api.app import create_app
from tutopanda.settings import load_settings
from tutopanda.tokens import issue_token

Client = TestClient[Litestar]
ALGORITHMS = ("EdDSA", "ES256", "RS256")


@pytest.fixture(scope="module")
def keys() -> dict[str, SigningKey]:
    return {algorithm: new_key(algorithm) for algorithm in ALGORITHMS}


@pytest.fixture
def endpoint(keys: dict[str, SigningKey]) -> Iterator[JwksEndpoint]:
    with jwks_endpoint() as served:
        served.publish(*keys.values())
        yield served


Connect = Callable[..., Any]


@pytest.fixture
def connect(tmp_path: Path, database: TestDatabase, endpoint: JwksEndpoint) -> Callable[..., Any]:
    """A client of the app with the provider's settings (and `extra` ones), as a context."""

    @contextmanager
    def client(**extra: str) -> Iterator[Client]:
        fetch_at_once = {"TUTOPANDA_JWT_JWKS_MIN_FETCH_SECONDS": "0"}  # unless `extra` says
        settings = provider_settings(
            tmp_path, endpoint.url, ISSUER, AUDIENCE, **(fetch_at_once | extra)
        )
        with TestClient(create_app(settings, database.admin_url)) as test_client:
            yield test_client

    return client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims_now(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": "mallory", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 900} | (
        overrides
    )


def hs256_with(secret: bytes, kid: str) -> str:
    """The classic confusion: HS256 "signed" with the provider's public key as the secret."""
    return hs256_confusion(secret, {"typ": "JWT", "kid": kid}, claims_now())


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_provider_token_is_its_subject(
    connect: Connect, keys: dict[str, SigningKey], algorithm: str
) -> None:
    """The project's owner is the token's `sub` (another user does not see it)."""
    subject = f"ba-user-{algorithm}"
    with connect() as client:
        token = keys[algorithm].token(subject)
        created = client.post("/projects", json={"prompt": "JWKS"}, headers=bearer(token))
        assert created.status_code == 201, created.text
        mine = client.get("/projects", headers=bearer(token)).json()["items"]
        assert [project["id"] for project in mine] == [created.json()["projectId"]]
        other = keys[algorithm].token(f"{subject}-other")
        assert client.get("/projects", headers=bearer(other)).json()["items"] == []


def refused_tokens(keys: dict[str, SigningKey]) -> dict[str, str]:
    ed, ec, rsa = keys["EdDSA"], keys["ES256"], keys["RS256"]
    impostor = SigningKey("EdDSA", new_key("EdDSA").private, kid=ed.kid)  # same kid, other key
    public_pem = rsa.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "forged signature": impostor.token(),
        "wrong issuer": ed.token(iss="https://elsewhere.example"),
        "no issuer": ed.token(iss=None),
        "wrong audience": ed.token(aud="another-api"),
        "no audience": ed.token(aud=None),
        "expired": ed.token(ttl=-60),
        "no exp": ed.token(exp=None),
        "no sub": ed.token(subject=None),  # type: ignore[arg-type]
        "sub with a control character": ed.token("al\x07ice"),
        "valid for a year": rsa.token(ttl=365 * 86400),
        "string exp": ec.token(exp=str(int(time.time()) + 900)),
        "alg none": hand_made({"alg": "none", "kid": ed.kid}, claims_now()),
        "HS256 signed with the public key": hs256_with(public_pem, rsa.kid),
        "header alg not the key's": SigningKey("ES256", ec.private, kid=ed.kid).token(),
        "RS256 header on an ES256 key": hand_made(
            {"alg": "RS256", "kid": ec.kid}, claims_now(), b"x" * 256
        ),
        "PS256": SigningKey("PS256", rsa.private, kid=rsa.kid).token(),
        "unknown kid": SigningKey("EdDSA", ed.private, kid="not-published").token(),
        "no kid": hand_made({"alg": "EdDSA"}, claims_now(), b"x" * 64),
        "a 10 KB kid": SigningKey("EdDSA", ed.private, kid="k" * 10_000).token(),
        "a 10 KB header": ed.token(header={"pad": "p" * 10_000}),
        "not a JWT": "a.b",
        "header not JSON": "bm90IGpzb24.e30.c2ln",
    }


def test_what_the_provider_did_not_sign_for_us_is_401(
    connect: Connect, keys: dict[str, SigningKey]
) -> None:
    tokens = refused_tokens(keys)
    with connect() as client:
        for name, token in tokens.items():
            response = client.get("/projects", headers=bearer(token))
            assert response.status_code == 401, (name, response.text)
            assert_problem(response, 401, "unauthorized")
        assert client.get("/projects", headers=bearer(keys["EdDSA"].token())).status_code == 200


def test_forged_kids_cost_one_fetch_per_interval(
    connect: Connect, keys: dict[str, SigningKey], endpoint: JwksEndpoint
) -> None:
    with connect(TUTOPANDA_JWT_JWKS_MIN_FETCH_SECONDS="60") as client:
        fetches = endpoint.fetches  # the one at start
        for n in range(1000):
            forged = SigningKey("EdDSA", keys["EdDSA"].private, kid=f"forged-{n}").token()
            assert client.get("/projects", headers=bearer(forged)).status_code == 401
        assert endpoint.fetches == fetches == 1
        assert client.get("/projects", headers=bearer(keys["EdDSA"].token())).status_code == 200


def test_a_rotated_key_is_taken_without_a_restart(
    connect: Connect, keys: dict[str, SigningKey], endpoint: JwksEndpoint
) -> None:
    with connect() as client:
        old = keys["EdDSA"].token("rotating")
        assert client.get("/projects", headers=bearer(old)).status_code == 200
        rotated = new_key("EdDSA")
        endpoint.publish(rotated)  # the old key is gone, a new one signs
        assert client.get("/projects", headers=bearer(rotated.token("rotating"))).status_code == 200
        assert client.get("/projects", headers=bearer(old)).status_code == 401  # remembered no more


def test_the_development_secret_beside_a_provider(
    connect: Connect, keys: dict[str, SigningKey]
) -> None:
    """HS256 tokens work beside the provider's when TUTOPANDA_JWT_SECRET is set, not otherwise
    (the development secret of TUTOPANDA_HOME is for a service without a provider)."""
    development = bearer(issue_token(SECRET, "developer"))
    with connect(TUTOPANDA_JWT_SECRET=SECRET) as client:
        assert client.get("/projects", headers=development).status_code == 200
        assert client.get("/projects", headers=bearer(keys["ES256"].token())).status_code == 200
        scheme = client.get("/schema/openapi.json").json()["components"]["securitySchemes"]
        description = scheme["BearerToken"]["description"]
        assert "EdDSA, ES256 or RS256" in description
        assert "HS256" in description
    with connect() as client:
        assert client.get("/projects", headers=development).status_code == 401


@pytest.mark.parametrize(
    ("status", "body"),
    [(200, b"<!doctype html><title>Sign in</title>"), (500, b"oops"), (200, b"{}")],
)
def test_a_bad_jwks_starts_the_service_with_one_line_and_401_until_it_is_fixed(
    connect: Connect,
    keys: dict[str, SigningKey],
    endpoint: JwksEndpoint,
    caplog: pytest.LogCaptureFixture,
    *,
    status: int,
    body: bytes,
) -> None:
    endpoint.answer(status, body)
    token = bearer(keys["RS256"].token())
    with caplog.at_level(logging.WARNING, logger="tutopanda.jwks"), connect() as client:
        assert client.get("/health").status_code == 200
        assert_problem(client.get("/projects", headers=token), 401, "unauthorized")
        assert len([r for r in caplog.records if r.name == "tutopanda.jwks"]) >= 1
        assert caplog.records[0].getMessage().startswith(f"JWKS {endpoint.url} not fetched: ")
        endpoint.publish(*keys.values())
        assert client.get("/projects", headers=token).status_code == 200


def test_cli_token_refuses_when_only_the_provider_signs(
    endpoint: JwksEndpoint, tmp_path: Path
) -> None:
    """With a JWKS and no TUTOPANDA_JWT_SECRET, HS256 tokens are off: `tutopanda token` says so
    in one line (exit 2) instead of printing a token the API would refuse."""
    refused = run_command(
        ["token", "--user", "dev"],
        env={
            "TUTOPANDA_HOME": str(tmp_path),
            "TUTOPANDA_JWT_SECRET": "",  # unset, whatever this process has
            "TUTOPANDA_JWT_JWKS_URL": endpoint.url,
            "TUTOPANDA_JWT_ISSUER": ISSUER,
        },
    )
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.startswith("tutopanda: TUTOPANDA_JWT_JWKS_URL is set and ")
    assert refused.stderr.count("\n") == 1


def test_an_issuer_is_required_with_a_jwks() -> None:
    from tutopanda.settings import SettingsError  # noqa: PLC0415

    with pytest.raises(SettingsError, match=r"^TUTOPANDA_JWT_JWKS_URL needs TUTOPANDA_JWT_ISSUER"):
        load_settings({"TUTOPANDA_JWT_JWKS_URL": "https://id.example.test/jwks"})
