"""`Idempotency-Key`: a retried write gets its first answer and does nothing again."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import assert_problem, new_lecture, write_operations
from tests.support.sql import test_query

Client = TestClient[Litestar]
Conn = psycopg.Connection[tuple[Any, ...]]


def keyed(headers: dict[str, str], key: str, **more: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key, **more}


def count(admin_conn: Conn, name: str) -> int:
    row = admin_conn.execute(test_query(name)).fetchone()
    assert row is not None
    return int(row[0])


def test_a_retried_create_answers_the_first_project_and_starts_one_run(
    client: Client, auth: Headers, admin_conn: Conn
) -> None:
    body = {"prompt": "Tides"}
    first = client.post("/projects", json=body, headers=keyed(auth(), "create-1"))
    again = client.post("/projects", json=body, headers=keyed(auth(), "create-1"))
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert (count(admin_conn, "project_count"), count(admin_conn, "run_count")) == (1, 1)


def test_a_retried_save_is_the_same_revision_not_a_conflict(
    client: Client, auth: Headers, admin_conn: Conn
) -> None:
    lecture = new_lecture(client, auth())["lectureId"]
    save = {"payload": {"title": "Tides"}}
    on_0 = keyed({**auth(), "If-Match": '"0"'}, "save-1")
    first = client.patch(f"/lectures/{lecture}", json=save, headers=on_0)
    again = client.patch(f"/lectures/{lecture}", json=save, headers=on_0)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"] == '"1"'
    assert client.get(f"/lectures/{lecture}/drafts", headers=auth()).json() == []
    assert count(admin_conn, "revision_count") == 2  # revision 0 and the one save


def test_a_conflict_is_kept_with_its_draft_and_replayed(client: Client, auth: Headers) -> None:
    lecture = new_lecture(client, auth())["lectureId"]
    client.patch(
        f"/lectures/{lecture}",
        json={"payload": {"title": "A"}},
        headers={**auth(), "If-Match": '"0"'},
    )
    stale = {"payload": {"title": "B"}}
    on_0 = keyed({**auth(), "If-Match": '"0"'}, "stale")
    first = client.patch(f"/lectures/{lecture}", json=stale, headers=on_0)
    again = client.patch(f"/lectures/{lecture}", json=stale, headers=on_0)
    assert_problem(first, 409, "revision_conflict")
    # The first answer byte for byte: its requestId names the request that did the work.
    assert (again.status_code, again.json()) == (409, first.json())
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert len(client.get(f"/lectures/{lecture}/drafts", headers=auth()).json()) == 1


def test_the_same_key_for_another_request_is_422_and_writes_nothing(
    client: Client, auth: Headers, admin_conn: Conn
) -> None:
    client.post("/projects", json={"prompt": "Tides"}, headers=keyed(auth(), "k"))
    other = client.post("/projects", json={"prompt": "Reefs"}, headers=keyed(auth(), "k"))
    problem = assert_problem(other, 422, "idempotency_key_reused")
    assert [error["field"] for error in problem["errors"]] == ["Idempotency-Key"]
    assert count(admin_conn, "project_count") == 1


def test_keys_belong_to_their_user(client: Client, auth: Headers, admin_conn: Conn) -> None:
    for user in ("alice", "bob"):
        response = client.post("/projects", json={"prompt": user}, headers=keyed(auth(user), "k"))
        assert response.status_code == 201
        assert "idempotent-replayed" not in response.headers
    assert count(admin_conn, "project_count") == 2


def test_without_a_key_every_request_writes(
    client: Client, auth: Headers, admin_conn: Conn
) -> None:
    for _ in range(2):
        client.post("/projects", json={"prompt": "Tides"}, headers=auth())
    assert count(admin_conn, "project_count") == 2


def test_a_refused_request_keeps_nothing(client: Client, auth: Headers) -> None:
    """A write that failed wrote nothing: its key is free for the request that works."""
    missing = {"payload": {"title": "x"}}
    on_0 = keyed({**auth(), "If-Match": '"0"'}, "k")
    refused = client.patch("/lectures/999", json=missing, headers=on_0)
    assert_problem(refused, 404, "not_found")
    lecture = new_lecture(client, auth())["lectureId"]
    works = client.patch(f"/lectures/{lecture}", json=missing, headers=on_0)
    assert works.status_code == 200, works.text


@pytest.mark.parametrize(
    "key", ["", " ", "x" * 256, "clé", 'a"b', "a b", "\t"], ids=lambda k: repr(k)[:12]
)
def test_a_malformed_key_is_422_naming_the_header(
    client: Client, auth: Headers, admin_conn: Conn, key: str
) -> None:
    headers = [(k.encode(), v.encode()) for k, v in auth().items()]
    headers.append((b"Idempotency-Key", key.encode()))  # "é" goes as its UTF-8 bytes
    response = client.post("/projects", json={"prompt": "Tides"}, headers=headers)
    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert count(admin_conn, "project_count") == 0


def test_a_quoted_key_is_the_same_key(client: Client, auth: Headers) -> None:
    """The IETF draft sends a structured-field string; Stripe a bare token: one key either way."""
    first = client.post("/projects", json={"prompt": "T"}, headers=keyed(auth(), '"k-1"'))
    again = client.post("/projects", json={"prompt": "T"}, headers=keyed(auth(), "k-1"))
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()


def test_a_key_in_use_is_409(client: Client, auth: Headers, admin_conn: Conn) -> None:
    """While a request holds its key (here: a session holding its lock), the same key is 409."""
    with admin_conn.transaction():
        admin_conn.execute(test_query("idempotency_key_hold"), {"user_id": "alice", "key": "k"})
        busy = client.post("/projects", json={"prompt": "T"}, headers=keyed(auth(), "k"))
    assert_problem(busy, 409, "conflict")
    after = client.post("/projects", json={"prompt": "T"}, headers=keyed(auth(), "k"))
    assert after.status_code == 201


def test_an_expired_key_runs_again_and_is_pruned(
    client: Client, auth: Headers, admin_conn: Conn
) -> None:
    client.post("/projects", json={"prompt": "Tides"}, headers=keyed(auth(), "old"))
    admin_conn.execute(test_query("idempotency_keys_expire"))
    again = client.post("/projects", json={"prompt": "Reefs"}, headers=keyed(auth(), "old"))
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert count(admin_conn, "project_count") == 2
    admin_conn.execute(test_query("idempotency_keys_expire"))
    assert admin_conn.execute(test_query("idempotency_prune")).fetchone() == (1,)


PRESENCE = "/lectures/{lecture_id}/presence"  # takes PUT, stores nothing: no key


def test_every_write_route_documents_the_header(client: Client) -> None:
    writes = write_operations(client)
    assert len(writes) >= 12
    for path, method, operation in writes:
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        if path == PRESENCE:
            assert "Idempotency-Key" not in names
            assert "409" not in operation["responses"]
            continue
        assert "Idempotency-Key" in names, (method, path)
        assert {"409", "422"} <= set(operation["responses"]), (method, path)


def test_a_key_on_presence_is_ignored_and_kept_nowhere(
    client: Client, auth: Headers, admin_conn: Conn
) -> None:
    """Presence stores nothing: a keyed focus update runs as it comes (the same key twice, and
    for another focus, is no 422) and claims no key, which would cost a write per update."""
    lecture = new_lecture(client, auth())["lectureId"]
    keys = count(admin_conn, "idempotency_key_count")
    for section in ("title", "script", "title"):
        focus = {"focus": {"section": section}}
        response = client.put(
            f"/lectures/{lecture}/presence", json=focus, headers=keyed(auth(), "f")
        )
        assert response.status_code == 204, response.text
        assert "idempotent-replayed" not in response.headers
    assert count(admin_conn, "idempotency_key_count") == keys


def test_a_keyed_body_too_large_or_malformed_is_refused_and_keeps_nothing(
    client: Client, auth: Headers, admin_conn: Conn
) -> None:
    huge = b'{"prompt": "' + b"x" * (300 * 1024) + b'"}'
    headers = keyed(auth(), "big", **{"Content-Type": "application/json"})
    assert_problem(
        client.post("/projects", content=huge, headers=headers), 413, "payload_too_large"
    )
    broken = client.post("/projects", content=b'{"prompt": ', headers=keyed(auth(), "big"))
    assert_problem(broken, 400, "bad_request")
    works = client.post("/projects", json={"prompt": "T"}, headers=keyed(auth(), "big"))
    assert works.status_code == 201
    assert count(admin_conn, "project_count") == 1


def test_a_key_on_a_read_changes_nothing(client: Client, auth: Headers) -> None:
    response = client.get("/projects", headers=keyed(auth(), 'not even "valid"'))
    assert response.status_code == 200
