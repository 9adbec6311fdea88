"""Failures on a real worker: enqueue atomicity, repeated steps, cancel, retries."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture
from tests.support.generators import FailsTwice, Gate
from tests.support.sql import test_query
from tests.support.worker import running_worker, wait_for_run, worker_settings
from tutopanda.store import lectures, workflows

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


async def rows(conn: Conn, name: str, **params: Any) -> list[tuple[Any, ...]]:
    return await (await conn.execute(test_query(name), params)).fetchall()


async def history_of(admin: Conn, lecture_id: int) -> list[tuple[Any, ...]]:
    return await rows(admin, "history_rows", lecture_id=lecture_id)


async def test_enqueue_commits_or_rolls_back_with_the_run(
    database: TestDatabase, admin_aconn: Conn, aconn: Conn
) -> None:
    async with await AsyncConnection.connect(database.runtime_conninfo) as conn:
        rolled_back = await new_lecture(conn, prompt="Never")
        await conn.rollback()
        committed = await new_lecture(conn, prompt="Always")
        await conn.commit()
    assert await rows(admin_aconn, "run_jobs", run_id=rolled_back.run_id) == []
    assert len(await rows(admin_aconn, "run_jobs", run_id=committed.run_id)) == 1
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(aconn, "user-1", committed.run_id)
    assert run.status == "succeeded"


async def test_a_step_run_twice_writes_once(
    database: TestDatabase, admin_aconn: Conn, aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    for _ in range(2):  # the first step's job, twice more
        await admin_aconn.execute(
            test_query("enqueue_step_again"), {"run_id": created.run_id, "step_index": 1}
        )
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(aconn, "user-1", created.run_id)
    assert (run.status, [s.revision for s in run.steps]) == ("succeeded", [1, 2, 3, 4, 5, 6])
    history = await history_of(admin_aconn, created.lecture_id)
    assert [r[0] for r in history] == [0, 1, 2, 3, 4, 5, 6]
    jobs = await rows(admin_aconn, "job_statuses", run_id=created.run_id)
    assert [job[:2] for job in jobs].count((1, "succeeded")) == 3


async def test_cancel_mid_run_stops_at_the_step_boundary(
    database: TestDatabase, admin_aconn: Conn, aconn: Conn
) -> None:
    Gate.reset()
    assert Gate.entered is not None
    assert Gate.release is not None
    created = await new_lecture(aconn)
    settings = worker_settings(TUTOPANDA_GENERATORS="narration=tests.support.generators:Gate")
    async with running_worker(settings, database.admin_url):
        await asyncio.wait_for(Gate.entered.wait(), timeout=30)  # step 3 is running
        assert await workflows.cancel_run(aconn, "user-1", created.run_id) == "cancelled"
        Gate.release.set()
        run = await wait_for_run(aconn, "user-1", created.run_id)
        await asyncio.sleep(0.5)  # anything still queued would run now
    assert (run.status, run.current_step) == ("cancelled", 2)
    assert [s.name for s in run.steps] == ["script", "image_prompts"]
    lecture = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert (lecture.revision, lecture.narration) == (2, [])
    assert len(await history_of(admin_aconn, created.lecture_id)) == 3


async def test_transient_failures_retry_then_the_run_fails_with_the_error(
    database: TestDatabase, admin_aconn: Conn, aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    settings = worker_settings(
        TUTOPANDA_GENERATORS="narration=tests.support.generators:AlwaysFails",
        TUTOPANDA_STEP_RETRIES="2",
    )
    async with running_worker(settings, database.admin_url):
        run = await wait_for_run(aconn, "user-1", created.run_id)
    assert (run.status, run.current_step) == ("failed", 2)
    assert run.error is not None
    assert "after 3 attempts" in run.error
    assert "narration provider unavailable" in run.error
    jobs = await rows(admin_aconn, "job_statuses", run_id=created.run_id)
    assert jobs[-1] == (3, "failed", 3)  # Procrastinate counts the attempts it made
    assert [r[0] for r in await history_of(admin_aconn, created.lecture_id)] == [0, 1, 2]


async def test_transient_failures_that_recover_complete_the_run(
    database: TestDatabase, aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    settings = worker_settings(
        TUTOPANDA_GENERATORS="narration=tests.support.generators:FailsTwice",
        TUTOPANDA_STEP_RETRIES="3",
    )
    async with running_worker(settings, database.admin_url):
        run = await wait_for_run(aconn, "user-1", created.run_id)
    assert run.status == "succeeded"
    assert [s.attempts for s in run.steps] == [1, 1, 3, 1, 1, 1]
    assert FailsTwice.calls[created.run_id] == 3


async def test_a_step_that_cannot_work_fails_the_run_without_retrying(
    database: TestDatabase, admin_aconn: Conn, aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    # The narration generator as the script step: it needs a script, so it fails permanently.
    settings = worker_settings(
        TUTOPANDA_GENERATORS="script=tutopanda.workers.generators.media:generate_narration"
    )
    async with running_worker(settings, database.admin_url):
        run = await wait_for_run(aconn, "user-1", created.run_id)
    assert (run.status, run.current_step) == ("failed", 0)
    assert run.error is not None
    assert "needs a script" in run.error
    jobs = await rows(admin_aconn, "job_statuses", run_id=created.run_id)
    assert jobs == [(1, "succeeded", 1)]  # one attempt: no retry
