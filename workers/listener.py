"""The worker's LISTEN connection, kept for good: re-established after the server comes back.

Procrastinate 3.10 reconnects its listener when the connection breaks, but only once: if the
server is still away at that moment the listener task ends with an error, and since the worker's
side-task monitor has already returned (it stops watching when the periodic deferrer, with no
periodic task to run, returns at once) nothing notices. The worker then silently polls forever.
This connector listens until cancelled: it reconnects with backoff, logs the loss and the return,
proves an idle connection alive once per check interval (a half-open connection that no longer
answers is replaced), and wakes the worker once it listens again so that jobs deferred during the
gap start at once instead of at the next poll.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterable
from typing import Any

from procrastinate import PsycopgConnector, connector, sql
from psycopg import AsyncConnection

logger = logging.getLogger("tutopanda.worker")

RECONNECT_DELAYS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0)  # seconds, then every 5 s
# What a worker receives when a job is deferred; sent to itself after listening again.
WAKE_UP = json.dumps({"type": "job_inserted", "job_id": 0})


class ListeningConnector(PsycopgConnector):
    """Procrastinate's psycopg connector whose listener survives restarts and outages."""

    def __init__(self, *, check_seconds: float, stopping_wait_seconds: float, **pool_args: Any):
        super().__init__(**pool_args)
        self._check_seconds = check_seconds
        self._stopping_wait_seconds = stopping_wait_seconds

    def stopping(self) -> None:
        """The worker stops: from now on wait for a connection no longer than a connect takes.

        The pool waits up to its timeout (30 s, to ride out busy moments); with the database away
        while the worker stops, its last write (unregistering) would hold the exit that long."""
        if self._async_pool is not None:
            self._async_pool.timeout = min(self._async_pool.timeout, self._stopping_wait_seconds)

    async def listen_notify(
        self, on_notification: connector.Notify, channels: Iterable[str]
    ) -> None:
        """LISTEN on `channels` and relay every notification, until cancelled."""
        names = list(channels)
        lost_at: float | None = None
        failures = 0
        while True:
            try:
                async with self._get_standalone_connection() as connection:
                    await self._listen(connection, names)
                    if lost_at is not None:
                        logger.warning(
                            "listening again on %s, %.1f s after the connection was lost",
                            ", ".join(names),
                            time.monotonic() - lost_at,
                        )
                        for name in names:
                            await on_notification(channel=name, payload=WAKE_UP)
                    lost_at, failures = None, 0
                    await self._relay(connection, names, on_notification)
            except Exception as error:  # the listener must outlive any failure; it logs them
                if lost_at is None:
                    lost_at = time.monotonic()
                    logger.warning(
                        "lost the LISTEN connection (%s: %s); jobs are polled until it is back",
                        type(error).__name__,
                        (str(error).strip() or "no detail").splitlines()[0],
                    )
            await asyncio.sleep(RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)])
            failures += 1

    async def _listen(self, connection: AsyncConnection[Any], names: list[str]) -> None:
        """LISTEN on every channel (again: a no-op that proves the connection answers)."""
        for name in names:
            statement = self._make_dynamic_query(sql.queries["listen_queue"], channel_name=name)
            await asyncio.wait_for(connection.execute(statement), self._check_seconds)

    async def _relay(
        self,
        connection: AsyncConnection[Any],
        names: list[str],
        on_notification: connector.Notify,
    ) -> None:
        """Hand notifications over; every check interval, make sure the server still answers."""
        while True:
            async for notify in connection.notifies(timeout=self._check_seconds):
                await on_notification(channel=notify.channel, payload=notify.payload)
            await self._listen(connection, names)
