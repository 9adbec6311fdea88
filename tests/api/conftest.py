"""API fixtures: the app on this test's database, a client, and tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.support.databases import TestDatabase
from tests.support.polling import TEST_EVENT_POLL
from tutopanda.api.app import create_app
from tutopanda.settings import Settings, load_settings
from tutopanda.tokens import issue_token

SECRET = "test-secret-" + "x" * 40
BODY_CAP = 256 * 1024


class Headers(Protocol):
    """Authorization headers for a user (alice when not named)."""

    def __call__(self, user_id: str = ...) -> dict[str, str]: ...


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        {
            "TUTOPANDA_HOME": str(tmp_path / "home"),
            "TUTOPANDA_JWT_SECRET": SECRET,
            "TUTOPANDA_MAX_BODY_BYTES": str(BODY_CAP),
            "TUTOPANDA_CONNECT_TIMEOUT": "1",
            **TEST_EVENT_POLL,
        }
    )


@pytest.fixture
def client(settings: Settings, database: TestDatabase) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(settings, database.admin_url)) as test_client:
        yield test_client


@pytest.fixture
def auth() -> Headers:
    """Authorization headers for a user id."""

    def headers(user_id: str = "alice") -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(SECRET, user_id)}"}

    return headers
