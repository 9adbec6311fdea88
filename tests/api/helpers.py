"""Small helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

PROBLEM = "application/problem+json"


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
