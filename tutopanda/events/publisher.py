"""The event publisher: one per database (an advisory lock elects it), announcing in batches.

Every API process runs a candidate. The elected one calls `api.events_publish()` every few
milliseconds: a read when nothing changed, one short transaction with one NOTIFY per batch
otherwise. When it dies its lock goes with its session and another candidate takes over from
the horizon stored in the database, so no change is announced twice or skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import AsyncConnection

from tutopanda.errors import Unavailable
from tutopanda.store import events

if TYPE_CHECKING:  # the publisher's own process loads neither (tutopanda.events.publisher_process)
    from tutopanda.settings import Settings

logger = logging.getLogger("tutopanda.events")
RETRY_SECONDS = 1.0
# What a lost or restarting database raises; anything else is a bug and is raised.
TRANSIENT_ERRORS = (psycopg.Error, OSError, Unavailable)


async def publish_forever(
    conninfo: str, *, interval_seconds: float, claim_retry_seconds: float = RETRY_SECONDS
) -> None:
    """Take the publisher's role when it is free and publish until cancelled."""
    while True:
        try:
            async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
                while not await events.claim_publisher(conn):
                    await asyncio.sleep(claim_retry_seconds)
                logger.info("publishing this database's events every %ss", interval_seconds)
                while True:
                    await events.publish(conn)
                    await asyncio.sleep(interval_seconds)
        except asyncio.CancelledError:
            raise
        except TRANSIENT_ERRORS as error:
            logger.warning("event publisher lost its connection (%s); retrying", error)
            await asyncio.sleep(claim_retry_seconds)


def publish_blocking(
    conninfo: str, *, interval_seconds: float, claim_retry_seconds: float = RETRY_SECONDS
) -> None:
    """`publish_forever` on a blocking connection, for a process that does nothing else
    (tutopanda.events.publisher_process): an event loop's poll took ~15 system calls and about
    0.1 cores with nothing to publish, this takes a query's two and a sleep. Runs until the
    process ends."""
    while True:
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn, conn.cursor() as cursor:
                while not events.claim_publisher_blocking(cursor):
                    time.sleep(claim_retry_seconds)
                logger.info("publishing this database's events every %ss", interval_seconds)
                while True:
                    events.publish_blocking(cursor)
                    time.sleep(interval_seconds)
        except TRANSIENT_ERRORS as error:
            logger.warning("event publisher lost its connection (%s); retrying", error)
            time.sleep(claim_retry_seconds)


PUBLISHER_NAME = "tutopanda-publisher"  # its application_name


def publisher_conninfo(settings: Settings, direct: str) -> str:
    """A publisher's connection: the runtime role on the direct URL (the advisory lock that
    elects it belongs to its session)."""
    from tutopanda.db.connection import runtime_conninfo  # noqa: PLC0415 (see the imports)

    return runtime_conninfo(direct, settings, application_name=PUBLISHER_NAME)


class PublisherThread:
    """A publisher candidate on an event loop and a thread of its own.

    The publisher announces every lecture of the database, for every API process. On the API's
    own loop it would wait behind whatever that loop is busy with (one event fanned out to a
    thousand subscribers is tens of milliseconds of ready callbacks), delaying every process's
    events; on its own thread it needs the interpreter only for the moments of a poll.
    """

    def __init__(self, conninfo: str, *, interval_seconds: float, name: str):
        self._conninfo = conninfo
        self._interval = interval_seconds
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._started = threading.Event()

    def start(self) -> None:
        self._thread.start()
        self._started.wait()

    def stop(self, timeout: float = 10.0) -> None:
        """Cancel the publisher (its session, and so its role, ends) and wait for the thread."""
        if self._loop is not None and self._task is not None:
            with contextlib.suppress(RuntimeError):  # the loop has ended already
                self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            asyncio.run(self._publish())
        except asyncio.CancelledError:
            pass
        except Exception:
            logger.exception("event publisher stopped")
        finally:
            self._started.set()  # never leave start() waiting

    async def _publish(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._started.set()
        await publish_forever(self._conninfo, interval_seconds=self._interval)
