"""`tutopanda serve` behind a real PgBouncer in transaction mode: saves, a whole run, and the
API's sessions limited to the runtime role's rights; a privileged pooled login is refused."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import psycopg
import pytest
from litestar.testing import TestClient

from tests.api.helpers import server_env
from tests.api.test_event_stream import ALICE
from tests.support.audit_cli import assert_one_line_error
from tests.support.databases import TestDatabase
from tests.support.pgbouncer import POOLED_LOGIN
from tests.support.processes import finished_run, run_command, serving
from tests.support.server import TestServer
from tests.support.sql import test_query
from tutopanda.api.app import create_app
from tutopanda.db.urls import postgres_url
from tutopanda.settings import Settings


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
                json={"payload": {"title": f"Estuary {step}"}},
                headers={"If-Match": f'"{revision + step}"'},
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
    refused = run_command(["serve", "--port", "1", "--workers", "1"], env)
    assert refused.returncode == 1, refused.stderr
    assert refused.stderr.count("\n") == 1
    assert "is a superuser" in refused.stderr
    assert "TUTOPANDA_ALLOW_PRIVILEGED_LOGIN=1" in refused.stderr


@pytest.mark.parametrize("args", [["serve", "--port", "1", "--workers", "1"], ["worker"]])
def test_a_pooler_url_as_a_direct_one_is_refused_in_one_line_at_start(
    args: list[str], database: TestDatabase, pooled_port: int, tmp_path: Path
) -> None:
    """PgBouncer refuses the startup option the runtime role is assumed with: without
    TUTOPANDA_DATABASE_POOLER=transaction that is every connection, so the command says so."""
    url = postgres_url(host="127.0.0.1", port=pooled_port, user=POOLED_LOGIN, dbname=database.name)
    refused = run_command(args, server_env(url, tmp_path))
    assert_one_line_error(refused, 2, "invalid setting DATABASE_URL: ")
    assert "TUTOPANDA_DATABASE_POOLER=transaction" in refused.stderr


def test_a_pooler_url_without_a_direct_url_is_refused_in_one_line_at_start(
    database: TestDatabase, pooled_port: int, tmp_path: Path
) -> None:
    env = pooled_env(database, pooled_port, POOLED_LOGIN, tmp_path)
    del env["TUTOPANDA_DIRECT_DATABASE_URL"]  # the workers and events would use the pooler
    refused = run_command(["serve", "--port", "1", "--workers", "1"], env)
    assert_one_line_error(refused, 2, "invalid setting DATABASE_URL: ")
    assert "TUTOPANDA_DIRECT_DATABASE_URL" in refused.stderr


def test_a_pooler_met_later_is_named_in_one_log_line(
    database: TestDatabase, pooled_port: int, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """The API started without serve's check (as after a failover onto a pooler's address):
    requests answer 503, and the log says what to set instead of "unavailable"."""
    url = postgres_url(host="127.0.0.1", port=pooled_port, user=POOLED_LOGIN, dbname=database.name)
    with TestClient(create_app(settings, url)) as client:
        answer = client.get("/ready")
        deadline = time.monotonic() + 10
        while not [
            r for r in caplog.records if r.name == "tutopanda.api" and r.levelname == "ERROR"
        ]:
            assert time.monotonic() < deadline, caplog.text
            time.sleep(0.05)
    logged = [r.getMessage() for r in caplog.records if r.name == "tutopanda.api"]
    assert answer.status_code == 503
    assert len([line for line in logged if "TUTOPANDA_DATABASE_POOLER=transaction" in line]) == 1
    assert not [line for line in logged if "the database is unavailable" in line]
