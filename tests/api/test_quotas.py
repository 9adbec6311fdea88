"""429 `quota_exceeded`: the per-user quotas over HTTP (active runs, projects per hour, the write
rate of an API process), each with `Retry-After`, naming the quota, and writing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import assert_problem, new_lecture, write_operations
from tests.support.databases import TestDatabase
from tests.support.sql import test_query
from tutopanda.api.app import create_app
from tutopanda.settings import Settings

Client = TestClient[Litestar]


def _client(settings: Settings, database: TestDatabase, **limits: int) -> Iterator[Client]:
    with TestClient(create_app(settings.model_copy(update=limits), database.admin_url)) as client:
        yield client


@pytest.fixture
def two_runs(settings: Settings, database: TestDatabase) -> Iterator[Client]:
    yield from _client(settings, database, max_active_runs=2)


def _written(database: TestDatabase) -> tuple[Any, ...]:
    with psycopg.connect(database.admin_url, autocommit=True) as admin:
        row = admin.execute(test_query("rows_a_start_writes")).fetchone()
    assert row is not None
    return tuple(row)


def assert_quota(response: Any, quota: str, limit: int) -> int:
    """A 429 naming `quota` and `limit`; its Retry-After in seconds."""
    problem = assert_problem(response, 429, "quota_exceeded")
    assert (problem["quota"], problem["limit"]) == (quota, limit)
    retry_after = int(response.headers["retry-after"])
    assert retry_after >= 1
    return retry_after


def test_the_third_start_past_two_active_runs_is_429_and_writes_nothing(
    two_runs: Client, auth: Headers, database: TestDatabase
) -> None:
    first = new_lecture(two_runs, auth())
    second = new_lecture(two_runs, auth())
    before = _written(database)
    refused = two_runs.post("/projects", json={"prompt": "Third"}, headers=auth())
    assert assert_quota(refused, "active_runs", 2) == 30
    start = two_runs.post(f"/lectures/{first['lectureId']}/workflows", json={}, headers=auth())
    assert start.status_code == 409  # that lecture's own run comes first
    keyed = {**auth(), "Idempotency-Key": "third-project"}
    assert_quota(
        two_runs.post("/projects", json={"prompt": "Third"}, headers=keyed), "active_runs", 2
    )
    assert _written(database) == before
    new_lecture(two_runs, auth("bob"))  # another user's quota is their own

    cancel = two_runs.post(f"/workflow-runs/{second['runId']}/cancel", headers=auth())
    assert cancel.status_code == 200
    again = two_runs.post("/projects", json={"prompt": "Third"}, headers=keyed)
    assert again.status_code == 201, again.text  # the refusal kept nothing for its key
    resumed = two_runs.post(f"/workflow-runs/{second['runId']}/resume", headers=auth())
    assert_quota(resumed, "active_runs", 2)


def test_projects_per_hour_answer_when_the_oldest_leaves_the_hour(
    settings: Settings, database: TestDatabase, auth: Headers
) -> None:
    for client in _client(settings, database, max_projects_per_hour=2):
        new_lecture(client, auth())
        new_lecture(client, auth())
        refused = client.post("/projects", json={"prompt": "Third"}, headers=auth())
        assert 3590 <= assert_quota(refused, "projects_per_hour", 2) <= 3600
        assert client.get("/projects", headers=auth()).json()["nextBefore"] is None
        assert len(client.get("/projects", headers=auth()).json()["items"]) == 2


def test_writes_past_the_rate_are_429_before_anything_runs(
    settings: Settings, database: TestDatabase, auth: Headers
) -> None:
    for client in _client(settings, database, writes_per_minute=3):
        lecture = new_lecture(client, auth())
        presence = f"/lectures/{lecture['lectureId']}/presence"
        for _ in range(5):  # focus changes nothing stored: not counted
            focus = {"focus": {"section": "timeline"}}
            assert client.put(presence, json=focus, headers=auth()).status_code == 204
        cancel = f"/workflow-runs/{lecture['runId']}/cancel"
        assert client.post(cancel, headers=auth()).status_code == 200
        assert client.post(cancel, headers=auth()).status_code == 200  # a write all the same
        before = _written(database)
        refused = client.post("/projects", json={"prompt": "Fourth"}, headers=auth())
        assert 1 <= assert_quota(refused, "writes_per_minute", 3) <= 20  # one write per 20 s
        assert _written(database) == before
        assert client.get(f"/workflow-runs/{lecture['runId']}", headers=auth()).is_success
        assert client.get("/projects", headers=auth()).status_code == 200  # reads do not count
        assert client.post("/projects", json={"prompt": "Mine"}, headers=auth("bob")).is_success


NOT_WRITES = {("/lectures/{lecture_id}/presence", "put")}  # changes nothing stored


def test_every_write_route_documents_its_429(client: Client) -> None:
    writes = write_operations(client)
    assert len(writes) >= 12
    for path, method, operation in writes:
        if (path, method) in NOT_WRITES:
            assert "429" not in operation["responses"], (method, path)
            continue
        answer = operation["responses"].get("429")
        assert answer is not None, (method, path)
        assert answer["content"] == operation["responses"]["400"]["content"], (method, path)
        assert "quota_exceeded" in answer["description"]
        assert answer["headers"]["Retry-After"]["required"] is True
    reads = client.get("/schema/openapi.json").json()["paths"]["/projects"]["get"]["responses"]
    assert "429" not in reads
