"""A workflow step's database work has the request deadline too: a step held past it fails, is
retried, and is written once when the hold is gone."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture
from tests.support.sql import test_query
from tests.support.worker import running_worker, wait_for_run, worker_settings

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
DEADLINE = 0.5


async def test_a_held_step_fails_at_its_deadline_and_is_retried(
    database: TestDatabase, aconn: Conn
) -> None:
    """The lectures are locked for three deadlines (~1.5 s): without a deadline the first
    attempt would simply wait them out."""
    settings = worker_settings(
        TUTOPANDA_REQUEST_DEADLINE_SECONDS=str(DEADLINE), TUTOPANDA_STEP_RETRIES="6"
    )
    created = await new_lecture(aconn)
    async with await AsyncConnection.connect(database.admin_url) as holder:
        await holder.execute(test_query("lectures_lock"))
        async with running_worker(settings, database.admin_url):
            await asyncio.sleep(3 * DEADLINE)
            waiting = await (await holder.execute(test_query("lock_waiters"))).fetchone()
            await holder.rollback()  # the lock goes
            run = await wait_for_run(aconn, "user-1", created.run_id)

    assert waiting in ((0,), (1,))  # cancelled each time, not piling up behind the lock
    assert run.status == "succeeded", run.error
    assert [s.revision for s in run.steps] == [1, 2, 3, 4, 5, 6]
    assert run.steps[0].attempts >= 2
