"""TUTOPANDA_EDITOR_TOKEN_URL: the editor page learns where to take its token
(`/editor/config.json`, public), and its policy lets it call that one origin."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import TestClient

from tests.api.conftest import SECRET
from tests.support.databases import TestDatabase
from tutopanda.api.app import create_app
from tutopanda.api.security_headers import API_POLICY, EDITOR_POLICY
from tutopanda.settings import SettingsError, load_settings

TOKEN_URL = "https://app.example.test:8443/api/auth/token"


def client(tmp_path: Path, database: TestDatabase, **extra: str) -> TestClient:  # type: ignore[type-arg]
    settings = load_settings(
        {"TUTOPANDA_HOME": str(tmp_path), "TUTOPANDA_JWT_SECRET": SECRET, **extra}
    )
    return TestClient(create_app(settings, database.admin_url))


def test_the_page_is_told_the_token_url_and_may_call_its_origin(
    tmp_path: Path, database: TestDatabase
) -> None:
    with client(tmp_path, database, TUTOPANDA_EDITOR_TOKEN_URL=TOKEN_URL) as http:
        config = http.get("/editor/config.json")  # no token: the page asks before signing in
        assert config.status_code == 200
        assert config.json() == {"tokenUrl": TOKEN_URL}
        assert config.headers["cache-control"] == "no-cache"
        policy = http.get("/editor/").headers["content-security-policy"]
        assert "connect-src 'self' https://app.example.test:8443;" in policy
        assert policy == EDITOR_POLICY.replace(
            "connect-src 'self'", "connect-src 'self' https://app.example.test:8443"
        )
        assert http.get("/projects").headers["content-security-policy"] == API_POLICY


def test_without_it_the_page_signs_in_with_a_pasted_token(
    tmp_path: Path, database: TestDatabase
) -> None:
    with client(tmp_path, database) as http:
        assert http.get("/editor/config.json").json() == {"tokenUrl": None}
        assert http.get("/editor/").headers["content-security-policy"] == EDITOR_POLICY


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "/api/auth/token",
        "https://app.example.test/token; script-src *",
        "https://app.example.test/'unsafe-inline'",
        "https://app.example.test/a b",
        "https:///no-host",
    ],
)
def test_a_token_url_that_is_not_a_plain_http_url_is_refused_at_start(url: str) -> None:
    with pytest.raises(SettingsError, match=r"^TUTOPANDA_EDITOR_TOKEN_URL: must be a"):
        load_settings({"TUTOPANDA_EDITOR_TOKEN_URL": url})
