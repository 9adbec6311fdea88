"""Presence announces on a connection of its own (never the requests' pool): one notification at
a time; a lost connection drops announcements for a moment, then connects again; nothing waits
for a database that is away."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.sql import test_query
from tutopanda.db.connection import RUNTIME_ROLE, role_conninfo
from tutopanda.db.queries import query
from tutopanda.events import announcer as announcer_module
from tutopanda.events.announcer import PresenceAnnouncer

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
NAME = "tutopanda-test-presence"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest_asyncio.fixture
async def listener(database: TestDatabase) -> AsyncIterator[Conn]:
    conn = await AsyncConnection.connect(database.admin_url, autocommit=True)
    await conn.execute(query("presence_listen"))
    try:
        yield conn
    finally:
        await conn.close()


async def heard(listener: Conn, timeout: float = 5.0) -> list[dict[str, Any]]:
    """The presence notifications that arrived within `timeout` of the first (or of the call)."""
    payloads: list[dict[str, Any]] = []
    async for notify in listener.notifies(timeout=timeout, stop_after=1):
        payloads.append(json.loads(notify.payload))
    async for notify in listener.notifies(timeout=0.2):
        payloads.append(json.loads(notify.payload))
    return payloads


async def sessions(admin: Conn) -> int:
    row = await (await admin.execute(test_query("sessions_named"), {"name": NAME})).fetchone()
    assert row is not None
    return int(row[0])


async def test_announcements_arrive_in_order_on_one_connection_of_their_own(
    database: TestDatabase, listener: Conn, admin_aconn: Conn
) -> None:
    conninfo = role_conninfo(database.admin_url, RUNTIME_ROLE, application_name=NAME)
    announce = PresenceAnnouncer(conninfo, deadline_seconds=5)
    try:
        await asyncio.gather(*(announce(json.dumps({"n": n})) for n in range(20)))
        assert [payload["n"] for payload in await heard(listener)] == list(range(20))
        assert await sessions(admin_aconn) == 1
    finally:
        await announce.close()
    for _ in range(100):  # the server ends a closed session's backend a moment later
        if await sessions(admin_aconn) == 0:
            break
        await asyncio.sleep(0.05)
    assert await sessions(admin_aconn) == 0


async def test_a_lost_connection_drops_announcements_for_a_moment_then_reconnects(
    database: TestDatabase, listener: Conn, admin_aconn: Conn
) -> None:
    clock = Clock()
    conninfo = role_conninfo(database.admin_url, RUNTIME_ROLE, application_name=NAME)
    announce = PresenceAnnouncer(conninfo, deadline_seconds=5, clock=clock)
    try:
        await announce('{"n": 1}')
        await admin_aconn.execute(test_query("terminate_sessions_named"), {"name": NAME})
        await announce('{"n": 2}')  # finds the connection gone: dropped, not raised
        await announce('{"n": 3}')  # within RETRY_SECONDS: dropped without trying
        assert announce._conn is None  # no connection was opened again
        clock.now += announcer_module.RETRY_SECONDS
        await announce('{"n": 4}')
        assert [payload["n"] for payload in await heard(listener)] == [1, 4]
        assert await sessions(admin_aconn) == 1
    finally:
        await announce.close()


async def test_a_database_that_is_away_costs_one_attempt_per_retry_window() -> None:
    clock = Clock()
    # Nothing listens on port 1: every connection attempt is refused at once.
    announce = PresenceAnnouncer(
        "host=127.0.0.1 port=1 connect_timeout=1", deadline_seconds=1, clock=clock
    )
    attempts = 0
    original = announce._connection

    async def counted() -> Any:
        nonlocal attempts
        attempts += 1
        return await original()

    announce._connection = counted  # type: ignore[method-assign]
    await asyncio.gather(*(announce("{}") for _ in range(200)))
    assert attempts == 1
    clock.now += announcer_module.RETRY_SECONDS
    await announce("{}")
    assert attempts == 2
    await announce.close()
