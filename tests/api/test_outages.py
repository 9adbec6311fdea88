"""The API through database outages: 503 at once while it is away, back within a second."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from psycopg import AsyncConnection

from tests.api.conftest import SECRET, Headers
from tests.api.helpers import assert_problem, new_lecture
from tests.support.databases import TestDatabase
from tests.support.own_server import OwnServer, own_server
from tests.support.polling import TEST_EVENT_POLL
from tests.support.server import TestServer
from tests.support.sql import test_query
from tests.support.tcp_proxy import TcpProxy, tcp_proxy
from tutopanda.api.app import create_app
from tutopanda.api.database import Database
from tutopanda.db.execute import fetch_value
from tutopanda.db.urls import postgres_url
from tutopanda.errors import Unavailable
from tutopanda.settings import Settings, load_settings

Client = TestClient[Litestar]
CONNECT_TIMEOUT = 5.0  # the default: what every request waited while the database was away
PROBE_SECONDS = 0.25
FAST = 1.0  # "at once" (5 times under the connect timeout), with room for a busy test machine:
# 0.5 failed once in CI at 0.5008 s, four test processes on two cores


@pytest.fixture
def outage_settings(tmp_path: Path) -> Settings:
    return load_settings(
        {
            "TUTOPANDA_HOME": str(tmp_path / "home"),
            "TUTOPANDA_JWT_SECRET": SECRET,
            "TUTOPANDA_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
            "TUTOPANDA_DB_PROBE_SECONDS": str(PROBE_SECONDS),
            **TEST_EVENT_POLL,
        }
    )


@pytest.fixture
def server() -> Iterator[OwnServer]:
    with own_server() as started:
        yield started


def timed(request: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def seconds_until_ok(request: Callable[[], Any], timeout: float = 15.0) -> float:
    started = time.monotonic()
    while request().status_code != 200:
        assert time.monotonic() - started < timeout, "the API did not recover"
        time.sleep(0.02)
    return time.monotonic() - started


def assert_unavailable_at_once(client: Client, lecture: str, headers: dict[str, str]) -> None:
    """The first request may notice the outage; every later one answers 503 at once."""
    first, _ = timed(lambda: client.get(lecture, headers=headers))
    assert_problem(first, 503, "database_unavailable")
    requests = [
        lambda: client.get(lecture, headers=headers),
        lambda: client.patch(
            lecture, json={"payload": {"title": "X"}}, headers={**headers, "If-Match": '"0"'}
        ),
        lambda: client.get("/projects", headers=headers),
    ]
    for request in requests * 3:
        response, seconds = timed(request)
        assert_problem(response, 503, "database_unavailable")
        assert response.headers["retry-after"]
        assert seconds < FAST
    ready, seconds = timed(lambda: client.get("/ready"))
    assert (ready.status_code, ready.json(), seconds < FAST) == (
        503,
        {"status": "unavailable"},
        True,
    )
    assert ready.headers["retry-after"]
    assert client.get("/health").status_code == 200


def test_a_stopped_server_is_answered_at_once_and_its_return_noticed(
    server: OwnServer, outage_settings: Settings, auth: Headers
) -> None:
    headers = auth()
    with TestClient(create_app(outage_settings, server.url)) as client:
        lecture = f"/lectures/{new_lecture(client, headers)['lectureId']}"
        assert client.get(lecture, headers=headers).status_code == 200

        server.stop()
        assert_unavailable_at_once(client, lecture, headers)

        server.start()
        recovered = seconds_until_ok(lambda: client.get(lecture, headers=headers))
        assert client.get("/ready").status_code == 200

    assert recovered < 2 * PROBE_SECONDS + FAST


def test_a_server_down_at_start_is_answered_at_once(
    server: OwnServer, outage_settings: Settings, auth: Headers
) -> None:
    server.stop()
    with TestClient(create_app(outage_settings, server.url)) as client:
        time.sleep(0.2)  # the start-up probe
        response, seconds = timed(lambda: client.get("/projects", headers=auth()))
        assert_problem(response, 503, "database_unavailable")
        assert seconds < FAST
        server.start()
        assert seconds_until_ok(lambda: client.get("/ready")) < 2 * PROBE_SECONDS + FAST


def test_a_restart_costs_no_failed_request(
    server: OwnServer, outage_settings: Settings, auth: Headers
) -> None:
    headers = auth()
    with TestClient(create_app(outage_settings, server.url)) as client:
        lecture = f"/lectures/{new_lecture(client, headers)['lectureId']}"

        def read(_: int) -> int:
            return client.get(lecture, headers=headers).status_code

        with ThreadPoolExecutor(8) as threads:
            assert set(threads.map(read, range(32))) == {200}  # several pooled connections
            server.restart()  # every pooled connection is now stale
            statuses = list(threads.map(read, range(32)))

    assert statuses == [200] * 32


@pytest.fixture
def proxied(pg_server: TestServer, database: TestDatabase) -> Iterator[TcpProxy]:
    with tcp_proxy(pg_server) as proxy:
        yield proxy


def test_a_network_outage_is_answered_at_once_and_its_end_noticed(
    proxied: TcpProxy,
    outage_settings: Settings,
    database: TestDatabase,
    pg_server: TestServer,
    auth: Headers,
) -> None:
    url = postgres_url(
        host="127.0.0.1",
        port=proxied.port,
        user=pg_server.user,
        password=pg_server.password,
        dbname=database.name,
    )
    headers = auth()
    with TestClient(create_app(outage_settings, url)) as client:
        lecture = f"/lectures/{new_lecture(client, headers)['lectureId']}"
        assert client.get(lecture, headers=headers).status_code == 200

        proxied.cut()
        assert_unavailable_at_once(client, lecture, headers)

        proxied.restore()
        recovered = seconds_until_ok(lambda: client.get(lecture, headers=headers))

    assert recovered < 2 * PROBE_SECONDS + FAST


async def query_after_losing_the_connection(db: Database, admin: AsyncConnection[Any]) -> None:
    async with db.connection() as conn:
        await admin.execute(test_query("terminate_backend"), {"pid": conn.info.backend_pid})
        await fetch_value(conn, "ready_check", {})


@pytest.mark.asyncio
async def test_a_connection_lost_mid_request_is_a_503_and_replaced(
    database: TestDatabase, outage_settings: Settings
) -> None:
    db = Database(database.admin_url, outage_settings)
    await db.open()
    try:
        async with await AsyncConnection.connect(database.admin_url, autocommit=True) as admin:
            with pytest.raises(Unavailable):
                await query_after_losing_the_connection(db, admin)
        async with db.connection() as conn:
            assert await fetch_value(conn, "ready_check", {}) is True
        assert not db.away
    finally:
        await db.close()
