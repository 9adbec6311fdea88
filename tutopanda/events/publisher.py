"""The event publisher: one per database (an advisory lock elects it), announcing in batches.

Every API process runs a candidate. The elected one calls `api.events_publish()` every few
milliseconds: a read when nothing changed, one short transaction with one NOTIFY per batch
otherwise. When it dies its lock goes with its session and another candidate takes over from
the horizon stored in the database, so no change is announced twice or skipped.
"""

from __future__ import annotations

import asyncio
import logging

import psycopg
from psycopg import AsyncConnection

from tutopanda.errors import Unavailable
from tutopanda.store import events

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
