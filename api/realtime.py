"""The process's realtime machinery: the event hub, the presence board and a publisher candidate,
run with the app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar

from tutopanda.db.connection import (
    api_connect_kwargs,
    api_conninfo,
    direct_url,
    runtime_conninfo,
)
from tutopanda.events.announcer import PresenceAnnouncer
from tutopanda.events.hub import ConnectionSource, EventHub
from tutopanda.events.presence import PresenceBoard
from tutopanda.events.publisher import PUBLISHER_NAME, PublisherThread, publisher_conninfo
from tutopanda.settings import Settings

LISTENER_NAME = "tutopanda-events"  # application_name of the one listening connection
PRESENCE_NAME = "tutopanda-presence"  # application_name of the presence announcements' connection
STOPPING = "server shutting down"  # the `disconnect` reason streams get when the server stops


def close_streams(app: Litestar) -> None:
    """End every event stream of this process now (each gets a `disconnect` event first), so a
    stopping server does not wait for them: clients reconnect and replay what they miss."""
    hub: EventHub | None = getattr(app.state, "event_hub", None)
    if hub is not None:
        hub.close_all(STOPPING)


def realtime_lifespan(
    settings: Settings, database_url: str, pool: ConnectionSource, *, publish: bool = True
) -> Any:
    """Run the hub (one LISTEN connection) and, with `publish`, a publisher candidate while the
    app runs.

    The hub runs on the app's loop, beside its subscribers; the publisher on a thread of its
    own (see PublisherThread), so that a busy loop does not delay the database's events.
    `tutopanda serve` runs its publisher in a process of its own instead
    (tutopanda.events.publisher_process), so that it takes nothing from the requests.

    Both keep their sessions, so they use the direct URL: a transaction-mode pooler cannot.
    Presence announces on a connection of its own (tutopanda.events.announcer), never one the
    requests need; it keeps no session, so it goes where the requests go.
    """
    direct = direct_url(settings, database_url)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        announcer = PresenceAnnouncer(
            api_conninfo(database_url, settings, application_name=PRESENCE_NAME),
            deadline_seconds=settings.request_deadline_seconds,
            connect_kwargs=api_connect_kwargs(settings),
        )
        board = PresenceBoard(announcer)
        hub = EventHub(
            runtime_conninfo(direct, settings, application_name=LISTENER_NAME),
            pool,
            queue_size=settings.stream_queue_events,
            on_presence=board.receive,
            on_connect=board.connected,
        )
        publisher = (
            PublisherThread(
                publisher_conninfo(settings, direct),
                interval_seconds=settings.event_poll_ms / 1000,
                name=PUBLISHER_NAME,
            )
            if publish
            else None
        )
        if publisher is not None:
            publisher.start()
        listener = asyncio.create_task(hub.run())
        beats = asyncio.create_task(board.run())
        app.state.event_hub = hub
        app.state.presence = board
        try:
            yield
        finally:
            beats.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beats
            await board.close()
            await announcer.close()
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
            if publisher is not None:
                await asyncio.to_thread(publisher.stop)

    return lifespan
