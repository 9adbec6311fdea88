"""Presence announcements on a connection of their own, never one of the requests' pool.

Presence is chatty (a focus change per member up to ten times a second, a beat every ten
seconds, a join and a leave per stream) and worth nothing once late. So it has one autocommit
connection per API process, opened on the first announcement, that sends one `pg_notify` at a
time and writes nothing. A flood of presence never delays a save, and a database that is away
costs the requests nothing more:

- an announcement that fails (the connection lost, the server away, past its deadline) closes
  the connection, and for RETRY_SECONDS the announcements that follow are dropped at once rather
  than queued behind another attempt to connect. The next one after that connects again;
- the first failure is logged, and the recovery, not every dropped announcement. Presence
  catches up by itself: every process announces its sessions again when its listening connection
  reconnects (`sync`) and every ten seconds (`beat`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from psycopg import AsyncConnection

from tutopanda.db.deadline import deadline
from tutopanda.db.queries import query

logger = logging.getLogger("tutopanda.events")
RETRY_SECONDS = 1.0  # after a failed announcement, announcements are dropped for this long


class PresenceAnnouncer:
    """`await announcer(payload)`: one presence notification (tutopanda.events.presence)."""

    def __init__(
        self,
        conninfo: str,
        *,
        deadline_seconds: float,
        connect_kwargs: dict[str, Any] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._conninfo = conninfo
        self._deadline_seconds = deadline_seconds
        # The API's (tutopanda.db.connection.api_connect_kwargs): autocommit, and no prepared
        # statements through a transaction-mode pooler.
        self._connect_kwargs = connect_kwargs or {"autocommit": True}
        self._clock = clock
        self._statement = query("presence_announce")
        self._conn: AsyncConnection[Any] | None = None
        self._lock = asyncio.Lock()
        self._dropping_until = 0.0
        self._failing = False  # since the last failure, nothing was sent yet

    async def __call__(self, payload: str) -> None:
        if self._dropping():
            return
        async with self._lock:  # one at a time, in order
            if self._dropping():  # failed while this one waited
                return
            try:
                conn = await self._connection()
                async with deadline(conn, self._deadline_seconds):
                    await conn.execute(self._statement, {"payload": payload})
            except Exception as error:
                await self._drop()
                self._dropping_until = self._clock() + RETRY_SECONDS
                if not self._failing:
                    self._failing = True
                    logger.warning(
                        "presence not announced (retried in %.0f s): %s", RETRY_SECONDS, error
                    )
                return
            if self._failing:
                self._failing = False
                logger.info("presence announced again")

    async def close(self) -> None:
        async with self._lock:
            await self._drop()

    def _dropping(self) -> bool:
        return self._clock() < self._dropping_until

    async def _connection(self) -> AsyncConnection[Any]:
        if self._conn is None or self._conn.closed:
            self._conn = await AsyncConnection.connect(self._conninfo, **self._connect_kwargs)
        return self._conn

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.closed:
            await conn.close()
