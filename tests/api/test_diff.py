"""GET /lectures/{id}/diff: JSON Patch per section between two revisions of my lecture."""

from __future__ import annotations

import jsonpatch
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import assert_problem, new_lecture

Client = TestClient[Litestar]
SCRIPT = {
    "segments": [
        {"narration": "One.", "backgroundMusic": "m", "effect": "e"},
        {"narration": "Two.", "backgroundMusic": "m", "effect": "e"},
    ]
}


def test_diff_between_two_revisions(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    client.patch(
        lecture, json={"payload": {"script": SCRIPT}}, headers={**auth(), "If-Match": '"0"'}
    )
    edited = {"segments": [{**SCRIPT["segments"][0], "narration": "Uno."}]}
    client.patch(
        lecture,
        json={"payload": {"script": edited, "title": "T"}},
        headers={**auth(), "If-Match": '"1"'},
    )
    response = client.get(f"{lecture}/diff?from=1&to=2", headers=auth())
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["to"]) == (1, 2)
    assert body["sections"]["title"] == [{"op": "replace", "path": "", "value": "T"}]
    assert body["sections"]["script"] == [
        {"op": "replace", "path": "/segments/0/narration", "value": "Uno."},
        {"op": "remove", "path": "/segments/1"},
    ]
    assert jsonpatch.apply_patch(SCRIPT, body["sections"]["script"]) == edited
    backwards = client.get(f"{lecture}/diff?from=2&to=1", headers=auth()).json()
    assert jsonpatch.apply_patch(edited, backwards["sections"]["script"]) == SCRIPT
    assert client.get(f"{lecture}/diff?from=2&to=2", headers=auth()).json()["sections"] == {}


def test_diff_errors(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    assert_problem(client.get(f"{lecture}/diff?from=0&to=5", headers=auth()), 404, "not_found")
    assert_problem(client.get(f"{lecture}/diff?from=0&to=0", headers=auth("bob")), 404, "not_found")
    # Each parameter named as the client sent it (`from`, not the handler's `from_revision`),
    # missing or malformed alike.
    for query, field in [
        ("from=0", "to"),
        ("to=0", "from"),
        ("from=a&to=0", "from"),
        ("from=-1&to=0", "from"),
        ("from=0&to=2147483648", "to"),
    ]:
        problem = assert_problem(
            client.get(f"{lecture}/diff?{query}", headers=auth()), 422, "validation_failed"
        )
        assert [error["field"] for error in problem["errors"]] == [field], query


def test_diff_names_who_made_each_revision(client: Client, auth: Headers) -> None:
    created = new_lecture(client, auth("alice"))
    lecture = f"/lectures/{created['lectureId']}"
    shared = client.put(
        f"/projects/{created['projectId']}/members/bob",
        json={"role": "editor"},
        headers=auth("alice"),
    )
    assert shared.status_code == 200, shared.text
    for revision, user in enumerate(("alice", "bob")):
        saved = client.patch(
            lecture,
            json={"payload": {"title": f"By {user}"}},
            headers={**auth(user), "If-Match": f'"{revision}"'},
        )
        assert saved.status_code == 200, saved.text
    body = client.get(f"{lecture}/diff?from=1&to=2", headers=auth("bob")).json()
    assert (body["fromCreatedBy"], body["toCreatedBy"]) == ("alice", "bob")
    history = client.get(f"{lecture}/history", headers=auth("bob")).json()["items"]
    assert [(i["revision"], i["createdBy"]) for i in history][:2] == [(2, "bob"), (1, "alice")]
