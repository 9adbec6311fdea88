"""The OpenAPI document states what the API does: the defects schemathesis found stay fixed."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import new_lecture
from tutopanda.api.preconditions import IF_MATCH_PATTERN

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


def _operation(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][path][method]
    return operation


def test_a_parameter_left_out_is_never_null(document: dict[str, Any], client: Client) -> None:
    """Litestar documents an optional parameter as `oneOf: [X, null]` and reads `?before=null`
    as left out: the document says X only, and the server refuses the text `null`."""
    for item in document["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                assert "oneOf" not in parameter["schema"], parameter
    before = {
        parameter["name"]: parameter["schema"]
        for parameter in _operation(document, "/lectures/{lecture_id}/history", "get")["parameters"]
    }["before"]
    assert before["type"] == "integer"


def test_if_match_is_required_with_the_servers_pattern(document: dict[str, Any]) -> None:
    for path, method in [
        ("/lectures/{lecture_id}", "patch"),
        ("/lectures/{lecture_id}/history/{revision}/restore", "post"),
        ("/projects/{project_id}", "patch"),
    ]:
        (if_match,) = [
            parameter
            for parameter in _operation(document, path, method)["parameters"]
            if parameter["name"] == "If-Match"
        ]
        assert if_match["required"] is True
        assert if_match["schema"]["pattern"] == IF_MATCH_PATTERN
        body = _operation(document, path, method)["requestBody"]["content"]["application/json"]
        schema = document["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[1]]
        assert "baseRevision" not in schema["properties"]
    pattern = re.compile(IF_MATCH_PATTERN)
    for good in ('"0"', '"7"', '"2147483647"'):
        assert pattern.match(good), good
    for bad in ('"01"', '"2147483648"', '"-1"', 'W/"1"', "*", "1", '"1", "2"'):
        assert not pattern.match(bad), bad


def test_an_optional_body_may_be_left_out_but_is_not_null(
    document: dict[str, Any], client: Client, auth: Headers
) -> None:
    optional = [
        ("/workflow-runs/{run_id}/accept", "post", "AcceptRequest"),
        ("/lectures/{lecture_id}/assets/{asset_kind}/{asset_id}/regenerate", "post", None),
        ("/lectures/{lecture_id}/history/{revision}/restore", "post", "RestoreRequest"),
    ]
    for path, method, model in optional:
        body = _operation(document, path, method)["requestBody"]
        assert body["required"] is False, path
        schema = body["content"]["application/json"]["schema"]
        assert set(schema) == {"$ref"}, path
        assert model is None or schema["$ref"].endswith(f"/{model}")
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    on_0 = {**auth(), "If-Match": '"0"', "Content-Type": "application/json"}
    null = client.post(f"{lecture}/history/0/restore", content=b"null", headers=on_0)
    assert null.status_code == 422
    left_out = client.post(f"{lecture}/history/0/restore", headers=on_0)
    assert left_out.status_code == 200, left_out.text


def test_a_409_that_keeps_a_draft_links_to_the_drafts_routes(document: dict[str, Any]) -> None:
    operation_ids = {
        (path, method): operation["operationId"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    drafts = "/lectures/{lecture_id}/drafts/{draft_id}"
    for path, method in [
        ("/lectures/{lecture_id}", "patch"),
        ("/lectures/{lecture_id}/history/{revision}/restore", "post"),
    ]:
        links = _operation(document, path, method)["responses"]["409"]["links"]
        assert {link["operationId"] for link in links.values()} == {
            operation_ids[(drafts, "get")],
            operation_ids[(f"{drafts}/apply", "post")],
            operation_ids[(drafts, "delete")],
        }
        for link in links.values():
            assert link["parameters"] == {
                "lecture_id": "$request.path.lecture_id",
                "draft_id": "$response.body#/draftId",
            }


def test_from_step_is_bounded_by_the_steps_of_its_kind(
    document: dict[str, Any], client: Client, auth: Headers
) -> None:
    schema = document["components"]["schemas"]["WorkflowStartRequest"]
    bounds = {
        branch["properties"]["kind"]["const"]: branch["properties"]["fromStep"]["maximum"]
        for branch in schema["anyOf"]
    }
    assert bounds == {"lecture_generation": 6, "timeline_resynthesis": 1}
    assert schema["properties"]["fromStep"]["maximum"] == 6
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    for body in ({"fromStep": 2}, {"kind": "lecture_generation", "fromStep": 7}):
        refused = client.post(f"{lecture}/workflows", json=body, headers=auth())
        assert refused.status_code == 422, body
        assert [error["field"] for error in refused.json()["errors"]] == ["fromStep"]
    # A well-formed run id that names no generation run of this lecture: 404, like an unknown id.
    unknown_run = {"kind": "lecture_generation", "originalRunId": str(uuid.uuid4())}
    missing = client.post(f"{lecture}/workflows", json=unknown_run, headers=auth())
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_no_string_of_the_document_holds_nul(document: dict[str, Any]) -> None:
    """PostgreSQL cannot store NUL: the server refuses a body holding one (400), and the
    document says so of every string, keys of open objects included."""
    holds_nul = {"pattern": "\\u0000"}
    schemas = document["components"]["schemas"]
    for node in _walk(schemas):
        if not isinstance(node, dict):
            continue
        if node.get("type") == "string" and not {"enum", "const", "pattern", "format"} & set(node):
            assert node.get("not") == holds_nul, node
        if node.get("additionalProperties", False) is not False:
            assert node["propertyNames"] == {"not": holds_nul}, node
    json_value = schemas["JsonValue"]["anyOf"]
    assert {"type": "string", "not": holds_nul} in json_value
    assert re.search(holds_nul["pattern"], "a\x00b")
