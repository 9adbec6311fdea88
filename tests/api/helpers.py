"""Small helpers shared by the API tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import SECRET

PROBLEM = "application/problem+json"


def server_env(
    database_url: str, home: Path, *, secret: str = SECRET, **extra: str
) -> dict[str, str]:
    """The environment of a real `tutopanda serve` for a test: its database, a JWT secret (the
    API tests' unless given), a home of its own, quiet logs, and `extra` settings."""
    return {
        "DATABASE_URL": database_url,
        "TUTOPANDA_JWT_SECRET": secret,
        "TUTOPANDA_HOME": str(home),
        "TUTOPANDA_LOG_LEVEL": "WARNING",
        **extra,
    }


def write_operations(client: TestClient[Litestar]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) of every write route of the served OpenAPI document."""
    document = client.get("/schema/openapi.json").json()
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
    ]


def new_lecture(
    client: TestClient[Litestar], headers: dict[str, str], prompt: str = "Rome"
) -> dict[str, Any]:
    response = client.post("/projects", json={"prompt": prompt}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["type"] == f"urn:tutopanda:problem:{code}"
    assert body["requestId"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text
    return body


def quiet_presence(client: TestClient[Litestar], timeout: float = 10.0) -> None:
    """Wait until the event hub is listening and the presence board has sent what it sends once
    connected (a `sync`, on the presence connection): a test that counts the database's round
    trips, or freezes its connections, must not meet it halfway."""
    state = client.app.state
    deadline = time.monotonic() + timeout
    while not state.event_hub.connected.is_set() or state.presence.busy():
        assert time.monotonic() < deadline, "the event hub did not connect"
        time.sleep(0.02)
