"""Probes and the OpenAPI document (outages: test_outages.py)."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.support.databases import TestDatabase
from tutopanda.api.app import create_app
from tutopanda.settings import Settings

Client = TestClient[Litestar]


def test_health_and_ready(client: Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"status": "ok"}


def test_openapi_describes_every_route_body_and_error(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    operations = {
        (path, method): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    expected = {
        ("/projects", "post"),
        ("/projects", "get"),
        ("/lectures/{lecture_id}", "get"),
        ("/lectures/{lecture_id}", "patch"),
        ("/lectures/{lecture_id}/history", "get"),
        ("/lectures/{lecture_id}/history/{revision}", "get"),
        ("/lectures/{lecture_id}/history/{revision}/restore", "post"),
        ("/lectures/{lecture_id}/workflows", "post"),
        ("/workflow-runs/{run_id}", "get"),
        ("/workflow-runs/{run_id}/cancel", "post"),
        ("/workflow-runs/{run_id}/resume", "post"),
        ("/workflow-runs/{run_id}/accept", "post"),
        ("/workflow-runs/{run_id}/reject", "post"),
        ("/lectures/{lecture_id}/assets/{asset_kind}/{asset_id}/regenerate", "post"),
        ("/lectures/{lecture_id}/drafts", "get"),
        ("/lectures/{lecture_id}/drafts/{draft_id}", "get"),
        ("/lectures/{lecture_id}/drafts/{draft_id}", "delete"),
        ("/lectures/{lecture_id}/drafts/{draft_id}/apply", "post"),
        ("/projects/{project_id}", "get"),
        ("/projects/{project_id}", "patch"),
        ("/health", "get"),
        ("/ready", "get"),
    }
    assert expected <= set(operations)
    for (path, method), operation in operations.items():
        assert operation.get("summary"), (path, method)
        if path not in ("/health", "/ready"):
            assert "401" in operation["responses"], (path, method)
            problem = operation["responses"]["401"]["content"]["application/problem+json"]
            assert problem["schema"]["$ref"].endswith("/Problem")
        bodiless = ("/cancel", "/resume", "/reject", "/apply")  # POSTs that take no body
        if method in ("post", "patch") and not path.endswith(bodiless):
            assert "requestBody" in operation, (path, method)
    patch = operations[("/lectures/{lecture_id}", "patch")]["responses"]
    assert {"200", "409", "422", "413"} <= set(patch)
    schemas = document["components"]["schemas"]
    assert {"Problem", "LectureSnapshot", "SaveRequest", "LecturePatch", "Timeline"} <= set(schemas)
    assert set(schemas["SaveRequest"]["properties"]) == {"payload", "merge", "force"}
    assert document["components"]["securitySchemes"]


def test_interactive_docs_page(client: Client) -> None:
    page = client.get("/schema")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]


def test_ready_is_503_on_a_database_that_is_not_migrated(
    settings: Settings, blank_database: TestDatabase
) -> None:
    with TestClient(create_app(settings, blank_database.admin_url)) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/ready").json() == {"status": "unavailable"}
