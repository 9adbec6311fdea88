"""Stalled-job recovery: jobs left `doing` by a worker that stopped heartbeating are retried.

Procrastinate does not do this by itself. Every worker checks; a job another worker already
retried is skipped. A retried step is safe: the step function writes each step only once.
"""

from __future__ import annotations

import asyncio
import logging

from procrastinate import App

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


async def recover_stalled_jobs_forever(app: App, queue: str, stalled_after_seconds: float) -> None:
    """Check for stalled jobs every half stalled-timeout until cancelled."""
    interval = max(0.2, stalled_after_seconds / 2)
    while True:
        await asyncio.sleep(interval)
        try:
            await retry_stalled_jobs(app, queue, stalled_after_seconds)
        except Exception as error:  # the database may be away; try again next time
            logger.warning("stalled-job check failed: %s", error)
