"""Bearer JWT: every route but the probes and the schema needs a valid, unexpired token."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import SECRET, Headers
from tests.api.helpers import assert_problem

Client = TestClient[Litestar]
NOW = datetime.now(UTC)


def token(claims: dict[str, Any], secret: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer not.a.jwt",
        "Basic YWxpY2U6c2VjcmV0",
        "Bearer " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}, "w" * 40),
        "Bearer " + token({"sub": "alice", "exp": NOW - timedelta(minutes=5)}),
        "Bearer " + token({"sub": "alice"}),
        "Bearer " + token({"exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "", "exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": 42, "exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "al\x00ice", "exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "\ud800", "iat": NOW, "exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "al\u0085ice", "iat": NOW, "exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "al\u009fice", "exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "al\x7fice", "exp": NOW + timedelta(hours=1)}),
        "Token " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}),
        "JWT " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}),
        token({"sub": "alice", "exp": NOW + timedelta(hours=1)}),
        "Bearer  " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}),
        "Bearer "
        + token({"sub": "alice", "exp": NOW + timedelta(hours=1), "nbf": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "a" * 300, "exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}, SECRET * 2, "HS512"),
        "Bearer "
        + jwt.encode({"sub": "alice", "exp": NOW + timedelta(hours=1)}, "", algorithm="none"),
        "Bearer " + "x" * 20000,
    ],
)
def test_bad_or_missing_tokens_are_401(client: Client, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.get("/projects", headers=headers)
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_valid_token_works(client: Client, auth: Headers) -> None:
    assert client.get("/projects", headers=auth("alice")).status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}),
        "bearer " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "al ice é 名前", "exp": NOW + timedelta(hours=1)}),
        "Bearer " + token({"sub": "alice", "iat": NOW, "exp": NOW + timedelta(hours=1), "x": 1}),
    ],
)
def test_sub_and_exp_are_enough(client: Client, authorization: str) -> None:
    """README: HS256, `sub` = user id, `exp` required; nothing else (no `iat`)."""
    assert client.get("/projects", headers={"Authorization": authorization}).status_code == 200


def test_probes_and_schema_need_no_token(client: Client) -> None:
    assert client.get("/health").status_code == 200
    assert client.get("/schema/openapi.json").status_code == 200


def test_cli_token_is_accepted_by_the_api(client: Client, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tutopanda", "token", "--user", "carol"],
        env={"TUTOPANDA_JWT_SECRET": SECRET, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    printed = result.stdout.strip()
    response = client.get("/projects", headers={"Authorization": f"Bearer {printed}"})
    assert response.status_code == 200
    refused = subprocess.run(
        [sys.executable, "-m", "tutopanda", "token", "--user", ""],
        env={"TUTOPANDA_JWT_SECRET": SECRET, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith("tutopanda: ")


@pytest.mark.parametrize("user_id", ["", "al\u0085ice", "al\x1bice", "a" * 201])
def test_cli_token_refuses_what_the_api_refuses(user_id: str) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "tutopanda", "token", "--user", user_id],
        env={"TUTOPANDA_JWT_SECRET": SECRET, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.startswith("tutopanda: ")
