"""Conflict drafts in a shared project: the author's, and every member's for an owner."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import assert_problem, new_lecture

Client = TestClient[Litestar]


def shared_lecture(client: Client, auth: Headers) -> int:
    """alice's lecture at revision 1, shared with the editors bob and dave."""
    created = new_lecture(client, auth("alice"))
    for user in ("bob", "dave"):
        put = client.put(
            f"/projects/{created['projectId']}/members/{user}",
            json={"role": "editor"},
            headers=auth("alice"),
        )
        assert put.status_code == 200, put.text
    lecture: int = created["lectureId"]
    saved = client.patch(
        f"/lectures/{lecture}",
        json={"payload": {"title": "By alice"}},
        headers={**auth("alice"), "If-Match": '"0"'},
    )
    assert saved.status_code == 200, saved.text
    return lecture


def refused(client: Client, auth: Headers, lecture: int, user: str) -> int:
    """The draft kept of `user`'s save on the stale revision 0."""
    response = client.patch(
        f"/lectures/{lecture}",
        json={"payload": {"summary": f"By {user}"}},
        headers={**auth(user), "If-Match": '"0"'},
    )
    assert response.status_code == 409, response.text
    draft: int = response.json()["draftId"]
    return draft


def listed(client: Client, auth: Headers, lecture: int, user: str) -> list[tuple[Any, ...]]:
    response = client.get(f"/lectures/{lecture}/drafts", headers=auth(user))
    assert response.status_code == 200, response.text
    return [(d["id"], d["userId"], d["sections"]) for d in response.json()]


def test_an_owner_sees_every_members_drafts_an_editor_only_their_own(
    client: Client, auth: Headers
) -> None:
    lecture = shared_lecture(client, auth)
    bobs, daves = refused(client, auth, lecture, "bob"), refused(client, auth, lecture, "dave")
    assert listed(client, auth, lecture, "alice") == [
        (bobs, "bob", {"summary": "By bob"}),
        (daves, "dave", {"summary": "By dave"}),
    ]
    assert listed(client, auth, lecture, "bob") == [(bobs, "bob", {"summary": "By bob"})]
    assert listed(client, auth, lecture, "dave") == [(daves, "dave", {"summary": "By dave"})]
    for user in ("alice", "bob"):
        read = client.get(f"/lectures/{lecture}/drafts/{bobs}", headers=auth(user))
        assert read.status_code == 200, read.text
        assert (read.json()["userId"], read.json()["sections"]) == ("bob", {"summary": "By bob"})


def test_another_editors_draft_is_404_like_a_missing_one(client: Client, auth: Headers) -> None:
    lecture = shared_lecture(client, auth)
    bobs = refused(client, auth, lecture, "bob")
    drafts = f"/lectures/{lecture}/drafts"
    for draft in (bobs, bobs + 1000):  # bob's, and one that does not exist: the same answer
        assert_problem(client.get(f"{drafts}/{draft}", headers=auth("dave")), 404, "not_found")
        deleted = client.delete(f"{drafts}/{draft}", headers=auth("dave"))
        assert_problem(deleted, 404, "not_found")
        applied = client.post(f"{drafts}/{draft}/apply", headers=auth("dave"))
        assert_problem(applied, 404, "not_found")
    assert listed(client, auth, lecture, "dave") == []
    assert listed(client, auth, lecture, "bob") == [(bobs, "bob", {"summary": "By bob"})]


def test_an_owner_applies_and_discards_members_drafts(client: Client, auth: Headers) -> None:
    lecture = shared_lecture(client, auth)
    bobs, daves = refused(client, auth, lecture, "bob"), refused(client, auth, lecture, "dave")
    applied = client.post(f"/lectures/{lecture}/drafts/{bobs}/apply", headers=auth("alice"))
    assert applied.status_code == 200, applied.text
    assert (applied.json()["revision"], applied.json()["mergedOnto"]) == (2, 1)
    history = client.get(f"/lectures/{lecture}/history", headers=auth("bob")).json()["items"]
    assert [(i["revision"], i["createdBy"]) for i in history][:2] == [(2, "alice"), (1, "alice")]
    summary = client.get(f"/lectures/{lecture}", headers=auth("bob")).json()["summary"]
    assert summary == "By bob"
    discarded = client.delete(f"/lectures/{lecture}/drafts/{daves}", headers=auth("alice"))
    assert discarded.status_code == 204, discarded.text
    for user in ("alice", "bob", "dave"):
        assert listed(client, auth, lecture, user) == []
    again = client.get(f"/lectures/{lecture}/drafts/{bobs}", headers=auth("bob"))
    assert_problem(again, 404, "not_found")
