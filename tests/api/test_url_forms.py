"""Every command and every connection takes the forms libpq takes: a URL with several hosts
(the first refusing, as a failed primary does) and a key=value string."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from psycopg import AsyncConnection
from psycopg.conninfo import make_conninfo

from tests.api.helpers import server_env
from tests.api.test_event_stream import ALICE
from tests.support.audit_cli import assert_one_line_error
from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture
from tests.support.processes import PROJECT_ROOT, finished_run, run_cli, serving
from tests.support.server import TestServer
from tests.support.worker import wait_for_run
from tutopanda.db.connection import RUNTIME_ROLE, role_conninfo

REFUSING = ("127.0.0.1", 1)  # nothing listens there: libpq moves on to the next host
FORMS = ["multi-host URL", "key=value"]


def url_in(form: str, server: TestServer, dbname: str) -> str:
    """The test database in `form`, its first host one that refuses connections."""
    hosts, ports = f"{REFUSING[0]},{server.host}", f"{REFUSING[1]},{server.port}"
    if form == "key=value":
        return make_conninfo(
            "", host=hosts, port=ports, user=server.user, password=server.password, dbname=dbname
        )
    login = quote(server.user, safe="")
    if server.password:
        login += ":" + quote(server.password, safe="")
    attrs = "target_session_attrs=read-write"
    if server.host.startswith("/"):  # a Unix socket folder goes in the query
        return f"postgresql://{login}@/{dbname}?host={quote(hosts)}&port={quote(ports)}&{attrs}"
    return (
        f"postgresql://{login}@{REFUSING[0]}:{REFUSING[1]},{server.host}:{server.port}/"
        f"{dbname}?{attrs}"
    )


@pytest.fixture(params=FORMS)
def form(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_commands_take_every_form(
    form: str, blank_database: TestDatabase, pg_server: TestServer
) -> None:
    """Four commands as processes (~5 s, most of it the first migrate): `db migrate` on an empty
    database (yoyo, Procrastinate's schema, sql/), again, `db status`, `audit query`."""
    url = url_in(form, pg_server, blank_database.name)
    first, second = run_cli(url, "db", "migrate"), run_cli(url, "db", "migrate")
    status = run_cli(url, "db", "status")
    query = run_cli(url, "audit", "query", "SELECT count(*) AS n FROM audit.lecture_history")

    for done in (first, second, status, query):
        assert (done.returncode, done.stderr) == (0, ""), done.args
    assert "migrations: 0001_legacy_tables, " in first.stdout
    assert "migrations: none pending" in second.stdout
    assert f"answering at {pg_server.host}:{pg_server.port} (the primary)" in status.stdout
    assert query.stdout.split()[:3] == ["n", "-", "0"]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://u@a:5432,b:x/db", "has a port that is not a number"),
        ("host=a,b,c port=1,2 dbname=db", "names 3 hosts but 2 ports"),
        ("postgresql://u@h/db?target_session_attrs=writable", "target_session_attrs"),
        ("postgresql+psycopg://u@h/db", "must be a postgresql:// URL"),
    ],
)
def test_a_bad_url_is_one_line_and_exit_2(url: str, says: str) -> None:
    refused = run_cli(url, "db", "migrate")
    assert_one_line_error(refused, 2, "invalid setting DATABASE_URL: ")
    assert says in refused.stderr


def test_an_unreachable_database_is_one_line_and_exit_1() -> None:
    unreachable = run_cli("postgresql://u@127.0.0.1:1,127.0.0.1:2/db", "db", "migrate")
    assert_one_line_error(unreachable, 1, "cannot reach the database (DATABASE_URL): ")


def test_serve_takes_every_form(
    form: str, database: TestDatabase, pg_server: TestServer, tmp_path: Path
) -> None:
    """A server and a whole run (~3 s): the API's pool, the event listener and publisher, and the
    worker beside the API all connect through the form."""
    url = url_in(form, pg_server, database.name)
    env = server_env(url, tmp_path, TUTOPANDA_WORKER_POLL_SECONDS="0.2")
    with serving(env=env) as base, httpx.Client(base_url=base, headers=ALICE) as http:
        created = http.post("/projects", json={"prompt": "Glaciers"}).json()
        run = finished_run(http, created["runId"])
        lecture = f"/lectures/{created['lectureId']}"
        with http.stream("GET", f"{lecture}/events") as stream:
            events = (
                line
                for line in stream.iter_lines()
                if line.startswith("event: ") and line != "event: presence"
            )
            opening = next(events)
            revision = http.get(lecture).json()["revision"]
            saved = http.patch(
                lecture, json={"payload": {"title": "Ice"}}, headers={"If-Match": f'"{revision}"'}
            )
            announced = next(events)  # the publisher's NOTIFY, through the hub's LISTEN
    assert run["status"] == "succeeded", run
    assert saved.status_code == 200, saved.text
    assert (opening, announced) == ("event: lecture.state", "event: lecture.revised")


@pytest.fixture
def worker(form: str, database: TestDatabase, pg_server: TestServer) -> Iterator[None]:
    """`tutopanda worker` on the test database, reached through `form`."""
    env = {
        "DATABASE_URL": url_in(form, pg_server, database.name),
        "TUTOPANDA_WORKER_POLL_SECONDS": "0.2",
        "TUTOPANDA_LOG_LEVEL": "WARNING",
    }
    with subprocess.Popen(
        [sys.executable, "-m", "tutopanda", "worker"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        try:
            yield
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.asyncio
@pytest.mark.usefixtures("worker")
async def test_a_worker_takes_every_form(database: TestDatabase) -> None:
    """A worker process and a whole run (~2 s)."""
    conninfo = role_conninfo(database.admin_url, RUNTIME_ROLE)
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
        created = await new_lecture(conn, prompt="Deltas")
        run = await wait_for_run(conn, "user-1", created.run_id, timeout=60)
    assert run.status == "succeeded", run.error
