"""`tutopanda serve` behind a real PgBouncer in transaction mode: saves, a whole run, and the
API's sessions limited to the runtime role's rights; a privileged pooled login is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import psycopg

from tests.api.helpers import server_env
from tests.api.test_event_stream import ALICE
from tests.support.databases import TestDatabase
from tests.support.pgbouncer import POOLED_LOGIN
from tests.support.processes import PROJECT_ROOT, finished_run, serving
from tests.support.server import TestServer
from tests.support.sql import test_query
from tutopanda.db.urls import postgres_url


def pooled_env(database: TestDatabase, port: int, user: str, home: Path) -> dict[str, str]:
    return server_env(
        postgres_url(host="127.0.0.1", port=port, user=user, dbname=database.name),
        home,
        TUTOPANDA_DATABASE_POOLER="transaction",
        TUTOPANDA_DIRECT_DATABASE_URL=database.admin_url,
        TUTOPANDA_WORKER_POLL_SECONDS="0.2",
    )


def test_the_service_saves_and_runs_a_workflow_through_the_pooler(
    database: TestDatabase,
    pooled_port: int,
    tmp_path: Path,
    admin_conn: psycopg.Connection[tuple[object, ...]],
) -> None:
    env = pooled_env(database, pooled_port, POOLED_LOGIN, tmp_path)
    with serving(env=env) as base, httpx.Client(base_url=base, headers=ALICE) as http:
        created = http.post("/projects", json={"prompt": "Estuaries"}).json()
        run = finished_run(http, created["runId"])
        assert run["status"] == "succeeded", run
        lecture = created["lectureId"]
        revision = http.get(f"/lectures/{lecture}").json()["revision"]
        for step in range(8):  # more than psycopg's prepare threshold: nothing is prepared
            saved = http.patch(
                f"/lectures/{lecture}",
                json={"baseRevision": revision + step, "payload": {"title": f"Estuary {step}"}},
            )
            assert saved.status_code == 200, saved.text
        sessions = admin_conn.execute(test_query("api_session_users")).fetchall()
    # The API's sessions are the pooled login itself (no role switch is possible through the
    # pooler); the worker's come over the direct URL and assume the runtime role as usual.
    assert ("tutopanda-api", POOLED_LOGIN) in sessions
    assert all(user == POOLED_LOGIN for name, user in sessions if name == "tutopanda-api")


def test_a_superuser_behind_the_pooler_is_refused_in_one_line(
    database: TestDatabase, pooled_port: int, pg_server: TestServer, tmp_path: Path
) -> None:
    env = pooled_env(database, pooled_port, pg_server.user, tmp_path)
    refused = subprocess.run(
        [sys.executable, "-m", "tutopanda", "serve", "--port", "1", "--workers", "1"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 1, refused.stderr
    assert refused.stderr.count("\n") == 1
    assert "is a superuser" in refused.stderr
    assert "TUTOPANDA_ALLOW_PRIVILEGED_LOGIN=1" in refused.stderr
