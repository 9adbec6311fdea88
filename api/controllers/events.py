"""`/lectures/{lectureId}/events`: the lecture's changes as Server-Sent Events, replayable by id."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import HeaderParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from tutopanda.api.database import Database
from tutopanda.api.params import LectureIdPath, UserId
from tutopanda.api.problems import problems
from tutopanda.bearer import display_name
from tutopanda.events.cursor import Cursor
from tutopanda.events.hub import EventHub
from tutopanda.events.presence import PresenceBoard
from tutopanda.events.subscription import Aside, Delivery, SubscriberClosed
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


def _encoded(item: Delivery | Aside) -> bytes:
    return item.frame if isinstance(item, Aside) else _live_frame(item).encode()


def _presence(event: dict[str, Any]) -> Aside:
    """A presence event as its frame: no `id` (it is not replayed, and a resumed stream's
    position stays the lecture's)."""
    text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    return Aside(ServerSentEventMessage(data=text, event="presence").encode())


@dataclass(frozen=True)
class _Follow:
    """One stream to serve: where it starts, who follows it, what it opens with; `opened` is
    the lecture's position where the follower's membership was checked."""

    hub: EventHub
    board: PresenceBoard
    lecture_id: int
    start: Cursor
    opened: Cursor
    user: str
    name: str
    opening: ServerSentEventMessage | None
    heartbeat_seconds: float


def _state(start: StreamStart, lecture_id: int) -> dict[str, Any]:
    return {"lectureId": lecture_id, "revision": start.revision, "runs": start.runs}


async def _stream(follow: _Follow) -> AsyncIterator[ServerSentEventMessage]:
    """The stream. The subscription and the presence are taken when it starts, inside the
    `try` that gives them back: a response that never starts streaming (its client gone at
    once) leaves nothing behind."""
    hub, board, lecture_id = follow.hub, follow.board, follow.lecture_id
    subscription = hub.subscribe(
        lecture_id, follow.start, user_id=follow.user, opened=follow.opened
    )

    def tell(event: dict[str, Any]) -> None:
        subscription.offer_aside(_presence(event))

    others = board.listen(lecture_id, tell)
    session = None
    try:
        session = await board.join(lecture_id, follow.user, follow.name)
        if follow.opening is not None:
            yield follow.opening
        async for event in hub.replay(subscription):
            yield _message(event.type, event.data, subscription.cursor)
        yield _Frame(_presence({"kind": "state", "present": others}).frame)  # caught up
        while True:
            live = await subscription.next_live(follow.heartbeat_seconds)
            if live is None:
                yield ServerSentEventMessage(data=None, comment="heartbeat")
                continue
            behind = subscription.take_ready(MAX_EVENTS_PER_WRITE - 1)
            if not behind:
                yield _Frame(live.frame) if isinstance(live, Aside) else _live_frame(live)
            else:  # fell behind: what is queued goes in one write
                yield _Frame(b"".join(_encoded(each) for each in (live, *behind)))
    except SubscriberClosed as closed:
        yield _message("disconnect", {"reason": closed.reason}, subscription.cursor)
    finally:
        hub.unsubscribe(subscription)
        board.unlisten(lecture_id, tell)
        if session is not None:  # shielded: the stream's task is being cancelled
            await asyncio.shield(board.leave(session))


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
        request: Request[Any, Any, Any],
        state: State,
        user: UserId,
        lecture_id: LectureIdPath,
        last_event_id: LastEventId = None,
    ) -> ServerSentEvent:
        """`lecture.state` first (revision, active runs), then `lecture.revised`,
        `workflow.progress` and `member.removed` as they commit; each event's `id` resumes the
        stream after it (`Last-Event-ID`), replayed from the database. `resync` means: fetch the
        lecture again. A member removed from the project gets `disconnect` (`removed from the
        project`) instead, and the stream ends: their reconnect is 404.

        Presence: with the stream open the caller is present on the lecture. `presence` events
        (no `id`, never replayed) say who is: `{"kind": "state", "present": [{userId, name,
        focus}]}` once the stream has caught up, then `joined`, `focus` (PUT
        /lectures/{id}/presence) and `left`, for every member on any API process."""
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
        follow = _Follow(
            hub=hub,
            board=state.presence,
            lecture_id=lecture_id,
            start=resume if replayable and resume else current,
            opened=current,
            user=user,
            name=display_name(str(request.auth), user),
            opening=opening,
            heartbeat_seconds=settings.stream_heartbeat_seconds,
        )
        return ServerSentEvent(
            _stream(follow),
            retry_duration=RETRY_MS,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )


def _within(resume: Cursor, current: Cursor) -> bool:
    """True when `resume` is a position this lecture has reached, with few enough events after."""
    if resume.revision > current.revision or resume.seq > current.seq:
        return False  # not this lecture's past: another database, or a forged id
    missed = (current.revision - resume.revision) + (current.seq - resume.seq)
    return missed <= MAX_REPLAY
