"""Procrastinate's worker, with a heartbeat that outlives a database outage and a quick stop.

In Procrastinate 3.10 one failed heartbeat (the database away for longer than the pool's wait)
ends the heartbeat task for good, unnoticed (see listener.py for why nothing watches side
tasks). The worker then keeps running jobs while looking dead, and every worker's stalled-job
recovery re-queues what it runs. Here a failed heartbeat is logged and retried at the next
interval.
"""

from __future__ import annotations

import asyncio
import logging

from procrastinate.worker import Worker

from tutopanda.workers.listener import ListeningConnector

logger = logging.getLogger("tutopanda.worker")


class OutageProofWorker(Worker):
    """A Procrastinate worker whose heartbeats resume when the database is back, and which stops
    within the connect timeout when the database is away (see ListeningConnector.stopping)."""

    def stop(self) -> None:
        """Stop gracefully (running jobs finish), then leave without a long wait."""
        if isinstance(self.app.connector, ListeningConnector):
            self.app.connector.stopping()
        super().stop()  # type: ignore[no-untyped-call]

    async def _update_heartbeat(self) -> None:
        failing = False
        while True:
            await asyncio.sleep(self.update_heartbeat_interval)
            assert self.worker_id is not None
            try:
                await self.app.job_manager.update_heartbeat(self.worker_id)
            except Exception as error:  # the database may be away: beat again next time
                if not failing:
                    logger.warning(
                        "worker %s: heartbeat failed (%s); retrying every %s s",
                        self.worker_id,
                        type(error).__name__,
                        self.update_heartbeat_interval,
                    )
                failing = True
                continue
            if failing:
                logger.warning("worker %s: heartbeats resumed", self.worker_id)
            failing = False
