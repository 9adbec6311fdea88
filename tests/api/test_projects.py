"""POST and GET /projects."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import assert_problem, new_lecture

Client = TestClient[Litestar]


def test_create_answers_201_with_ids_and_location(client: Client, auth: Headers) -> None:
    response = client.post(
        "/projects",
        json={
            "prompt": "The Silk Road",
            "name": "History",
            "settings": {"general": {"duration": "30"}},
        },
        headers=auth(),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"projectId", "lectureId", "runId"}
    assert response.headers["location"] == f"/lectures/{body['lectureId']}"
    run = client.get(f"/workflow-runs/{body['runId']}", headers=auth()).json()
    assert (run["status"], run["totalSteps"], run["kind"]) == ("queued", 6, "lecture_generation")


def test_list_shows_my_projects_with_their_lectures_only(client: Client, auth: Headers) -> None:
    mine = new_lecture(client, auth("alice"), "First")
    newer = new_lecture(client, auth("alice"), "Second")
    new_lecture(client, auth("bob"), "Not yours")
    projects = client.get("/projects", headers=auth("alice")).json()
    assert [p["id"] for p in projects] == [newer["projectId"], mine["projectId"]]
    assert projects[0]["lectures"][0]["id"] == newer["lectureId"]
    assert projects[0]["lectures"][0]["revision"] == 0
    assert projects[0]["settings"]["general"]["duration"] == "60"


def test_invalid_create_bodies_name_the_field(client: Client, auth: Headers) -> None:
    for body, field in [
        ({}, "prompt"),
        ({"prompt": ""}, "prompt"),
        ({"prompt": "x", "settings": {"general": {"duration": "7"}}}, "settings.general.duration"),
        ({"prompt": "x", "owner": "mallory"}, "owner"),
    ]:
        problem = assert_problem(
            client.post("/projects", json=body, headers=auth()), 422, "validation_failed"
        )
        assert any(e["field"].startswith(field) for e in problem["errors"]), (field, problem)
    assert client.get("/projects", headers=auth()).json() == []
