"""GET and PATCH /lectures/{id}: ETags, conditional requests, conflicts, validation."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import BODY_CAP, Headers
from tests.api.helpers import assert_problem, new_lecture
from tutopanda.models.lecture import LectureSnapshot

Client = TestClient[Litestar]
SCRIPT = {"segments": [{"narration": "Roads.", "backgroundMusic": "drums", "effect": "hooves"}]}


def test_get_returns_the_snapshot_with_its_revision_as_etag(client: Client, auth: Headers) -> None:
    created = new_lecture(client, auth())
    response = client.get(f"/lectures/{created['lectureId']}", headers=auth())
    assert response.status_code == 200
    assert response.headers["etag"] == '"0"'
    body = response.json()
    assert (body["id"], body["projectId"], body["revision"]) == (
        created["lectureId"],
        created["projectId"],
        0,
    )
    assert (body["title"], body["images"], body["timeline"]) == ("Untitled Lecture", [], None)
    assert "updatedAt" in body
    # The database writes this JSON (api.lecture_get_wire): it is what the model would write.
    snapshot = LectureSnapshot.model_validate(body)
    assert body == snapshot.model_dump(mode="json", by_alias=True, exclude_unset=True)
    saved = client.patch(
        f"/lectures/{created['lectureId']}",
        json={"payload": {"title": "Roads", "summary": "Stone and time"}},
        headers={**auth(), "If-Match": '"0"'},
    ).json()
    read = client.get(f"/lectures/{created['lectureId']}", headers=auth()).json()
    assert (read["title"], read["summary"], read["videos"]) == ("Roads", "Stone and time", [])
    assert read["updatedAt"] == saved["updatedAt"]  # the save's answer and the read agree
    assert read == LectureSnapshot.model_validate(read).model_dump(
        mode="json", by_alias=True, exclude_unset=True
    )


def test_if_none_match_gives_304_until_the_lecture_changes(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    unchanged = client.get(lecture, headers={**auth(), "If-None-Match": '"0"'})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["etag"] == '"0"'
    client.patch(lecture, json={"payload": {"title": "New"}}, headers={**auth(), "If-Match": '"0"'})
    changed = client.get(lecture, headers={**auth(), "If-None-Match": 'W/"0", "7"'})
    assert (changed.status_code, changed.json()["title"]) == (200, "New")


def test_another_users_lecture_is_404_like_a_missing_one(client: Client, auth: Headers) -> None:
    lecture_id = new_lecture(client, auth("alice"))["lectureId"]
    theirs = assert_problem(
        client.get(f"/lectures/{lecture_id}", headers=auth("bob")), 404, "not_found"
    )
    missing = assert_problem(client.get("/lectures/999999", headers=auth("bob")), 404, "not_found")
    assert theirs["title"] == missing["title"]
    for path in ("/lectures/99999999999999", "/lectures/-3", "/lectures/abc"):
        assert client.get(path, headers=auth()).status_code in (404, 400), path


def test_save_on_the_current_revision(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    response = client.patch(
        lecture,
        json={"payload": {"title": "Roads", "script": SCRIPT}},
        headers={**auth(), "If-Match": '"0"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["revision"], body["changedSections"]) == (
        "saved",
        1,
        ["script", "title"],
    )
    assert response.headers["etag"] == '"1"'
    stored = client.get(lecture, headers=auth()).json()
    assert (stored["script"], stored["updatedAt"]) == (SCRIPT, body["updatedAt"])


def test_stale_save_is_409_with_the_winners_snapshot(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    client.patch(
        lecture, json={"payload": {"title": "Winner"}}, headers={**auth(), "If-Match": '"0"'}
    )
    stale = client.patch(
        lecture, json={"payload": {"title": "Loser"}}, headers={**auth(), "If-Match": '"0"'}
    )
    problem = assert_problem(stale, 409, "revision_conflict")
    assert (problem["lecture"]["title"], problem["lecture"]["revision"]) == ("Winner", 1)
    assert problem["lecture"]["summary"] is None  # the full snapshot, nulls included
    assert client.get(lecture, headers=auth()).json()["title"] == "Winner"


def test_if_match_is_a_precondition_too(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    saved = client.patch(
        lecture, json={"payload": {"title": "A"}}, headers={**auth(), "If-Match": '"0"'}
    )
    assert saved.status_code == 200
    stale = client.patch(
        lecture, json={"payload": {"title": "B"}}, headers={**auth(), "If-Match": '"0"'}
    )
    assert_problem(stale, 409, "revision_conflict")
    # One strong ETag of a revision, as the server writes it: a strong comparison (RFC 9110)
    # matches that spelling only, so `"01"` is not `"1"`.
    for bad in ("*", "5", 'W/"1"', '"x"', '"01"', '"1", "2"', '"9999999999"', '"2147483648"'):
        response = client.patch(
            lecture, json={"payload": {"title": "B"}}, headers={**auth(), "If-Match": bad}
        )
        problem = assert_problem(response, 422, "validation_failed")
        assert [error["field"] for error in problem["errors"]] == ["If-Match"], bad
    assert client.get(lecture, headers=auth()).json()["revision"] == 1


def test_a_save_names_its_revision_in_if_match_only(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    missing = client.patch(lecture, json={"payload": {"title": "A"}}, headers=auth())
    problem = assert_problem(missing, 422, "validation_failed")
    assert problem["errors"] == [{"field": "If-Match", "message": "missing header parameter"}]
    in_the_body = client.patch(
        lecture,
        json={"baseRevision": 0, "payload": {"title": "A"}},
        headers={**auth(), "If-Match": '"0"'},
    )
    problem = assert_problem(in_the_body, 422, "validation_failed")
    assert [error["field"] for error in problem["errors"]] == ["baseRevision"]
    assert "If-Match" in problem["errors"][0]["message"]  # where the base revision goes now
    assert client.get(lecture, headers=auth()).json()["revision"] == 0


def test_force_and_merge_options(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    client.patch(
        lecture, json={"payload": {"title": "Theirs"}}, headers={**auth(), "If-Match": '"0"'}
    )
    merged = client.patch(
        lecture,
        json={"merge": True, "payload": {"summary": "Mine"}},
        headers={**auth(), "If-Match": '"0"'},
    )
    assert (merged.status_code, merged.json()["revision"]) == (200, 2)
    forced = client.patch(
        lecture,
        json={"force": True, "payload": {"title": "Mine"}},
        headers={**auth(), "If-Match": '"0"'},
    )
    assert (forced.status_code, forced.json()["revision"]) == (200, 3)
    history = client.get(f"{lecture}/history", headers=auth()).json()["items"]
    assert [item["forced"] for item in history] == [True, False, False, False]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"payload": {"chapters": []}}, "payload.chapters"),
        ({"payload": {"title": ""}}, "payload.title"),
        ({"payload": {}}, "payload"),
        ({"payload": {"title": "x"}, "extra": 1}, "extra"),
        ({}, "payload"),
        ({"payload": {"images": [{"id": "i"}]}}, "payload.images"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(
    client: Client, auth: Headers, body: dict[str, object], field: str
) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    on_0 = {**auth(), "If-Match": '"0"'}
    problem = assert_problem(
        client.patch(lecture, json=body, headers=on_0), 422, "validation_failed"
    )
    assert any(error["field"].startswith(field) for error in problem["errors"]), problem
    assert client.get(lecture, headers=auth()).json()["revision"] == 0


@pytest.mark.parametrize(
    "raw",
    [
        b'{"payload": {"title": "a\\u0000b"}}',
        b'{"payload": {"title": "x"',
        b"\xff\xfe not json",
        b'{"force": 1e999, "payload": {"title": "x"}}',
        b'{"payload": {"images": [{"id": "i", "prompt": "p", "x": '
        + b"[" * 5000
        + b"]" * 5000
        + b"}]}}",
        b'{"payload": {"images": [{"id": "i", "prompt": "p", "x": '
        + b"[" * 250
        + b"]" * 250
        + b"}]}}",
        b'{"payload": {"images": [{"id": "i", "prompt": "p", "x": 1e400}]}}',
        b'{"payload": {"images": [{"id": "i", "prompt": "p", "x": NaN}]}}',
        b'{"payload": {"title": "a\\ud800"}}',
        b'{"merge": true, "merge": true, "payload": {"title": "x"}}',
        b'{"payload": {"title": "x", "summary": "s", "title": "y"}}',
        b"[]",
        b"null",
        # Clips ending past the largest double: no duration a timeline can store.
        b'{"payload":{"timeline":{"tracks":{"voice":[{"id":"c","name":"n","kind":"voice",'
        b'"startTime":1e308,"duration":1e308}]}}}}',
        b'{"payload":{"timeline":{"tracks":{"voice":[{"id":"c","name":"n","kind":"voice",'
        b'"startTime":1' + b"0" * 309 + b',"duration":1}]}}}}',
    ],
)
def test_hostile_bodies_never_500_and_write_nothing(
    client: Client, auth: Headers, raw: bytes
) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    response = client.patch(
        lecture,
        content=raw,
        headers={**auth(), "Content-Type": "application/json", "If-Match": '"0"'},
    )
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get(lecture, headers=auth()).json()["revision"] == 0


def test_bodies_over_the_cap_are_413_and_write_nothing(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    huge = {"payload": {"summary": "x" * (BODY_CAP + 10)}}
    on_0 = {**auth(), "If-Match": '"0"'}
    assert_problem(client.patch(lecture, json=huge, headers=on_0), 413, "payload_too_large")
    assert client.get(lecture, headers=auth()).json()["revision"] == 0


def test_wrong_json_types_are_422_and_write_nothing(client: Client, auth: Headers) -> None:
    """No coercion: `"yes"` is not true (it once forced a stale save), 1 is not true."""
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    client.patch(
        lecture, json={"payload": {"title": "Theirs"}}, headers={**auth(), "If-Match": '"0"'}
    )
    for body, if_match, field in [
        ({"force": "yes", "payload": {"title": "Mine"}}, '"0"', "force"),
        ({"force": 1, "payload": {"title": "Mine"}}, '"0"', "force"),
        ({"merge": "no", "payload": {"title": "Mine"}}, '"1"', "merge"),
    ]:
        headers = {**auth(), "If-Match": if_match}
        problem = assert_problem(
            client.patch(lecture, json=body, headers=headers), 422, "validation_failed"
        )
        assert [error["field"] for error in problem["errors"]] == [field], body
    history = client.get(f"{lecture}/history", headers=auth()).json()["items"]
    assert ([item["revision"] for item in history], history[0]["forced"]) == ([1, 0], False)


def test_duplicate_keys_are_400_not_last_wins(client: Client, auth: Headers) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    client.patch(
        lecture, json={"payload": {"title": "Theirs"}}, headers={**auth(), "If-Match": '"0"'}
    )
    raw = b'{"force":false,"force":true,"payload":{"title":"Mine"}}'
    response = client.patch(
        lecture,
        content=raw,
        headers={**auth(), "Content-Type": "application/json", "If-Match": '"0"'},
    )
    assert_problem(response, 400, "bad_request")
    assert client.get(lecture, headers=auth()).json()["title"] == "Theirs"


def test_passthrough_items_are_strict_on_known_keys_and_keep_the_others(
    client: Client, auth: Headers
) -> None:
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    clip = {"id": "v", "name": "n", "kind": "voice", "startTime": 0, "duration": 2}
    extra = {"editorPin": {"locked": True, "notes": ["a", 1, None]}, "zIndex": 3}
    wrong = {**clip, "startTime": "0"}
    refused = client.patch(
        lecture,
        json={"payload": {"timeline": {"tracks": {"voice": [wrong]}}}},
        headers={**auth(), "If-Match": '"0"'},
    )
    problem = assert_problem(refused, 422, "validation_failed")
    assert problem["errors"][0]["field"].endswith("startTime")
    image = {"id": "i", "prompt": "p", "width": 640, "height": 360.5, **extra}
    saved = client.patch(
        lecture,
        json={
            "payload": {"images": [image], "timeline": {"tracks": {"voice": [{**clip, **extra}]}}},
        },
        headers={**auth(), "If-Match": '"0"'},
    )
    assert saved.status_code == 200, saved.text
    stored = client.get(lecture, headers=auth()).json()
    # The snapshot also lists, as null, the known keys that were not sent.
    assert _without_nulls(stored["images"]) == [image]
    assert _without_nulls(stored["timeline"]["tracks"]["voice"]) == [{**clip, **extra}]


def _without_nulls(items: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{key: value for key, value in item.items() if value is not None} for item in items]
