"""`/projects/{id}/members`: sharing a project with roles, enforced by the database."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import assert_problem, new_lecture

Client = TestClient[Litestar]


def share(
    client: Client, auth: Headers, project: int, user: str, role: str, *, by: str = "alice"
) -> Any:
    return client.put(f"/projects/{project}/members/{user}", json={"role": role}, headers=auth(by))


def test_the_creator_is_the_first_owner(client: Client, auth: Headers) -> None:
    created = new_lecture(client, auth())
    members = client.get(f"/projects/{created['projectId']}/members", headers=auth()).json()
    assert [(m["userId"], m["role"], m["addedBy"]) for m in members] == [
        ("alice", "owner", "alice")
    ]
    listed = client.get("/projects", headers=auth()).json()["items"]
    assert [(p["id"], p["role"]) for p in listed] == [(created["projectId"], "owner")]


def test_a_shared_project_is_listed_with_the_callers_role(client: Client, auth: Headers) -> None:
    shared = new_lecture(client, auth("alice"), "Shared")
    own = new_lecture(client, auth("bob"), "Own")
    response = share(client, auth, shared["projectId"], "bob", "editor")
    assert response.status_code == 200, response.text
    assert (response.json()["userId"], response.json()["role"]) == ("bob", "editor")
    listed = client.get("/projects", headers=auth("bob")).json()["items"]
    assert [(p["id"], p["role"]) for p in listed] == [
        (own["projectId"], "owner"),
        (shared["projectId"], "editor"),
    ]
    members = client.get(f"/projects/{shared['projectId']}/members", headers=auth("bob")).json()
    assert [(m["userId"], m["role"]) for m in members] == [("alice", "owner"), ("bob", "editor")]


def test_an_editor_writes_and_a_viewer_only_reads(client: Client, auth: Headers) -> None:
    created = new_lecture(client, auth())
    project, lecture = created["projectId"], created["lectureId"]
    share(client, auth, project, "bob", "editor")
    share(client, auth, project, "carol", "viewer")
    saved = client.patch(
        f"/lectures/{lecture}",
        json={"payload": {"title": "By bob"}},
        headers={**auth("bob"), "If-Match": '"0"'},
    )
    assert saved.status_code == 200, saved.text
    assert client.get(f"/lectures/{lecture}", headers=auth("carol")).json()["title"] == "By bob"
    refused = client.patch(
        f"/lectures/{lecture}",
        json={"payload": {"title": "By carol"}},
        headers={**auth("carol"), "If-Match": '"1"'},
    )
    problem = assert_problem(refused, 403, "forbidden")
    assert "viewer" in problem["detail"]
    history = client.get(f"/lectures/{lecture}/history", headers=auth("carol")).json()
    assert [item["createdBy"] for item in history["items"]][:1] == ["bob"]


def test_only_an_owner_changes_members(client: Client, auth: Headers) -> None:
    project = new_lecture(client, auth())["projectId"]
    share(client, auth, project, "bob", "editor")
    share(client, auth, project, "carol", "viewer")
    for by in ("bob", "carol"):
        assert_problem(share(client, auth, project, "dave", "viewer", by=by), 403, "forbidden")
        removal = client.delete(f"/projects/{project}/members/alice", headers=auth(by))
        assert_problem(removal, 403, "forbidden")
    stranger = assert_problem(
        share(client, auth, project, "dave", "owner", by="dave"), 404, "not_found"
    )
    missing = assert_problem(
        share(client, auth, 999_999, "dave", "owner", by="dave"), 404, "not_found"
    )
    assert stranger["detail"].replace(str(project), "N") == missing["detail"].replace("999999", "N")
    members = client.get(f"/projects/{project}/members", headers=auth()).json()
    assert [m["userId"] for m in members] == ["alice", "bob", "carol"]


def test_the_last_owner_cannot_be_removed_nor_demoted(client: Client, auth: Headers) -> None:
    project = new_lecture(client, auth())["projectId"]
    assert_problem(share(client, auth, project, "alice", "editor"), 409, "last_owner")
    removal = client.delete(f"/projects/{project}/members/alice", headers=auth())
    assert_problem(removal, 409, "last_owner")
    share(client, auth, project, "bob", "owner")
    assert share(client, auth, project, "alice", "viewer").json()["role"] == "viewer"
    assert_problem(share(client, auth, project, "bob", "viewer", by="bob"), 409, "last_owner")
    assert (
        client.delete(f"/projects/{project}/members/alice", headers=auth("bob")).status_code == 204
    )


def test_a_removed_member_gets_404_on_the_next_request(client: Client, auth: Headers) -> None:
    created = new_lecture(client, auth())
    project, lecture = created["projectId"], created["lectureId"]
    share(client, auth, project, "bob", "editor")
    assert client.get(f"/lectures/{lecture}", headers=auth("bob")).status_code == 200
    assert client.delete(f"/projects/{project}/members/bob", headers=auth()).status_code == 204
    assert_problem(client.get(f"/lectures/{lecture}", headers=auth("bob")), 404, "not_found")
    assert_problem(client.get(f"/projects/{project}", headers=auth("bob")), 404, "not_found")
    events = client.get(f"/lectures/{lecture}/events", headers=auth("bob"))
    assert_problem(events, 404, "not_found")  # his open streams end (tests/api/test_presence.py)
    assert client.get("/projects", headers=auth("bob")).json()["items"] == []
    again = client.delete(f"/projects/{project}/members/bob", headers=auth())
    assert_problem(again, 404, "not_found")


def test_the_same_role_again_changes_nothing(client: Client, auth: Headers) -> None:
    project = new_lecture(client, auth())["projectId"]
    first = share(client, auth, project, "bob", "viewer").json()
    assert share(client, auth, project, "bob", "viewer").json() == first
    changed = share(client, auth, project, "bob", "editor").json()
    assert (changed["addedAt"], changed["role"]) == (first["addedAt"], "editor")
    assert changed["updatedAt"] > first["updatedAt"]


@pytest.mark.parametrize(
    ("user_id", "field"),
    [
        ("x" * 201, "user_id"),
        ("x" * 256, "user_id"),
        ("bob%01", "user_id"),
        ("bob%7F", "user_id"),
        ("%C2%85", "user_id"),
    ],
)
def test_a_user_id_that_breaks_the_rule_is_422(
    client: Client, auth: Headers, user_id: str, field: str
) -> None:
    project = new_lecture(client, auth())["projectId"]
    for response in (
        client.put(
            f"/projects/{project}/members/{user_id}", json={"role": "viewer"}, headers=auth()
        ),
        client.delete(f"/projects/{project}/members/{user_id}", headers=auth()),
    ):
        problem = assert_problem(response, 422, "validation_failed")
        assert [e["field"] for e in problem["errors"]] == [field], problem


def test_an_empty_user_id_names_no_member(client: Client, auth: Headers) -> None:
    """An empty user id is the collection's path: PUT or DELETE there is 405, nothing changes
    (api.project_member_set refuses an empty id itself: tests/db/test_members_property.py)."""
    project = new_lecture(client, auth())["projectId"]
    response = client.put(f"/projects/{project}/members/", json={"role": "viewer"}, headers=auth())
    assert_problem(response, 405, "method_not_allowed")
    removal = client.delete(f"/projects/{project}/members/", headers=auth())
    assert_problem(removal, 405, "method_not_allowed")


@pytest.mark.parametrize("body", [{"role": "admin"}, {"role": None}, {}, {"role": "owner", "x": 1}])
def test_a_role_that_is_not_one_of_the_three_is_422(
    client: Client, auth: Headers, body: dict[str, Any]
) -> None:
    project = new_lecture(client, auth())["projectId"]
    response = client.put(f"/projects/{project}/members/bob", json=body, headers=auth())
    assert_problem(response, 422, "validation_failed")
    assert [
        m["userId"] for m in client.get(f"/projects/{project}/members", headers=auth()).json()
    ] == ["alice"]
