"""A step whose write loses every race the database may retry (PT409 from app.lecture_write) is
not dropped: the run still waits for it, so the worker raises and the step is retried."""

from __future__ import annotations

from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture
from tests.support.sql import test_query
from tests.support.worker import running_worker, wait_for_run, worker_settings

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


async def test_a_step_out_of_write_attempts_is_retried(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    await admin_aconn.execute(test_query("first_lecture_writes_lose"))
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(aconn, "user-1", created.run_id)
    assert run.status == "succeeded", run.error
    assert [s.revision for s in run.steps] == [1, 2, 3, 4, 5, 6]
    assert [s.attempts for s in run.steps] == [2, 1, 1, 1, 1, 1]
