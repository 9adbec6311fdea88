"""An unexpected failure is a 500 problem with a request id, logged, and no internals."""

from __future__ import annotations

import logging

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import assert_problem
from tests.support.databases import TestDatabase
from tests.support.sql import test_query

Client = TestClient[Litestar]


def test_unexpected_errors_are_opaque_problems(
    client: Client, auth: Headers, database: TestDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    with psycopg.connect(database.admin_url, autocommit=True) as admin:
        admin.execute(test_query("break_project_list"))
    with caplog.at_level(logging.ERROR, logger="tutopanda.api"):
        response = client.get("/projects", headers={**auth(), "X-Request-ID": "trace-123"})
    problem = assert_problem(response, 500, "internal_error")
    assert problem["requestId"] == "trace-123"
    assert "project_list" not in response.text
    assert "psycopg" not in response.text
    assert any("trace-123" in record.getMessage() for record in caplog.records)


def test_insane_request_ids_are_replaced(client: Client) -> None:
    response = client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers["x-request-id"] != "bad id\twith spaces"
    assert len(response.headers["x-request-id"]) == 32


def test_unknown_routes_and_methods_are_problems(client: Client, auth: Headers) -> None:
    assert_problem(client.get("/nowhere", headers=auth()), 404, "not_found")
    assert_problem(client.delete("/projects", headers=auth()), 405, "method_not_allowed")
