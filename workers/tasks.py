"""The Procrastinate task that runs one workflow step (its job args: run_id, step_index)."""

from __future__ import annotations

import logging
from typing import Any, cast

from procrastinate import JobContext, PsycopgConnector
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from tutopanda.workers.steps import StepRunner

logger = logging.getLogger("tutopanda.worker")


async def run_workflow_step(context: JobContext, run_id: str, step_index: int) -> None:
    """Run step `step_index` of run `run_id`: compute it, then write it once, in one transaction.

    Exceptions are retried by Procrastinate (with backoff, up to TUTOPANDA_STEP_RETRIES); the
    last failed attempt marks the run failed first.
    """
    runner = cast(StepRunner, context.additional_context["runner"])
    connector = cast(PsycopgConnector, context.app.connector)
    pool = cast(AsyncConnectionPool[AsyncConnection[Any]], connector.pool)
    attempt = context.job.attempts
    outcome = await runner.run(pool, run_id, step_index, attempt=attempt)
    logger.info("run %s step %s (attempt %s): %s", run_id, step_index, attempt + 1, outcome)
