"""A subscriber of a lecture's events in one process: its bounded queue, its position, and why
the hub closed it (too slow, the server stopping, its user removed from the project)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from tutopanda.events.cursor import Cursor
from tutopanda.models.events import MEMBER_REMOVED, LectureEvent

REMOVED = "removed from the project"  # the `disconnect` reason of a removed member's streams


class SubscriberClosed(Exception):
    """The hub disconnected this subscriber; `reason` says why (it may reconnect and replay)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(eq=False)
class Delivery:
    """An event and the lecture's position once it is seen: one object for every subscriber,
    so that what is computed from it (an encoded frame) is computed once."""

    event: LectureEvent
    cursor: Cursor
    memo: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Aside:
    """Something for one subscriber beside the lecture's events (a presence event): an encoded
    frame, not in the history, never replayed."""

    frame: bytes


@dataclass(eq=False)
class Subscription:
    """One subscriber of one lecture: what it has seen, and the events waiting for it; whose it
    is, and where its stream opened (where that user's membership was checked)."""

    lecture_id: int
    cursor: Cursor
    queue: asyncio.Queue[Delivery | Aside]
    closed: str | None = None
    user_id: str | None = None
    opened: Cursor | None = None  # None: before every event

    def offer_aside(self, aside: Aside) -> None:
        """Queue a frame beside the events; a full queue disconnects this subscriber."""
        if self.closed is not None:
            return
        try:
            self.queue.put_nowait(aside)
        except asyncio.QueueFull:
            self.close(f"slow consumer: more than {self.queue.maxsize} events waiting")

    def offer(self, delivery: Delivery) -> None:
        """Queue a live event; a full queue disconnects this subscriber, never the others."""
        if self.closed is not None or self.cursor.has_seen(delivery.event):
            return
        if self.removed(delivery.event):
            self.close(REMOVED)
            return
        try:
            self.queue.put_nowait(delivery)
        except asyncio.QueueFull:
            self.close(f"slow consumer: more than {self.queue.maxsize} events waiting")

    def close(self, reason: str) -> None:
        self.closed = reason
        while not self.queue.empty():  # free the memory now; the subscriber will replay
            self.queue.get_nowait()
        self.queue.put_nowait(_CLOSED)

    def removed(self, event: LectureEvent) -> bool:
        """True when `event` removes this subscriber's user from the project after its stream
        opened (an earlier removal was undone: the opening found them a member)."""
        return (
            event.type == MEMBER_REMOVED
            and self.user_id is not None
            and event.data.get("userId") == self.user_id
            and (self.opened is None or not self.opened.has_seen(event))
        )

    def seen(self, event: LectureEvent) -> bool:
        """Record `event` as delivered; False when it had been delivered already."""
        if self.cursor.has_seen(event):
            return False
        self.cursor = self.cursor.after(event)
        return True

    async def next_live(self, timeout: float) -> Delivery | Aside | None:
        """The next live event not seen yet, or None after `timeout` seconds without one.

        A queued event is taken without waiting; an empty queue is awaited under one timeout
        (no task or timer per event: this runs once per event per subscriber).
        """
        try:
            async with asyncio.timeout(timeout):
                while True:
                    try:
                        delivery = self.queue.get_nowait()
                    except asyncio.QueueEmpty:
                        delivery = await self.queue.get()
                    if delivery is _CLOSED:
                        raise SubscriberClosed(self.closed or "closed")
                    if isinstance(delivery, Aside) or self.seen(delivery.event):
                        return delivery
        except TimeoutError:
            return None

    def take_ready(self, limit: int) -> list[Delivery | Aside]:
        """The live events already queued and not seen yet, up to `limit`, without waiting:
        what a subscriber that fell behind sends in one write rather than one write each."""
        taken: list[Delivery | Aside] = []
        while len(taken) < limit:
            try:
                delivery = self.queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            if delivery is _CLOSED:
                if not taken:
                    raise SubscriberClosed(self.closed or "closed")
                self.queue.put_nowait(delivery)  # after what was taken: it comes next
                break
            if isinstance(delivery, Aside) or self.seen(delivery.event):
                taken.append(delivery)
        return taken


_CLOSED = Delivery(
    LectureEvent(revision=-1, seq=None, type="lecture.revised", data={}), Cursor(-1, -1)
)
