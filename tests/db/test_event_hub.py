"""The event hub: one listening connection per process, fan-out, slow subscribers, reconnects,
a removed member's subscribers disconnected."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture, patch
from tests.support.sql import test_query
from tutopanda.db.connection import RUNTIME_ROLE, role_conninfo
from tutopanda.events.cursor import Cursor
from tutopanda.events.hub import EventHub
from tutopanda.events.publisher import publish_forever
from tutopanda.events.subscription import Delivery, SubscriberClosed, Subscription
from tutopanda.models.events import LectureEvent
from tutopanda.store import events, lectures, members

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
HUB_NAME = "tutopanda-test-hub"


@pytest_asyncio.fixture
async def hub(database: TestDatabase) -> AsyncIterator[EventHub]:
    """A hub and a publisher running on this test's database, as the API runs them."""
    pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
        database.runtime_conninfo, min_size=1, max_size=4, open=False, kwargs={"autocommit": True}
    )
    await pool.open()
    listen = role_conninfo(database.admin_url, RUNTIME_ROLE, application_name=HUB_NAME)
    event_hub = EventHub(listen, pool, queue_size=5, ping_seconds=0.5)
    tasks = [
        asyncio.create_task(event_hub.run()),
        asyncio.create_task(publish_forever(database.runtime_conninfo, interval_seconds=0.005)),
    ]
    await asyncio.wait_for(event_hub.connected.wait(), 10)
    try:
        yield event_hub
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await pool.close()


async def next_event(subscription: Subscription, timeout: float = 10.0) -> LectureEvent:
    delivery = await subscription.next_live(timeout)
    assert isinstance(delivery, Delivery), "no event arrived"
    assert delivery.cursor == subscription.cursor
    return delivery.event


async def save_title(conn: Conn, lecture_id: int, base: int, title: str) -> None:
    await lectures.save_draft(conn, "user-1", lecture_id, base, patch(title=title))


async def test_a_subscriber_sees_a_save_made_elsewhere(hub: EventHub, aconn: Conn) -> None:
    created = await new_lecture(aconn)
    subscription = hub.subscribe(created.lecture_id, Cursor(0, 1))
    await save_title(aconn, created.lecture_id, 0, "Elsewhere")
    event = await next_event(subscription)
    assert (event.type, event.revision, event.data["changedSections"]) == (
        "lecture.revised",
        1,
        ["title"],
    )


async def test_many_subscribers_one_listening_connection(
    hub: EventHub, aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    subscriptions = [hub.subscribe(created.lecture_id, Cursor(0, 1)) for _ in range(200)]
    await save_title(aconn, created.lecture_id, 0, "Everyone")
    received = await asyncio.gather(*(next_event(s) for s in subscriptions))
    assert {event.revision for event in received} == {1}
    listeners = await (
        await admin_aconn.execute(test_query("sessions_named"), {"name": HUB_NAME})
    ).fetchone()
    assert listeners == (1,)


async def test_a_slow_subscriber_is_disconnected_alone(hub: EventHub, aconn: Conn) -> None:
    created = await new_lecture(aconn)
    slow = hub.subscribe(created.lecture_id, Cursor(0, 1))
    fast = hub.subscribe(created.lecture_id, Cursor(0, 1))
    for base in range(7):  # more than the queue holds (5)
        await save_title(aconn, created.lecture_id, base, f"Title {base}")
        assert (await next_event(fast)).revision == base + 1
    with pytest.raises(SubscriberClosed, match="slow consumer"):
        await slow.next_live(1.0)
    replayed = [event.revision async for event in hub.replay(slow)]
    assert replayed == [1, 2, 3, 4, 5, 6, 7]  # it catches up from the database


async def test_the_hub_reconnects_and_delivers_what_it_missed(
    hub: EventHub, aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    subscription = hub.subscribe(created.lecture_id, Cursor(0, 1))
    await admin_aconn.execute(test_query("terminate_sessions_named"), {"name": HUB_NAME})
    await save_title(aconn, created.lecture_id, 0, "While away")
    await save_title(aconn, created.lecture_id, 1, "Still away")
    assert [(await next_event(subscription)).revision for _ in range(2)] == [1, 2]
    assert hub.connected.is_set()


async def test_a_replay_from_a_cursor_is_exact(hub: EventHub, aconn: Conn) -> None:
    created = await new_lecture(aconn)
    for base in range(4):
        await save_title(aconn, created.lecture_id, base, f"Title {base}")
    subscription = hub.subscribe(created.lecture_id, Cursor(1, 1))
    assert [event.revision async for event in hub.replay(subscription)] == [2, 3, 4]
    assert subscription.cursor == Cursor(4, 1)


async def test_a_removed_member_is_disconnected_and_the_others_told(
    hub: EventHub, aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    project, lecture = created.project_id, created.lecture_id
    await members.set_member(aconn, "user-1", project, "user-2", "editor")
    start = await events.open_stream(aconn, "user-2", lecture)
    opened = Cursor(start.revision, start.progress_seq)
    streams = [hub.subscribe(lecture, opened, user_id="user-2") for _ in range(2)]
    owner = hub.subscribe(lecture, opened, user_id="user-1")
    await members.remove_member(aconn, "user-1", project, "user-2")
    for stream in streams:
        with pytest.raises(SubscriberClosed, match="removed from the project"):
            await stream.next_live(10.0)
    told = await next_event(owner)
    assert (told.type, told.data["userId"], told.data["removedBy"]) == (
        "member.removed",
        "user-2",
        "user-1",
    )
    # A stream opened before the removal that had not caught up ends in its replay.
    late = hub.subscribe(lecture, opened, user_id="user-2")
    with pytest.raises(SubscriberClosed, match="removed from the project"):
        _ = [event async for event in hub.replay(late)]
    # Added again: a stream resuming from before the removal replays it as news, and stays.
    await members.set_member(aconn, "user-1", project, "user-2", "viewer")
    again = await events.open_stream(aconn, "user-2", lecture)
    back = Cursor(again.revision, again.progress_seq)
    resumed = hub.subscribe(lecture, opened, user_id="user-2", opened=back)
    assert [event.type async for event in hub.replay(resumed)] == ["member.removed"]
    assert resumed.closed is None


async def test_the_publisher_commits_without_waiting_for_the_flush(database: TestDatabase) -> None:
    """Its horizon and NOTIFY need no durable commit (a lost horizon announces a batch again,
    read by cursor): the claim turns synchronous_commit off for the publisher's session only."""
    async with await AsyncConnection.connect(database.runtime_conninfo, autocommit=True) as conn:
        assert await events.claim_publisher(conn)
        assert (await (await conn.execute(test_query("synchronous_commit"))).fetchone()) == ("off",)
    async with await AsyncConnection.connect(database.runtime_conninfo, autocommit=True) as other:
        assert (await (await other.execute(test_query("synchronous_commit"))).fetchone()) == ("on",)
