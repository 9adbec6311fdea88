"""No client input gets a 500: every route, sent the catalogue of malformed requests
(tests/api/catalogue.py), answers a 4xx application/problem+json, writes nothing and logs no
traceback."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from psycopg import sql

from tests.api.catalogue import (
    ON_A_REVISION,
    ROUTES,
    VALID_IF_MATCH,
    Bad,
    Route,
    auth_cases,
    body_cases,
    draft_path_cases,
    encoded,
    if_match_cases,
    lecture_path_cases,
    project_path_cases,
    query_cases,
    revision_path_cases,
    run_path_cases,
)
from tests.api.conftest import Headers
from tests.api.helpers import PROBLEM, new_lecture
from tests.support.databases import TestDatabase
from tests.support.sql import test_query
from tutopanda.api.app import create_app
from tutopanda.api.database import Connection, Database
from tutopanda.settings import Settings

Client = TestClient[Litestar]


def _digests(database: TestDatabase) -> list[tuple[Any, ...]]:
    """One digest per table of app and procrastinate: equal digests, unchanged data."""
    digest = sql.SQL(test_query("table_digest"))
    with psycopg.connect(database.admin_url, autocommit=True) as admin:
        tables = admin.execute(test_query("data_tables")).fetchall()
        return [
            (
                schema,
                table,
                *admin.execute(
                    digest.format(schema=sql.Identifier(schema), table=sql.Identifier(table))
                ).fetchall(),
            )
            for schema, table in tables
        ]


def _cases(route: Route) -> list[Bad]:
    cases = auth_cases()
    if route.body is not None:
        cases += body_cases(route.body)
    if route.body in ON_A_REVISION:
        cases += if_match_cases()
    if "{lecture}" in route.path:
        cases += lecture_path_cases(route)
    if "{run}" in route.path:
        cases += run_path_cases(route)
    if "{revision}" in route.path:
        cases += revision_path_cases(route)
    if "{project}" in route.path:
        cases += project_path_cases(route)
    if "{draft}" in route.path:
        cases += draft_path_cases(route)
    return cases + query_cases(route)


def _problems(response: Any, bad: Bad) -> list[str]:
    """What is wrong with the answer to `bad` (nothing: an empty list)."""
    label = f"{bad.label}: {response.status_code}"
    if response.status_code != bad.status:
        return [f"{label}, expected {bad.status}: {response.text[:200]}"]
    if not response.headers.get("content-type", "").startswith(PROBLEM):
        return [f"{label}: content type {response.headers.get('content-type')}"]
    body = response.json()
    if (body["status"], body["code"]) != (bad.status, bad.code):
        return [f"{label}: code {body['code']}, expected {bad.code}"]
    if bad.code == "validation_failed" and not body.get("errors"):
        return [f"{label}: no invalid field named"]
    if body["requestId"] != response.headers["x-request-id"] or "Traceback" in response.text:
        return [f"{label}: request id or internals"]
    return []


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route.method} {route.path}")
def test_malformed_requests_get_4xx_problems_and_change_nothing(
    client: Client,
    auth: Headers,
    database: TestDatabase,
    caplog: pytest.LogCaptureFixture,
    route: Route,
) -> None:
    created = new_lecture(client, auth())
    ids = {
        "lecture": created["lectureId"],
        "revision": 0,
        "run": created["runId"],
        "project": created["projectId"],
        "draft": 1,
    }
    path = route.path.format(**ids)
    cases = _cases(route)
    before = _digests(database)
    failures: list[str] = []
    gc.collect()  # what earlier tests left behind is finalized (and logged) before, not during
    with caplog.at_level(logging.DEBUG):
        for bad in cases:
            base = {"If-Match": VALID_IF_MATCH} if route.body in ON_A_REVISION else {}
            headers = encoded({**auth(), "Content-Type": "application/json", **base, **bad.headers})
            target = path if bad.path is None else bad.path.format(**ids)
            response = client.request(route.method, target, content=bad.content, headers=headers)
            failures += _problems(response, bad)
    assert not failures, "\n".join(failures)
    assert _digests(database) == before, "a malformed request changed the database"
    logged = [record for record in caplog.records if record.exc_info or record.levelno >= 40]
    assert not logged, [record.getMessage() for record in logged]


def test_unusable_if_none_match_is_ignored(
    client: Client, auth: Headers, database: TestDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    """If-None-Match is a cache hint: one that names no revision is ignored (200), never a 500."""
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    before = _digests(database)
    gc.collect()
    values: list[str | bytes] = ['"99999999999999999999"', "W/", '"', "**", "x" * 10_000, b"\xff"]
    with caplog.at_level(logging.DEBUG):
        for value in values:
            response = client.get(lecture, headers=encoded({**auth(), "If-None-Match": value}))
            assert (response.status_code, response.headers["etag"]) == (200, '"0"'), value
    assert _digests(database) == before
    assert not [record for record in caplog.records if record.exc_info or record.levelno >= 40]


def test_the_digests_see_a_write(client: Client, auth: Headers, database: TestDatabase) -> None:
    """The database comparison above can fail: a real save changes the digests."""
    lecture = f"/lectures/{new_lecture(client, auth())['lectureId']}"
    before = _digests(database)
    saved = client.patch(
        lecture, json={"payload": {"title": "T"}}, headers={**auth(), "If-Match": '"0"'}
    )
    assert saved.status_code == 200
    assert _digests(database) != before


class _CountingDatabase(Database):
    """The API's database, counting the connections requests check out."""

    checkouts = 0

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        type(self).checkouts += 1
        async with super().connection() as conn:
            yield conn


def test_a_refused_identifier_checks_out_no_connection(
    settings: Settings, database: TestDatabase, auth: Headers, caplog: pytest.LogCaptureFixture
) -> None:
    """Ids are checked before the request's connection is taken, not beside it (a race that
    left connections to the garbage collector)."""
    counting = _CountingDatabase(database.admin_url, settings)
    with TestClient(create_app(settings, database.admin_url, database=counting)) as client:
        created = new_lecture(client, auth())
        gc.collect()
        before = _CountingDatabase.checkouts
        with caplog.at_level(logging.DEBUG):
            for _ in range(10):
                for method, path, body in [
                    ("GET", "/lectures/0", None),
                    ("PATCH", "/lectures/2147483648", {"payload": {"title": "x"}}),
                    ("GET", "/lectures/-1/history", None),
                    ("POST", "/workflow-runs/NOT-A-RUN/cancel", None),
                    ("GET", f"/workflow-runs/{created['runId'].upper()}", None),
                ]:
                    headers = {**auth(), "If-Match": '"0"'}
                    response = client.request(method, path, headers=headers, json=body)
                    assert response.status_code == 404, (method, path, response.text)
            gc.collect()
        assert _CountingDatabase.checkouts == before
    assert not [record for record in caplog.records if record.exc_info or record.levelno >= 40]
