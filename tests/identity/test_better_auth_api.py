"""The API signed in by a real better-auth (identity/better-auth under Node, its jwt plugin):
its users' tokens create projects and save lectures as those users, what it did not sign for us
is 401, and a restarted better-auth with a new key is accepted without restarting the API."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from litestar import Litestar
from litestar.testing import TestClient

from tests.support.better_auth import BetterAuth, better_auth_issuer
from tests.support.databases import TestDatabase
from tests.support.jwks import hand_made, hs256_confusion, provider_settings, signing_input
from tests.support.processes import free_port
from tutopanda.api.app import create_app

ISSUER = "https://app.tutopanda.test"
AUDIENCE = "tutopanda-lecture-store"
PASSWORD = "a long enough password"
Client = TestClient[Litestar]


@pytest.fixture(scope="module")
def port() -> int:
    return free_port()


@pytest.fixture
def client(tmp_path: Path, database: TestDatabase, port: int) -> Iterator[Client]:
    """The API with better-auth (on `port`) as its identity provider; no development secret."""
    jwks_url = f"http://127.0.0.1:{port}/api/auth/jwks"
    settings = provider_settings(
        tmp_path, jwks_url, ISSUER, AUDIENCE, TUTOPANDA_JWT_JWKS_MIN_FETCH_SECONDS="0.2"
    )
    with TestClient(create_app(settings, database.admin_url)) as test_client:
        yield test_client


def issuer(port: int, **options: Any) -> Any:
    return better_auth_issuer(ISSUER, AUDIENCE, port=port, **options)


def signed_up(auth: BetterAuth) -> tuple[str, str]:
    """A new better-auth user: its id and a token."""
    user = auth.sign_up(f"{uuid.uuid4().hex[:12]}@example.com", PASSWORD, "Ada")
    return user.user_id, auth.token(user)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def segments(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload = (
        json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        for part in token.split(".")[:2]
    )
    return header, payload


def resigned(header: dict[str, Any], claims: dict[str, Any], key: Any) -> str:
    """`claims` under `header`, signed with an Ed25519 `key` (not better-auth's)."""
    return hand_made(header, claims, key.sign(signing_input(header, claims).encode()))


def test_a_better_auth_user_creates_and_saves_as_itself(client: Client, port: int) -> None:
    with issuer(port) as auth:
        user_id, token = signed_up(auth)
        created = client.post("/projects", json={"prompt": "Photosynthesis"}, headers=bearer(token))
        assert created.status_code == 201, created.text
        lecture = f"/lectures/{created.json()['lectureId']}"
        read = client.get(lecture, headers=bearer(token))
        saved = client.patch(
            lecture,
            json={"payload": {"title": "Photosynthesis, edited"}},
            headers={**bearer(token), "If-Match": read.headers["etag"]},
        )
        assert saved.status_code == 200, saved.text
        history = client.get(f"{lecture}/history", headers=bearer(token)).json()
        assert history["items"][0]["createdBy"] == user_id  # the history names the user
        (project,) = client.get("/projects", headers=bearer(token)).json()["items"]
        assert project["id"] == created.json()["projectId"]
        _, stranger = signed_up(auth)
        assert client.get(lecture, headers=bearer(stranger)).status_code == 404


def test_what_better_auth_did_not_sign_for_us_is_401(client: Client, port: int) -> None:
    with issuer(port) as auth, issuer(free_port()) as elsewhere:
        _, token = signed_up(auth)
        header, claims = segments(token)
        impostor = ed25519.Ed25519PrivateKey.generate()
        public_x = auth.jwks()["keys"][0]["x"].encode()
        _, elsewhere_token = signed_up(elsewhere)
        refused = {
            "forged signature": resigned(header, claims, impostor),
            "wrong issuer": resigned(header, {**claims, "iss": "x"}, impostor),
            "alg confusion": hs256_confusion(public_x, header, claims),
            "alg none": hand_made({**header, "alg": "none"}, claims),
            "unknown kid": resigned({**header, "kid": "not-its-kid"}, claims, impostor),
            "another better-auth's key": elsewhere_token,  # same issuer, a JWKS not ours
        }
        for name, forged in refused.items():
            response = client.get("/projects", headers=bearer(forged))
            assert response.status_code == 401, (name, response.text)
        assert client.get("/projects", headers=bearer(token)).status_code == 200


def test_wrong_audience_and_expired_tokens_of_better_auth_itself_are_401(
    client: Client, port: int
) -> None:
    """Tokens better-auth really signed: for another audience, and expired (a 3 s lifetime:
    long enough to be accepted first on a busy machine)."""
    with better_auth_issuer(ISSUER, "another-api", port=port) as other_audience:
        _, token = signed_up(other_audience)
        assert client.get("/projects", headers=bearer(token)).status_code == 401
    time.sleep(0.3)  # TUTOPANDA_JWT_JWKS_MIN_FETCH_SECONDS: the next kid is fetched
    with issuer(port, expiration="3s") as auth:
        _, token = signed_up(auth)
        assert client.get("/projects", headers=bearer(token)).status_code == 200
        time.sleep(max(0.0, segments(token)[1]["exp"] - time.time()) + 1.1)
        assert client.get("/projects", headers=bearer(token)).status_code == 401  # expired


def test_a_restarted_better_auth_with_a_new_key_is_accepted_without_a_restart(
    client: Client, port: int
) -> None:
    with issuer(port) as first:
        user_before, before = signed_up(first)
        assert client.get("/projects", headers=bearer(before)).status_code == 200
    with issuer(port) as second:  # in memory: new users, a new key
        user_after, after = signed_up(second)
        assert segments(after)[0]["kid"] != segments(before)[0]["kid"]
        time.sleep(0.3)  # TUTOPANDA_JWT_JWKS_MIN_FETCH_SECONDS since the last fetch
        response = client.post("/projects", json={"prompt": "After"}, headers=bearer(after))
        assert response.status_code == 201, response.text
        assert client.get("/projects", headers=bearer(before)).status_code == 401  # key gone
    assert user_before != user_after
