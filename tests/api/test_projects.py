"""POST and GET /projects (a page at a time)."""

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
    page = client.get("/projects", headers=auth("alice")).json()
    assert page["nextBefore"] is None
    projects = page["items"]
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
    assert client.get("/projects", headers=auth()).json() == {"items": [], "nextBefore": None}


def test_pages_walk_every_project_once_newest_first(client: Client, auth: Headers) -> None:
    created = [new_lecture(client, auth(), f"Topic {n}")["projectId"] for n in range(5)]
    new_lecture(client, auth("bob"), "Not yours")
    seen: list[int] = []
    pages = 0
    query: dict[str, int] = {"limit": 2}
    while True:
        page = client.get("/projects", params=query, headers=auth()).json()
        pages += 1
        seen += [project["id"] for project in page["items"]]
        if page["nextBefore"] is None:
            break
        assert page["nextBefore"] == page["items"][-1]["id"]
        query = {"limit": 2, "before": page["nextBefore"]}
    assert (seen, pages) == (created[::-1], 3)
    exact = client.get("/projects", params={"limit": 5}, headers=auth()).json()
    assert (len(exact["items"]), exact["nextBefore"]) == (5, None)  # no empty last page
    default = client.get("/projects", headers=auth()).json()
    assert [p["id"] for p in default["items"]] == created[::-1]


def test_a_page_out_of_range_is_422_naming_the_parameter(client: Client, auth: Headers) -> None:
    for query, field in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("before=0", "before"),
        ("before=2147483648", "before"),
    ]:
        problem = assert_problem(
            client.get(f"/projects?{query}", headers=auth()), 422, "validation_failed"
        )
        assert [e["field"] for e in problem["errors"]] == [field], (query, problem)
    assert client.get("/projects?limit=200", headers=auth()).status_code == 200
