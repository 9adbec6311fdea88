"""Idempotency keys through what a client cannot see: another API process, a restarted service,
a restarted PostgreSQL. The kept answer is rows in the database, so every one of them replays it.

Seconds (an embedded PostgreSQL of its own, `serve --workers 2` started twice, a database
restart): the point is the real processes, which an in-process app cannot show.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import psycopg

from tests.api.conftest import SECRET
from tests.api.helpers import server_env
from tests.support.processes import serving
from tests.support.restartable import RestartableDatabase, restartable_database
from tests.support.sql import test_query
from tutopanda.tokens import issue_token

CREATE = {"prompt": "Tides"}


def keyed(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(SECRET, 'alice')}", "Idempotency-Key": key}


def first_answer(http: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """The first answer that is not a 503 (the database coming back), within 20 s."""
    deadline = time.monotonic() + 20
    while True:
        try:
            response = http.request(method, path, **kwargs)
            if response.status_code != 503:
                return response
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "no answer but 503 for 20 s"
        time.sleep(0.2)


def counts(db: RestartableDatabase) -> list[int]:
    """How many projects, runs and history rows there are."""
    found = []
    with psycopg.connect(db.url) as conn:
        for name in ("project_count", "run_count", "revision_count"):
            row = conn.execute(test_query(name)).fetchone()
            assert row is not None
            found.append(int(row[0]))
    return found


def test_a_key_replays_across_processes_and_restarts(tmp_path: Path) -> None:
    with restartable_database(tmp_path) as db:
        env = server_env(db.url, tmp_path / "home", TUTOPANDA_SERVER_PROCESSES="2")
        with serving("--no-worker", env=env) as base, httpx.Client(base_url=base) as http:
            created = http.post("/projects", json=CREATE, headers=keyed("create"))
            assert created.status_code == 201, created.text
            lecture = created.json()["lectureId"]
            save, on_0 = {"payload": {"title": "Tides"}}, {**keyed("save"), "If-Match": '"0"'}
            saved = http.patch(f"/lectures/{lecture}", json=save, headers=on_0)
            assert saved.status_code == 200, saved.text
            for _ in range(6):  # two API processes share the port: both answer some of these
                again = http.post("/projects", json=CREATE, headers=keyed("create"))
                assert (again.status_code, again.json()) == (201, created.json())
        with serving("--no-worker", env=env) as base, httpx.Client(base_url=base) as http:
            again = http.post("/projects", json=CREATE, headers=keyed("create"))
            assert again.json() == created.json()
            assert again.headers["idempotent-replayed"] == "true"
            db.stop()
            db.start()
            again = first_answer(http, "PATCH", f"/lectures/{lecture}", json=save, headers=on_0)
            assert (again.status_code, again.json()) == (200, saved.json())
            other = first_answer(
                http, "POST", "/projects", json={"prompt": "Reefs"}, headers=keyed("create")
            )
            assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
        assert counts(db) == [1, 1, 2]  # one project, one run, revision 0 and one save
