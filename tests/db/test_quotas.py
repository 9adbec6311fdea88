"""Per-user quotas in the database: active runs and projects per hour, counted under the user's
lock so that concurrent starts from any number of sessions never overshoot, and refused whole."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import patch
from tests.support.races import race
from tests.support.sql import test_query
from tutopanda.errors import QuotaExceeded
from tutopanda.models.project import CreatedProject, ProjectCreate
from tutopanda.quotas import QUOTA_NAMES, Quotas
from tutopanda.store import lectures, projects, workflows
from tutopanda.workflows import TIMELINE_RESYNTHESIS

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
ONE_RUN = Quotas(max_active_runs=1, max_projects_per_hour=100)
USER = "quota-user"


async def create(conn: Conn, quotas: Quotas = ONE_RUN, user: str = USER) -> CreatedProject:
    request = ProjectCreate(prompt="Tides")
    return await projects.create_project(conn, user, request, quotas=quotas)


async def written(admin: Conn) -> tuple[Any, ...]:
    row = await (await admin.execute(test_query("rows_a_start_writes"))).fetchone()
    assert row is not None
    return tuple(row)


async def refused(write: Coroutine[Any, Any, Any]) -> QuotaExceeded:
    with pytest.raises(QuotaExceeded) as error:
        await write
    assert error.value.quota in QUOTA_NAMES
    return error.value


async def test_the_run_past_the_quota_is_refused_and_writes_nothing(
    aconn: Conn, admin_aconn: Conn
) -> None:
    await create(aconn)
    before = await written(admin_aconn)
    error = await refused(create(aconn))
    assert (error.quota, error.limit, error.retry_after) == ("active_runs", 1, 30)
    assert await written(admin_aconn) == before
    await create(aconn, user="someone-else")  # a quota is per user


async def test_a_finished_run_frees_its_slot(aconn: Conn) -> None:
    first = await create(aconn)
    await refused(create(aconn))
    await workflows.cancel_run(aconn, USER, first.run_id)
    second = await create(aconn)
    await refused(create(aconn))
    await workflows.fail_run(aconn, second.run_id, "model refused")
    await create(aconn)


async def test_every_way_of_queueing_a_run_counts(aconn: Conn, admin_aconn: Conn) -> None:
    first = await create(aconn)
    await lectures.save_draft(
        aconn, USER, first.lecture_id, 0, patch(images=[{"id": "img-1", "prompt": "A moon"}])
    )
    await workflows.cancel_run(aconn, USER, first.run_id)
    second = await create(aconn)  # the one active run
    before = await written(admin_aconn)
    await refused(create(aconn))
    await refused(
        workflows.create_run(aconn, USER, first.lecture_id, TIMELINE_RESYNTHESIS, quotas=ONE_RUN)
    )
    await refused(workflows.resume_run(aconn, USER, first.run_id, quotas=ONE_RUN))
    await refused(
        workflows.regenerate_asset(
            aconn, USER, first.lecture_id, "image", "img-1", review_seconds=60, quotas=ONE_RUN
        )
    )
    assert await written(admin_aconn) == before
    await workflows.cancel_run(aconn, USER, second.run_id)
    assert await workflows.resume_run(aconn, USER, first.run_id, quotas=ONE_RUN) == "queued"


async def test_projects_per_hour_is_a_sliding_window(aconn: Conn, admin_aconn: Conn) -> None:
    hourly = Quotas(max_active_runs=100, max_projects_per_hour=2)
    oldest = await create(aconn, hourly)
    await create(aconn, hourly)
    error = await refused(create(aconn, hourly))
    assert (error.quota, error.limit) == ("projects_per_hour", 2)
    assert 3590 <= error.retry_after <= 3600  # when the oldest of the hour leaves it
    age = test_query("project_age")
    await admin_aconn.execute(age, {"project_id": oldest.project_id, "minutes": 59})
    assert 55 <= (await refused(create(aconn, hourly))).retry_after <= 60
    await admin_aconn.execute(age, {"project_id": oldest.project_id, "minutes": 61})
    await create(aconn, hourly)
    await refused(create(aconn, hourly))


async def test_a_start_waiting_for_the_users_lock_counts_the_run_that_held_it(
    database: TestDatabase, admin_aconn: Conn
) -> None:
    async with (
        await AsyncConnection.connect(database.runtime_conninfo) as first,
        await AsyncConnection.connect(database.runtime_conninfo) as second,
    ):

        async def second_start() -> QuotaExceeded:
            error = await refused(create(second))
            await second.rollback()
            return error

        created, error = await race(admin_aconn, first, second, create(first), second_start())
    assert error.quota == "active_runs"
    assert created.project_id
    assert (await written(admin_aconn))[0] == 1  # the first session's project, alone


async def test_concurrent_starts_from_many_sessions_never_exceed_the_quota(
    database: TestDatabase, admin_aconn: Conn
) -> None:
    quotas = Quotas(max_active_runs=3, max_projects_per_hour=100)
    sessions = [
        await AsyncConnection.connect(database.runtime_conninfo, autocommit=True) for _ in range(8)
    ]
    try:
        outcomes = await asyncio.gather(
            *(create(conn, quotas) for conn in sessions), return_exceptions=True
        )
    finally:
        for conn in sessions:
            await conn.close()
    created = [o for o in outcomes if isinstance(o, CreatedProject)]
    refusals = [o for o in outcomes if isinstance(o, QuotaExceeded)]
    assert (len(created), len(refusals)) == (3, 5), outcomes
    assert (await written(admin_aconn))[0] == 3  # projects: the refused wrote nothing
