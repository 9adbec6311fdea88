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


IN_AN_HOUR = int((NOW + timedelta(hours=1)).timestamp())
# RFC 7519: exp, nbf and iat are NumericDates, JSON numbers (PyJWT alone takes these).
NOT_NUMERIC_DATES: dict[str, dict[str, Any]] = {
    "string-exp": {"exp": "9999999999"},
    "string-exp-soon": {"exp": str(IN_AN_HOUR)},
    "string-nbf": {"exp": IN_AN_HOUR, "nbf": "0"},
    "string-iat": {"exp": IN_AN_HOUR, "iat": str(IN_AN_HOUR - 7200)},
    "boolean-nbf": {"exp": IN_AN_HOUR, "nbf": True},
    "null-iat": {"exp": IN_AN_HOUR, "iat": None},
    "list-exp": {"exp": [IN_AN_HOUR]},
}
# Valid for longer than TUTOPANDA_TOKEN_MAX_DAYS (30): exp - iat, or exp - now without iat.
TOO_LONG: dict[str, dict[str, Any]] = {
    "exp-1e30": {"exp": 10**30},
    "exp-10e400": {"exp": 10**400},
    "31-days-from-iat": {"iat": NOW, "exp": NOW + timedelta(days=31)},
    "31-days-from-now": {"exp": NOW + timedelta(days=31)},
    "old-iat-far-exp": {"iat": NOW - timedelta(days=20), "exp": NOW + timedelta(days=11)},
}


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("Bearer", id="bearer-alone"),
        pytest.param("Bearer not.a.jwt", id="not-a-jwt"),
        pytest.param("Basic YWxpY2U6c2VjcmV0", id="basic"),
        pytest.param(
            "Bearer " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}, "w" * 40),
            id="other-secret",
        ),
        pytest.param(
            "Bearer " + token({"sub": "alice", "exp": NOW - timedelta(minutes=5)}), id="expired"
        ),
        pytest.param("Bearer " + token({"sub": "alice"}), id="no-exp"),
        pytest.param("Bearer " + token({"exp": NOW + timedelta(hours=1)}), id="no-sub"),
        pytest.param(
            "Bearer " + token({"sub": "", "exp": NOW + timedelta(hours=1)}), id="empty-sub"
        ),
        pytest.param(
            "Bearer " + token({"sub": 42, "exp": NOW + timedelta(hours=1)}), id="numeric-sub"
        ),
        pytest.param(
            "Bearer " + token({"sub": "al\x00ice", "exp": NOW + timedelta(hours=1)}),
            id="nul-in-sub",
        ),
        pytest.param(
            "Bearer " + token({"sub": "\ud800", "iat": NOW, "exp": NOW + timedelta(hours=1)}),
            id="surrogate-sub",
        ),
        pytest.param(
            "Bearer " + token({"sub": "al\u0085ice", "iat": NOW, "exp": NOW + timedelta(hours=1)}),
            id="nel-in-sub",
        ),
        pytest.param(
            "Bearer " + token({"sub": "al\u009fice", "exp": NOW + timedelta(hours=1)}),
            id="c1-control-in-sub",
        ),
        pytest.param(
            "Bearer " + token({"sub": "al\x7fice", "exp": NOW + timedelta(hours=1)}),
            id="del-in-sub",
        ),
        pytest.param(
            "Token " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}), id="token-scheme"
        ),
        pytest.param(
            "JWT " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}), id="jwt-scheme"
        ),
        pytest.param(token({"sub": "alice", "exp": NOW + timedelta(hours=1)}), id="no-scheme"),
        pytest.param(
            "Bearer  " + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}), id="two-spaces"
        ),
        pytest.param(
            "Bearer "
            + token(
                {"sub": "alice", "exp": NOW + timedelta(hours=1), "nbf": NOW + timedelta(hours=1)}
            ),
            id="not-yet-valid",
        ),
        pytest.param(
            "Bearer " + token({"sub": "a" * 300, "exp": NOW + timedelta(hours=1)}), id="long-sub"
        ),
        pytest.param(
            "Bearer "
            + token({"sub": "alice", "exp": NOW + timedelta(hours=1)}, SECRET * 2, "HS512"),
            id="hs512",
        ),
        pytest.param(
            "Bearer "
            + jwt.encode({"sub": "alice", "exp": NOW + timedelta(hours=1)}, "", algorithm="none"),
            id="alg-none",
        ),
        pytest.param("Bearer " + "x" * 20000, id="huge"),
        *(
            pytest.param("Bearer " + token({"sub": "alice", **claims}), id=name)
            for name, claims in NOT_NUMERIC_DATES.items()
        ),
        *(
            pytest.param("Bearer " + token({"sub": "alice", **claims}), id=name)
            for name, claims in TOO_LONG.items()
        ),
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
        "Bearer " + token({"sub": "alice", "iat": NOW, "exp": NOW + timedelta(days=30)}),
        "Bearer " + token({"sub": "alice", "exp": IN_AN_HOUR + 0.5, "nbf": 0.5}),
    ],
)
def test_sub_and_exp_are_enough(client: Client, authorization: str) -> None:
    """README: HS256, `sub` = user id, `exp` required; nothing else (no `iat`); valid for the
    maximum exactly; a NumericDate may have a fraction."""
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


def test_cli_token_stays_within_the_maximum(client: Client) -> None:
    """`tutopanda token --hours` accepts the API's maximum and refuses more (exit 2)."""
    env = {"TUTOPANDA_JWT_SECRET": SECRET, "PATH": "/usr/bin:/bin", "TUTOPANDA_TOKEN_MAX_DAYS": "2"}
    command = [sys.executable, "-m", "tutopanda", "token", "--user", "gina", "--hours"]
    longest = subprocess.run(
        [*command, "48"], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    response = client.get(
        "/projects", headers={"Authorization": f"Bearer {longest.stdout.strip()}"}
    )
    assert response.status_code == 200  # 48 h is within the API's 30 days
    refused = subprocess.run(
        [*command, "49"], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.startswith("tutopanda: ")
    assert "TUTOPANDA_TOKEN_MAX_DAYS" in refused.stderr


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
