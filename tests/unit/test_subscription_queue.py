"""A subscriber's queue: live events in order, caught up in one write, closed with a reason (its
user removed from the project among them)."""

from __future__ import annotations

import asyncio

import pytest

from tutopanda.events.cursor import Cursor
from tutopanda.events.subscription import (
    _CLOSED,
    REMOVED,
    Aside,
    Delivery,
    SubscriberClosed,
    Subscription,
)
from tutopanda.models.events import LectureEvent

pytestmark = pytest.mark.asyncio


def revised(revision: int) -> Delivery:
    event = LectureEvent(revision=revision, seq=None, type="lecture.revised", data={})
    return Delivery(event, Cursor(revision, 0))


def subscription(size: int = 10) -> Subscription:
    return Subscription(1, Cursor(1, 0), asyncio.Queue(size))


def revisions(taken: list[Delivery | Aside]) -> list[int]:
    return [d.event.revision for d in taken if isinstance(d, Delivery)]


async def test_what_is_queued_is_taken_at_once_in_order_up_to_the_limit() -> None:
    behind = subscription()
    for revision in (1, 2, 3, 4, 5):  # 1 was seen before subscribing
        behind.offer(revised(revision))
    first = await behind.next_live(1.0)
    assert isinstance(first, Delivery)
    assert first.event.revision == 2
    assert revisions(behind.take_ready(2)) == [3, 4]
    assert revisions(behind.take_ready(64)) == [5]
    assert behind.cursor == Cursor(5, 0)
    assert behind.take_ready(64) == []
    assert await behind.next_live(0.05) is None


async def test_a_closed_subscriber_hears_why_once_what_it_took_is_sent() -> None:
    closing = subscription(size=3)
    for revision in (2, 3, 4):
        closing.offer(revised(revision))
    closing.offer(revised(5))  # the queue is full: closed, the queue emptied
    with pytest.raises(SubscriberClosed, match="slow consumer"):
        closing.take_ready(64)
    assert closing.cursor == Cursor(1, 0)  # nothing delivered: it replays from here


async def test_a_close_after_taken_events_comes_next() -> None:
    closing = subscription()
    closing.offer(revised(2))
    closing.queue.put_nowait(revised(3))
    closing.closed = "server stopping"
    closing.queue.put_nowait(_CLOSED)  # what close() queues (behind events, defensively)
    assert revisions(closing.take_ready(64)) == [2, 3]
    with pytest.raises(SubscriberClosed, match="server stopping"):
        await closing.next_live(1.0)


def removal(user_id: str, seq: int) -> Delivery:
    event = LectureEvent(revision=1, seq=seq, type="member.removed", data={"userId": user_id})
    return Delivery(event, Cursor(1, seq))


async def test_a_removal_closes_the_removed_users_subscribers_only() -> None:
    bobs = Subscription(1, Cursor(1, 0), asyncio.Queue(10), user_id="bob", opened=Cursor(1, 0))
    alices = Subscription(1, Cursor(1, 0), asyncio.Queue(10), user_id="alice")
    for each in (bobs, alices):
        each.offer(revised(2))
        each.offer(removal("bob", 1))
    with pytest.raises(SubscriberClosed, match=REMOVED):
        await bobs.next_live(1.0)  # what was queued before is dropped: he may not read it
    told = alices.take_ready(64)
    assert [d.event.type for d in told if isinstance(d, Delivery)] == [
        "lecture.revised",
        "member.removed",
    ]


async def test_a_removal_before_the_stream_opened_was_undone() -> None:
    """Bob's stream opened (his membership checked) after the removal: he was added again."""
    back = Subscription(1, Cursor(1, 0), asyncio.Queue(10), user_id="bob", opened=Cursor(1, 1))
    back.offer(removal("bob", 1))
    replayed = await back.next_live(1.0)
    assert isinstance(replayed, Delivery)
    assert back.closed is None
