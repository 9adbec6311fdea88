"""History routes: list (paged), one revision, restore."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import assert_problem, new_lecture

Client = TestClient[Litestar]


def lecture_with_titles(client: Client, auth: Headers, *titles: str) -> str:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    for revision, title in enumerate(titles):
        saved = client.patch(
            lecture,
            json={"payload": {"title": title}},
            headers={**auth(), "If-Match": f'"{revision}"'},
        )
        assert saved.status_code == 200, saved.text
    return lecture


def test_history_pages_newest_first(client: Client, auth: Headers) -> None:
    lecture = lecture_with_titles(client, auth, "A", "B", "C")
    first = client.get(f"{lecture}/history?limit=2", headers=auth()).json()
    assert [i["revision"] for i in first["items"]] == [3, 2]
    assert first["nextBefore"] == 2
    rest = client.get(f"{lecture}/history?limit=2&before=2", headers=auth()).json()
    assert [i["revision"] for i in rest["items"]] == [1, 0]
    assert rest["nextBefore"] is None
    assert {i["createdBy"] for i in first["items"]} == {"alice"}


def test_one_revision_and_its_content(client: Client, auth: Headers) -> None:
    lecture = lecture_with_titles(client, auth, "A", "B")
    revision = client.get(f"{lecture}/history/1", headers=auth()).json()
    assert (revision["revision"], revision["data"]["title"], revision["changedSections"]) == (
        1,
        "A",
        ["title"],
    )
    assert_problem(client.get(f"{lecture}/history/9", headers=auth()), 404, "not_found")
    assert_problem(client.get(f"{lecture}/history/1", headers=auth("bob")), 404, "not_found")


def test_restore_is_a_new_revision_and_respects_the_base(client: Client, auth: Headers) -> None:
    lecture = lecture_with_titles(client, auth, "Good", "Bad")
    restored = client.post(f"{lecture}/history/1/restore", headers={**auth(), "If-Match": '"2"'})
    assert (restored.status_code, restored.json()["revision"]) == (200, 3)
    assert client.get(lecture, headers=auth()).json()["title"] == "Good"
    stale = client.post(
        f"{lecture}/history/2/restore", json={}, headers={**auth(), "If-Match": '"2"'}
    )
    assert assert_problem(stale, 409, "revision_conflict")["lecture"]["revision"] == 3
    problem = assert_problem(
        client.post(f"{lecture}/history/2/restore", json={}, headers=auth()),
        422,
        "validation_failed",
    )
    assert [error["field"] for error in problem["errors"]] == ["If-Match"]


def test_bad_paging_parameters_are_422(client: Client, auth: Headers) -> None:
    lecture = lecture_with_titles(client, auth, "A")
    for query in ("limit=0", "limit=501", "limit=x", "before=-1", "before=null"):
        problem = assert_problem(
            client.get(f"{lecture}/history?{query}", headers=auth()), 422, "validation_failed"
        )
        assert problem["errors"], query
