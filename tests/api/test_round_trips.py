"""One round trip to PostgreSQL per database call: no checkout query, no BEGIN/COMMIT."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import new_lecture, quiet_presence
from tests.support.databases import TestDatabase
from tests.support.round_trips import PLAIN_PROTOCOL, RoundTripCounter
from tests.support.server import TestServer
from tests.support.tcp_proxy import tcp_proxy
from tutopanda.api.app import create_app
from tutopanda.db.urls import postgres_url
from tutopanda.settings import Settings

Client = TestClient[Litestar]


@pytest.fixture
def counted(
    pg_server: TestServer, database: TestDatabase, settings: Settings
) -> Iterator[tuple[Client, RoundTripCounter]]:
    """A client of the app whose every byte from PostgreSQL passes a round-trip counter."""
    counter = RoundTripCounter()
    with tcp_proxy(pg_server, observe_replies=counter.observe) as proxy:
        url = postgres_url(
            host="127.0.0.1",
            port=proxy.port,
            user=pg_server.user,
            password=pg_server.password,
            dbname=database.name,
        )
        # The event hub and publisher keep their own sessions on the direct URL, unproxied.
        direct = settings.model_copy(update={"direct_database_url": database.admin_url})
        with TestClient(create_app(direct, f"{url}?{PLAIN_PROTOCOL}")) as client:
            yield client, counter


def round_trips(counter: RoundTripCounter, request: Callable[[], Any]) -> int:
    """Round trips one request made, on connections the pool already had."""
    before = (counter.round_trips, counter.connections)
    response = request()
    assert response.status_code < 300, response.text
    assert counter.connections == before[1], "the request opened a connection"
    return counter.round_trips - before[0]


def test_each_database_call_is_one_round_trip(
    counted: tuple[Client, RoundTripCounter], auth: Headers
) -> None:
    client, counter = counted
    headers = auth()
    lecture_id = new_lecture(client, headers)["lectureId"]  # connections opened: a warm pool
    lecture = f"/lectures/{lecture_id}"
    client.get("/ready")
    quiet_presence(client)

    calls = {
        "create": lambda: client.post("/projects", json={"prompt": "Tea"}, headers=headers),
        "list": lambda: client.get("/projects", headers=headers),
        "read": lambda: client.get(lecture, headers=headers),
        "save": lambda: client.patch(
            lecture, json={"payload": {"title": "T"}}, headers={**headers, "If-Match": '"0"'}
        ),
        "history": lambda: client.get(f"{lecture}/history", headers=headers),
        "revision": lambda: client.get(f"{lecture}/history/1", headers=headers),
        "diff": lambda: client.get(f"{lecture}/diff?from=0&to=1", headers=headers),
        "ready": lambda: client.get("/ready"),
    }
    counted_trips = {name: round_trips(counter, call) for name, call in calls.items()}

    assert counted_trips == {name: 2 if name == "diff" else 1 for name in calls}
