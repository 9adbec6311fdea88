"""The real thing: `tutopanda serve` on a loopback port, driven by a real HTTP client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import SECRET
from tests.api.helpers import server_env
from tests.support.databases import TestDatabase
from tests.support.processes import serving
from tutopanda.tokens import issue_token


@pytest.fixture
def server(database: TestDatabase, tmp_path: Path) -> Iterator[str]:
    env = server_env(database.admin_url, tmp_path)
    with serving("--no-worker", env=env) as base:
        yield base


def test_the_auto_save_loop_over_real_http(server: str) -> None:
    alice = {"Authorization": f"Bearer {issue_token(SECRET, 'alice')}"}
    with httpx.Client(base_url=server, headers=alice, timeout=10) as http:
        created = http.post("/projects", json={"prompt": "How bridges stand up"})
        assert created.status_code == 201, created.text
        lecture = f"/lectures/{created.json()['lectureId']}"

        first = http.get(lecture)
        assert (first.status_code, first.headers["etag"]) == (200, '"0"')

        saved = http.patch(
            lecture,
            json={"payload": {"title": "Bridges"}},
            headers={"If-Match": first.headers["etag"]},
        )
        assert (saved.status_code, saved.json()["revision"]) == (200, 1)

        stale = http.patch(
            lecture, json={"payload": {"title": "Tunnels"}}, headers={"If-Match": '"0"'}
        )
        assert stale.status_code == 409
        assert stale.headers["content-type"].startswith("application/problem+json")
        winner = stale.json()["lecture"]
        assert (winner["title"], winner["revision"]) == ("Bridges", 1)

        again = http.patch(
            lecture,
            json={"payload": {"summary": "Arches and cables"}},
            headers={"If-Match": f'"{winner["revision"]}"'},
        )
        assert (again.status_code, again.json()["revision"]) == (200, 2)

        history = http.get(f"{lecture}/history").json()["items"]
        assert [(i["revision"], i["createdBy"], i["source"]) for i in history] == [
            (2, "alice", "app"),
            (1, "alice", "app"),
            (0, "alice", "app"),
        ]
        assert [i["changedSections"] for i in history] == [["summary"], ["title"], []]

        cached = http.get(lecture, headers={"If-None-Match": '"2"'})
        assert cached.status_code == 304
        assert http.get(lecture, headers={"Authorization": "Bearer nope"}).status_code == 401
