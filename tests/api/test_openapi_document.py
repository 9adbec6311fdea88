"""The OpenAPI document states what the API does: the defects schemathesis found stay fixed."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import new_lecture

Client = TestClient[Litestar]


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    body: dict[str, Any] = client.get("/schema/openapi.json").json()
    return body


def _walk(node: Any) -> Any:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_numbers_are_one_number_with_their_bounds(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for node in _walk(schemas):
        branches = node.get("oneOf", []) + node.get("anyOf", []) if isinstance(node, dict) else []
        types = {branch.get("type") for branch in branches if isinstance(branch, dict)}
        assert not {"integer", "number"} <= types, node
    start = schemas["VoiceClip"]["properties"]["startTime"]
    assert (start["type"], start["minimum"]) == ("number", 0)
    assert schemas["VoiceClip"]["properties"]["duration"]["exclusiveMinimum"] == 0
    assert not [node for node in _walk(schemas) if isinstance(node, dict) and "ge" in node]


def test_parameters_keep_their_bounds(document: dict[str, Any]) -> None:
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in document["paths"]["/lectures/{lecture_id}/history"]["get"]["parameters"]
    }
    assert (parameters["before"]["minimum"], parameters["before"]["maximum"]) == (0, 2**31 - 1)
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 500)


def test_a_title_that_cannot_be_cleared_is_not_nullable(document: dict[str, Any]) -> None:
    title = document["components"]["schemas"]["LecturePatch"]["properties"]["title"]
    assert (title["type"], title["minLength"], title["maxLength"]) == ("string", 1, 500)
    assert "anyOf" not in title
    assert "default" not in title


def test_every_answer_is_documented_with_its_media_type(document: dict[str, Any]) -> None:
    read = document["paths"]["/lectures/{lecture_id}"]["get"]["responses"]
    assert "304" in read
    assert "content" not in read["304"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and path not in ("/health", "/ready"):
                    assert set(response["content"]) == {"application/problem+json"}, (
                        path,
                        method,
                        status,
                    )
            if path not in ("/health", "/ready"):
                assert "400" in operation["responses"], (path, method)


def test_only_authenticated_routes_declare_the_bearer_scheme(document: dict[str, Any]) -> None:
    assert "security" not in document
    for path, item in document["paths"].items():
        for operation in item.values():
            public = path in ("/health", "/ready")
            assert ("security" in operation) is not public, path
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/projects", "GET, OPTIONS, POST"),
        ("/lectures/{lecture}", "GET, OPTIONS, PATCH"),
        ("/lectures/{lecture}/history", "GET, OPTIONS"),
        ("/lectures/{lecture}/history/0/restore", "OPTIONS, POST"),
        ("/workflow-runs/{run}", "GET, OPTIONS"),
    ],
)
def test_options_lists_every_method_of_the_path(
    client: Client, auth: Headers, path: str, methods: str
) -> None:
    created = new_lecture(client, auth())
    target = path.format(lecture=created["lectureId"], run=created["runId"])
    response = client.options(target)
    assert (response.status_code, response.headers["allow"]) == (204, methods)
