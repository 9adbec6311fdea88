"""The better-auth issuer the JWT tests run (tests/support/better_auth.py) is what they assume.

A real better-auth (identity/better-auth, e-mail + password, the jwt plugin) under Node: a sign-up
gives a user, its session a token signed with EdDSA by a key the JWKS publishes, with the claims
configured, and every start publishes a new key.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from tests.support.better_auth import SESSION_COOKIE, BetterAuth, better_auth_issuer
from tests.support.processes import free_port

ISSUER = "https://identity.tutopanda.test"
AUDIENCE = "tutopanda-api"
EXPIRATION = "20m"
EXPIRATION_SECONDS = 20 * 60
TRUSTED_ORIGIN = "http://127.0.0.1:9"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def issuer() -> Iterator[BetterAuth]:
    with better_auth_issuer(
        ISSUER, AUDIENCE, expiration=EXPIRATION, trusted_origins=(TRUSTED_ORIGIN,)
    ) as running:
        yield running


def new_email() -> str:
    return f"user-{uuid.uuid4().hex[:12]}@example.com"


def kids(issuer: BetterAuth) -> set[str]:
    return {str(key["kid"]) for key in issuer.jwks()["keys"]}


def verified_claims(issuer: BetterAuth, token: str) -> dict[str, Any]:
    """The token's claims, its signature checked with the published key of its kid."""
    kid = jwt.get_unverified_header(token)["kid"]
    (published,) = [key for key in issuer.jwks()["keys"] if key["kid"] == kid]
    claims: dict[str, Any] = jwt.decode(
        token,
        jwt.PyJWK(published).key,
        algorithms=["EdDSA"],
        audience=AUDIENCE,
        issuer=ISSUER,
    )
    return claims


def test_a_sign_up_gives_a_user_id_and_a_session(issuer: BetterAuth) -> None:
    email = new_email()
    signed_in = issuer.sign_up(email, PASSWORD, "Ada")
    assert signed_in.user_id
    assert signed_in.email == email
    assert signed_in.session_token
    assert issuer.sign_up(new_email(), PASSWORD, "Ada").user_id != signed_in.user_id


def test_the_token_is_an_eddsa_jwt_of_a_published_key(issuer: BetterAuth) -> None:
    signed_in = issuer.sign_up(new_email(), PASSWORD, "Grace")
    token = issuer.token(signed_in)

    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    assert header["kid"] in kids(issuer)
    (published,) = [key for key in issuer.jwks()["keys"] if key["kid"] == header["kid"]]
    assert (published["kty"], published["crv"], published["alg"]) == ("OKP", "Ed25519", "EdDSA")
    assert "d" not in published

    claims = verified_claims(issuer, token)
    assert claims["sub"] == signed_in.user_id
    assert claims["iss"] == ISSUER
    assert claims["aud"] == AUDIENCE  # one string, not a list
    assert claims["exp"] - claims["iat"] == EXPIRATION_SECONDS
    assert abs(claims["iat"] - time.time()) < 60


def test_a_token_with_another_audience_or_issuer_is_refused(issuer: BetterAuth) -> None:
    token = issuer.token(issuer.sign_up(new_email(), PASSWORD, "Barbara"))
    (published,) = issuer.jwks()["keys"]
    key = jwt.PyJWK(published).key
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, key, algorithms=["EdDSA"], audience="another-api", issuer=ISSUER)
    with pytest.raises(jwt.InvalidIssuerError):
        jwt.decode(token, key, algorithms=["EdDSA"], audience=AUDIENCE, issuer="https://evil.test")


def test_a_sign_in_is_the_same_user(issuer: BetterAuth) -> None:
    email = new_email()
    signed_up = issuer.sign_up(email, PASSWORD, "Katherine")
    signed_in = issuer.sign_in(email, PASSWORD)
    assert signed_in.user_id == signed_up.user_id
    assert signed_in.session_token != signed_up.session_token
    assert verified_claims(issuer, issuer.token(signed_in))["sub"] == signed_up.user_id


def test_no_token_without_a_session(issuer: BetterAuth) -> None:
    assert httpx.get(f"{issuer.auth_url}/token", timeout=10).status_code == 401


def test_a_trusted_origin_may_call_it_with_cookies(issuer: BetterAuth) -> None:
    """CORS with credentials for TRUSTED_ORIGINS only; better-auth refuses other origins."""
    preflight = httpx.options(
        f"{issuer.auth_url}/sign-in/email",
        headers={
            "Origin": TRUSTED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=10,
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == TRUSTED_ORIGIN
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-headers"] == "content-type"

    email = new_email()
    signed_up = issuer.sign_up(email, PASSWORD, "Hedy")
    browser_headers = {"Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors"}
    body = {"email": email, "password": PASSWORD}
    trusted = httpx.post(
        f"{issuer.auth_url}/sign-in/email",
        json=body,
        headers={**browser_headers, "Origin": TRUSTED_ORIGIN},
        timeout=10,
    )
    assert trusted.status_code == 200, trusted.text
    assert trusted.headers["access-control-allow-origin"] == TRUSTED_ORIGIN
    assert trusted.headers["access-control-allow-credentials"] == "true"
    assert SESSION_COOKIE in trusted.cookies

    with httpx.Client(cookies=dict(signed_up.cookies), timeout=10) as client:
        token = client.get(f"{issuer.auth_url}/token", headers={"Origin": TRUSTED_ORIGIN})
        assert token.status_code == 200
        assert token.headers["access-control-allow-origin"] == TRUSTED_ORIGIN

    other = "http://127.0.0.1:10"
    refused = httpx.post(
        f"{issuer.auth_url}/sign-in/email",
        json=body,
        headers={**browser_headers, "Origin": other},
        timeout=10,
    )
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers
    preflight = httpx.options(
        f"{issuer.auth_url}/sign-in/email",
        headers={"Origin": other, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_every_start_publishes_a_new_key(issuer: BetterAuth) -> None:
    """How the tests rotate the key: a new start (here on a port of its own) has a new kid."""
    old_token = issuer.token(issuer.sign_up(new_email(), PASSWORD, "Radia"))
    old_kids = kids(issuer)
    port = free_port()
    with better_auth_issuer(ISSUER, AUDIENCE, expiration=EXPIRATION, port=port) as restarted:
        assert restarted.base == f"http://127.0.0.1:{port}"
        new_token = restarted.token(restarted.sign_up(new_email(), PASSWORD, "Radia"))
        new_kids = kids(restarted)
        assert new_kids.isdisjoint(old_kids)
        assert jwt.get_unverified_header(new_token)["kid"] in new_kids
        assert verified_claims(restarted, new_token)["iss"] == ISSUER
        # The old token's kid is not published by the new start: it no longer verifies there.
        assert jwt.get_unverified_header(old_token)["kid"] not in new_kids
