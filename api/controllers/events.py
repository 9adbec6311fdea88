"""`/lectures/{lectureId}/events`: the lecture's changes as Server-Sent Events, replayable by id."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from litestar import Controller, get
from litestar.datastructures import State
from litestar.params import HeaderParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from tutopanda.api.database import Database
from tutopanda.api.params import LectureIdPath, UserId
from tutopanda.api.problems import problems
from tutopanda.events.cursor import Cursor
from tutopanda.events.hub import Delivery, EventHub, SubscriberClosed, Subscription
from tutopanda.models.events import StreamStart
from tutopanda.settings import Settings
from tutopanda.store import events

LastEventId = Annotated[
    str | None,
    HeaderParameter(
        name="Last-Event-ID",
        required=False,
        description="the id of the last event received: the stream replays what came after it",
    ),
]
MAX_REPLAY = 10_000  # more missed events than this: `resync` (fetch the lecture) instead
RETRY_MS = 1000  # how soon a browser's EventSource reconnects
MAX_EVENTS_PER_WRITE = 64  # a subscriber that fell behind gets up to this many in one write


def _message(event: str, data: Any, cursor: Cursor) -> ServerSentEventMessage:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return ServerSentEventMessage(data=text, event=event, id=cursor.event_id())


class _Frame(ServerSentEventMessage):
    """A message encoded once and sent as is to every subscriber of a live event."""

    def __init__(self, encoded: bytes):
        super().__init__()
        self._encoded = encoded

    def encode(self) -> bytes:
        return self._encoded


def _live_frame(delivery: Delivery) -> ServerSentEventMessage:
    frame = delivery.memo.get("sse")
    if frame is None:
        event = delivery.event
        frame = _Frame(_message(event.type, event.data, delivery.cursor).encode())
        delivery.memo["sse"] = frame
    return frame


def _state(start: StreamStart, lecture_id: int) -> dict[str, Any]:
    return {"lectureId": lecture_id, "revision": start.revision, "runs": start.runs}


async def _stream(
    hub: EventHub,
    subscription: Subscription,
    opening: ServerSentEventMessage | None,
    heartbeat_seconds: float,
) -> AsyncIterator[ServerSentEventMessage]:
    try:
        if opening is not None:
            yield opening
        async for event in hub.replay(subscription):
            yield _message(event.type, event.data, subscription.cursor)
        while True:
            live = await subscription.next_live(heartbeat_seconds)
            if live is None:
                yield ServerSentEventMessage(data=None, comment="heartbeat")
                continue
            behind = subscription.take_ready(MAX_EVENTS_PER_WRITE - 1)
            if not behind:
                yield _live_frame(live)
            else:  # fell behind: what is queued goes in one write
                yield _Frame(b"".join(_live_frame(each).encode() for each in (live, *behind)))
    except SubscriberClosed as closed:
        yield _message("disconnect", {"reason": closed.reason}, subscription.cursor)
    finally:
        hub.unsubscribe(subscription)


class LectureEventsController(Controller):
    """Realtime: every committed change of a lecture, as it commits."""

    path = "/lectures/{lecture_id:int}/events"
    tags = ["events"]

    @get(
        "/",
        summary="Follow a lecture's changes (Server-Sent Events)",
        media_type="text/event-stream",
        responses=problems(401, 404, 503),
    )
    async def follow(
        self,
        state: State,
        user: UserId,
        lecture_id: LectureIdPath,
        last_event_id: LastEventId = None,
    ) -> ServerSentEvent:
        """`lecture.state` first (revision, active runs), then `lecture.revised` and
        `workflow.progress` as they commit; each event's `id` resumes the stream after it
        (`Last-Event-ID`), replayed from the database. `resync` means: fetch the lecture again."""
        hub: EventHub = state.event_hub
        database: Database = state.database
        settings: Settings = state.settings
        async with database.connection() as conn:
            start = await events.open_stream(conn, user, lecture_id)
        current = Cursor(start.revision, start.progress_seq)
        resume = Cursor.parse(last_event_id) if last_event_id else None
        replayable = resume is not None and _within(resume, current)
        opening = None
        if resume is None or not replayable:
            kind = "lecture.state" if last_event_id is None else "resync"
            opening = _message(kind, _state(start, lecture_id), current)
        subscription = hub.subscribe(lecture_id, resume if replayable and resume else current)
        return ServerSentEvent(
            _stream(hub, subscription, opening, settings.stream_heartbeat_seconds),
            retry_duration=RETRY_MS,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )


def _within(resume: Cursor, current: Cursor) -> bool:
    """True when `resume` is a position this lecture has reached, with few enough events after."""
    if resume.revision > current.revision or resume.seq > current.seq:
        return False  # not this lecture's past: another database, or a forged id
    missed = (current.revision - resume.revision) + (current.seq - resume.seq)
    return missed <= MAX_REPLAY
