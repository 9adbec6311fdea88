"""Running workers: standalone (`tutopanda worker`) or beside the API (`tutopanda serve`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable

from tutopanda.processes import STOP_SIGNALS, StopWatchdog
from tutopanda.settings import Settings
from tutopanda.workers.app import WORKFLOW_QUEUE, create_worker_app
from tutopanda.workers.generators.registry import build_generators
from tutopanda.workers.recovery import recover_stalled_jobs_forever
from tutopanda.workers.steps import StepRunner
from tutopanda.workers.worker import OutageProofWorker

logger = logging.getLogger("tutopanda.worker")
RESTART_DELAYS = (1, 2, 5, 10, 30)
# A worker that ran this long was healthy: its next failure starts the delays over (a process
# that lives through many failovers must not wait 30 s after each of them).
HEALTHY_RUN_SECONDS = 60.0


async def run_worker(
    settings: Settings, url: str, *, wait: bool = True, install_signal_handlers: bool = True
) -> None:
    """Process workflow jobs; with wait=False, return once the queue is empty."""
    runner = StepRunner(settings, build_generators(settings.generator_providers))
    app = create_worker_app(url, settings)
    async with app.open_async():
        worker = OutageProofWorker(  # what app.run_worker_async builds, with our heartbeat
            app,
            queues=[WORKFLOW_QUEUE],
            concurrency=settings.worker_concurrency,
            wait=wait,
            additional_context={"runner": runner},
            install_signal_handlers=install_signal_handlers,
            update_heartbeat_interval=settings.worker_heartbeat_seconds,
            fetch_job_polling_interval=settings.worker_poll_seconds,
            stalled_worker_timeout=settings.stalled_after_seconds,
            shutdown_graceful_timeout=30,
        )
        recovery = asyncio.create_task(
            recover_stalled_jobs_forever(app, WORKFLOW_QUEUE, settings.stalled_after_seconds)
        )
        try:
            await worker.run()  # type: ignore[no-untyped-call]
        finally:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery


async def supervise_worker(settings: Settings, url: str) -> None:
    """Run the worker; if the database is away, wait and start it again (until cancelled).

    Stopping it is cancelling it (signals are its caller's: Procrastinate's own handlers are
    not installed). A worker asked to stop is never started again, even when its shutdown
    failed (the database away during SIGTERM): `serve` and `worker` must exit.
    """
    failures = 0
    while True:
        started = time.monotonic()
        try:
            await run_worker(settings, url, install_signal_handlers=False)
            return
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if _stopping():  # Procrastinate turns a cancel into its own shutdown, which may fail
                logger.warning("worker stopped with %s: %s", type(error).__name__, error)
                raise asyncio.CancelledError from error
            if time.monotonic() - started >= HEALTHY_RUN_SECONDS:
                failures = 0
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            failures += 1
            logger.error(
                "worker stopped (%s: %s); restarting in %ss", type(error).__name__, error, delay
            )
            await asyncio.sleep(delay)


async def run_worker_until_signalled(settings: Settings, url: str) -> None:
    """`tutopanda worker`: run the worker, started again after failures, until SIGTERM/SIGINT.

    The signal cancels the supervisor rather than reaching Procrastinate's own handlers, so a
    shutdown that fails (the database away) ends the process instead of a restart; one that
    waits for a database that is gone is ended by a StopWatchdog.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(supervise_worker(settings, url))
    watchdog = StopWatchdog(url, settings.connect_timeout_seconds)

    def stopping() -> None:
        task.cancel()
        watchdog.start()

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stopping)
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _stopping() -> bool:
    """True when this task has been asked to stop (cancelled), whatever it raised since."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


async def run_worker_beside(settings: Settings, url: str, server: Awaitable[None]) -> None:
    """Serve the API with a worker in the same process; the server's signals stop both."""
    worker = asyncio.create_task(supervise_worker(settings, url))
    try:
        await server
    finally:
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
