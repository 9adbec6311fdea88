"""Running a real Procrastinate worker inside a test, and waiting for runs to finish."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from psycopg import AsyncConnection

from tutopanda.models.workflow import RunStatus, WorkflowRun
from tutopanda.settings import Settings, load_settings
from tutopanda.store import workflows
from tutopanda.workers.runner import run_worker

FINISHED: tuple[RunStatus, ...] = ("succeeded", "failed", "cancelled", "rejected", "expired")


def worker_settings(**overrides: str) -> Settings:
    """Fast heartbeats, quick retries: recovery and failures happen in seconds."""
    environment: Mapping[str, str] = {
        "TUTOPANDA_WORKER_HEARTBEAT_SECONDS": "0.5",
        "TUTOPANDA_WORKER_POLL_SECONDS": "0.2",
        "TUTOPANDA_STALLED_AFTER_SECONDS": "2",
        "TUTOPANDA_STEP_RETRIES": "2",
        "TUTOPANDA_STEP_RETRY_BASE_SECONDS": "0",
        "TUTOPANDA_WORKER_CONCURRENCY": "2",
        **overrides,
    }
    return load_settings(environment)


@contextlib.asynccontextmanager
async def running_worker(settings: Settings, url: str) -> AsyncIterator[asyncio.Task[None]]:
    """A worker processing jobs in this event loop until the block ends."""
    task = asyncio.create_task(run_worker(settings, url, install_signal_handlers=False))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def wait_for_run(
    conn: AsyncConnection[Any],
    user_id: str,
    run_id: str,
    statuses: tuple[RunStatus, ...] = FINISHED,
    timeout: float = 30.0,
) -> WorkflowRun:
    """Poll the run until its status is one of `statuses`."""
    deadline = time.monotonic() + timeout
    while True:
        run = await workflows.get_run(conn, user_id, run_id)
        if run.status in statuses:
            return run
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} still {run.status} at step {run.current_step}")
        await asyncio.sleep(0.05)
