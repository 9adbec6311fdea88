"""Recovery, on every worker: jobs left `doing` by a worker that stopped heartbeating are retried,
proposals whose review time passed are recorded as expired, expired idempotency keys deleted.

Procrastinate does not retry stalled jobs by itself. Every worker checks; a job another worker
already retried is skipped. A retried step is safe: the step function writes each step only once.
A proposal waits as rows, not as a sleeping job, so any worker (or none for a while) can expire it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

from procrastinate import App, PsycopgConnector
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from tutopanda.store import idempotency, workflows

logger = logging.getLogger("tutopanda.worker")


async def retry_stalled_jobs(app: App, queue: str, stalled_after_seconds: float) -> int:
    """Retry the stalled jobs of `queue` once; return how many were re-queued."""
    retried = 0
    jobs = await app.job_manager.get_stalled_jobs(
        queue=queue, seconds_since_heartbeat=stalled_after_seconds
    )
    for job in jobs:
        try:
            await app.job_manager.retry_job(job)
        except Exception as error:  # taken by another worker meanwhile
            logger.info("stalled job %s not retried: %s", job.id, error)
            continue
        retried += 1
        logger.warning("re-queued stalled job %s (%s %s)", job.id, job.task_name, job.task_kwargs)
    return retried


def _pool(app: App) -> AsyncConnectionPool[AsyncConnection[Any]]:
    return cast(
        AsyncConnectionPool[AsyncConnection[Any]], cast(PsycopgConnector, app.connector).pool
    )


async def expire_reviews(app: App) -> int:
    """Record the proposals whose review time has passed as expired; return how many."""
    async with _pool(app).connection() as conn:
        expired = await workflows.expire_reviews(conn)
    if expired:
        logger.info("%s proposal(s) expired unreviewed", expired)
    return expired


async def prune_idempotency_keys(app: App) -> int:
    """Delete the idempotency keys (kept answers of writes) that have expired; how many."""
    async with _pool(app).connection() as conn:
        return await idempotency.prune(conn)


async def recover_stalled_jobs_forever(app: App, queue: str, stalled_after_seconds: float) -> None:
    """Check for stalled jobs, expired reviews and expired idempotency keys every half
    stalled-timeout until cancelled."""
    interval = max(0.2, stalled_after_seconds / 2)
    while True:
        await asyncio.sleep(interval)
        try:
            await retry_stalled_jobs(app, queue, stalled_after_seconds)
            await expire_reviews(app)
            await prune_idempotency_keys(app)
        except Exception as error:  # the database may be away; try again next time
            logger.warning("recovery check failed: %s", error)
