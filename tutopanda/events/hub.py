"""The event hub of one process: ONE listening connection, fanned out to subscribers by lecture.

The publisher's notifications are hints (which lectures changed); the hub reads the events
themselves from the database once per lecture and offers them to that lecture's subscribers.
Each subscriber has a bounded queue: one that cannot keep up is disconnected with a reason, and
catches up from the database when it reconnects. A `member.removed` event disconnects the removed
user's subscribers of that lecture (their reconnect is 404). After a lost connection the hub
reconnects and re-reads every lecture from the position it had reached, so nothing committed
meanwhile is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from psycopg import AsyncConnection

from tutopanda.db.queries import query
from tutopanda.events import presence
from tutopanda.events.cursor import Cursor
from tutopanda.events.publisher import TRANSIENT_ERRORS
from tutopanda.events.subscription import REMOVED, Delivery, SubscriberClosed, Subscription
from tutopanda.models.events import LectureEvent
from tutopanda.store import events

logger = logging.getLogger("tutopanda.events")


class ConnectionSource(Protocol):
    """Where the hub borrows a connection to read events (the API's pool, or its Database)."""

    def connection(self) -> AbstractAsyncContextManager[AsyncConnection[Any]]: ...


RECONNECT_DELAYS = (0.1, 0.25, 0.5, 1.0, 2.0)


@dataclass(eq=False)
class _Feed:
    """The hub's reading position in one lecture and who listens to it."""

    cursor: Cursor
    subscribers: set[Subscription] = field(default_factory=set)
    dirty: bool = False
    task: asyncio.Task[None] | None = None


class EventHub:
    """Fans the database's events out to the subscribers of this process."""

    def __init__(
        self,
        listen_conninfo: str,
        pool: ConnectionSource,
        *,
        queue_size: int = 1000,
        ping_seconds: float = 5.0,
        batch: int = events.DEFAULT_BATCH,
        on_presence: Callable[[str], None] | None = None,
        on_connect: Callable[[], None] | None = None,
    ):
        self._on_presence = on_presence
        self._on_connect = on_connect
        self._conninfo = listen_conninfo
        self._pool = pool
        self._queue_size = queue_size
        self._ping_seconds = ping_seconds
        self._batch = batch
        self._feeds: dict[int, _Feed] = {}
        self.connected = asyncio.Event()

    @property
    def subscribers(self) -> int:
        return sum(len(feed.subscribers) for feed in self._feeds.values())

    def subscribe(
        self,
        lecture_id: int,
        start: Cursor,
        *,
        user_id: str | None = None,
        opened: Cursor | None = None,
    ) -> Subscription:
        """Start queuing the live events of a lecture for a new subscriber at `start`: `user_id`'s
        stream, opened at `opened` (`start` unless given; a removal after it ends the stream)."""
        subscription = Subscription(
            lecture_id,
            start,
            asyncio.Queue(self._queue_size),
            user_id=user_id,
            opened=start if opened is None else opened,
        )
        feed = self._feeds.setdefault(lecture_id, _Feed(cursor=start))
        feed.subscribers.add(subscription)
        return subscription

    def close_all(self, reason: str) -> None:
        """Disconnect every subscriber with `reason`: each is told why, and may reconnect and
        replay from its last event (to another process, or to this one once restarted)."""
        for feed in list(self._feeds.values()):
            for subscription in list(feed.subscribers):
                if subscription.closed is None:
                    subscription.close(reason)

    def unsubscribe(self, subscription: Subscription) -> None:
        feed = self._feeds.get(subscription.lecture_id)
        if feed is None:
            return
        feed.subscribers.discard(subscription)
        if not feed.subscribers:
            del self._feeds[subscription.lecture_id]
            if feed.task is not None:
                feed.task.cancel()

    async def replay(self, subscription: Subscription) -> AsyncIterator[LectureEvent]:
        """The events after the subscriber's cursor that are in the database now, oldest first;
        SubscriberClosed at its user's removal."""
        while True:
            async with self._pool.connection() as conn:
                batch = await events.lecture_events(
                    conn,
                    subscription.lecture_id,
                    subscription.cursor.revision,
                    subscription.cursor.seq,
                    self._batch,
                )
            for event in batch:
                if subscription.removed(event):
                    subscription.close(REMOVED)
                    raise SubscriberClosed(REMOVED)
                if subscription.seen(event):
                    yield event
            if len(batch) < self._batch:
                return

    async def run(self) -> None:
        """Listen until cancelled; reconnect after every failure, re-reading every lecture."""
        failures = 0
        while True:
            try:
                async with await AsyncConnection.connect(self._conninfo, autocommit=True) as conn:
                    await conn.execute(query("events_listen"))
                    await conn.execute(query("presence_listen"))
                    self.connected.set()
                    if self._on_connect is not None:
                        self._on_connect()
                    if failures:
                        logger.warning("event listener reconnected; re-reading every lecture")
                    failures = 0
                    self._poke(list(self._feeds))
                    await self._listen(conn)
            except asyncio.CancelledError:
                raise
            except TRANSIENT_ERRORS as error:
                self.connected.clear()
                delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                failures += 1
                logger.warning(
                    "event listener lost its connection (%s); retry in %ss", error, delay
                )
                await asyncio.sleep(delay)
            finally:
                self.connected.clear()

    async def _listen(self, conn: AsyncConnection[Any]) -> None:
        while True:
            async for notify in conn.notifies(timeout=self._ping_seconds):
                if notify.channel == presence.CHANNEL:
                    if self._on_presence is not None:
                        self._on_presence(notify.payload)
                else:
                    self._poke(_lecture_ids(notify.payload))
            await conn.execute(query("events_ping"))  # idle: prove the session is alive

    def _poke(self, lecture_ids: list[int]) -> None:
        for lecture_id in lecture_ids:
            feed = self._feeds.get(lecture_id)
            if feed is None:
                continue
            feed.dirty = True
            if feed.task is None or feed.task.done():
                feed.task = asyncio.create_task(self._drain(lecture_id, feed))

    async def _drain(self, lecture_id: int, feed: _Feed) -> None:
        while feed.dirty:
            feed.dirty = False
            try:
                await self._read(lecture_id, feed)
            except TRANSIENT_ERRORS as error:  # re-read after the reconnect
                logger.warning("reading events of lecture %s failed: %s", lecture_id, error)
                return

    async def _read(self, lecture_id: int, feed: _Feed) -> None:
        while True:
            async with self._pool.connection() as conn:
                batch = await events.lecture_events(
                    conn, lecture_id, feed.cursor.revision, feed.cursor.seq, self._batch
                )
            for event in batch:
                feed.cursor = feed.cursor.after(event)
                delivery = Delivery(event, feed.cursor)
                for subscription in list(feed.subscribers):
                    subscription.offer(delivery)
            if len(batch) < self._batch:
                return


def _lecture_ids(payload: str) -> list[int]:
    """The lecture ids of a notification; anything else in it is ignored (it is only a hint)."""
    ids = []
    for part in payload.split(","):
        with contextlib.suppress(ValueError):
            ids.append(int(part))
    return ids
