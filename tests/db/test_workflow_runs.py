"""Workflow runs and steps: lifecycle, idempotent steps, cancel, ordering, the queue."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.support.factories import SCRIPT, new_lecture
from tests.support.sql import test_query
from tutopanda.errors import Conflict, InvalidInput, NotFound
from tutopanda.store import lectures, workflows
from tutopanda.workflows import LECTURE_GENERATION, TIMELINE_RESYNTHESIS, WorkflowKind

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
TWO_STEPS = WorkflowKind("two_steps", ("first", "second"))


async def rows(conn: Conn, name: str, **params: Any) -> list[tuple[Any, ...]]:
    return await (await conn.execute(test_query(name), params)).fetchall()


async def test_create_project_queues_a_run_and_its_first_job(
    aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    run = await workflows.get_run(aconn, "user-1", created.run_id)
    assert (run.status, run.current_step, run.total_steps, run.kind) == (
        "queued",
        0,
        6,
        "lecture_generation",
    )
    assert run.context == {"prompt": "Teach me about Rome"}
    jobs = await rows(admin_aconn, "run_jobs", run_id=created.run_id)
    assert jobs == [
        (
            "tutopanda.workflow_step",
            "workflows",
            "todo",
            {"run_id": created.run_id, "step_index": 1},
            None,
        )
    ]


async def test_a_rolled_back_creation_leaves_no_job(database: Any, admin_aconn: Conn) -> None:
    async with await AsyncConnection.connect(database.runtime_conninfo) as conn:
        created = await new_lecture(conn)
        await conn.rollback()
    assert await rows(admin_aconn, "run_jobs", run_id=created.run_id) == []
    assert await rows(admin_aconn, "run_row", run_id=created.run_id) == []


async def test_steps_write_once_in_order_and_the_last_one_succeeds_the_run(
    aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn, workflow=TWO_STEPS)
    assert await workflows.start_run(aconn, created.run_id) == "running"
    with pytest.raises(Conflict):  # step 2 before step 1
        await workflows.apply_step(aconn, created.run_id, 2, "second", {})
    with pytest.raises(InvalidInput):  # there is no step 3
        await workflows.apply_step(aconn, created.run_id, 3, "third", {})
    first = await workflows.apply_step(aconn, created.run_id, 1, "first", {"script": SCRIPT})
    assert (first.revision, first.applied, first.run_status) == (1, True, "running")
    again = await workflows.apply_step(aconn, created.run_id, 1, "first", {"title": "other"})
    assert (again.revision, again.applied) == (1, False)
    last = await workflows.apply_step(
        aconn, created.run_id, 2, "second", {"title": "Made"}, output_summary={"n": 1}, attempts=2
    )
    assert (last.revision, last.run_status) == (2, "succeeded")

    history = await rows(admin_aconn, "history_rows", lecture_id=created.lecture_id)
    assert [(r[0], r[1], r[2], r[3]) for r in history] == [
        (0, "app", "user-1", None),
        (1, "workflow", "user-1", created.run_id),
        (2, "workflow", "user-1", created.run_id),
    ]
    steps = await rows(admin_aconn, "step_rows", run_id=created.run_id)
    assert steps == [(1, "first", 1, 1), (2, "second", 2, 2)]
    jobs = await rows(admin_aconn, "run_jobs", run_id=created.run_id)
    assert [job[3]["step_index"] for job in jobs] == [1, 2]
    run = await workflows.get_run(aconn, "user-1", created.run_id)
    assert [s.step_index for s in run.steps] == [1, 2]
    assert run.steps[1].output_summary == {"n": 1}


async def test_a_step_that_changes_nothing_keeps_the_revision(aconn: Conn) -> None:
    created = await new_lecture(aconn, workflow=TWO_STEPS)
    outcome = await workflows.apply_step(aconn, created.run_id, 1, "first", {})
    assert (outcome.revision, outcome.applied, outcome.run_status) == (0, True, "running")


async def test_cancel_stops_steps_and_cancels_queued_jobs(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn, workflow=TWO_STEPS)
    assert await workflows.cancel_run(aconn, "user-1", created.run_id) == "cancelled"
    assert await workflows.cancel_run(aconn, "user-1", created.run_id) == "cancelled"
    with pytest.raises(Conflict):
        await workflows.apply_step(aconn, created.run_id, 1, "first", {"title": "late"})
    jobs = await rows(admin_aconn, "run_jobs", run_id=created.run_id)
    assert [job[2] for job in jobs] == ["cancelled"]
    lecture = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert (lecture.revision, lecture.title) == (0, "Untitled Lecture")
    assert await workflows.start_run(aconn, created.run_id) == "cancelled"


async def test_only_the_owner_may_cancel_or_read_a_run(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    with pytest.raises(NotFound):
        await workflows.cancel_run(aconn, "user-2", created.run_id)
    with pytest.raises(NotFound):
        await workflows.get_run(aconn, "user-2", created.run_id)
    with pytest.raises(NotFound):
        await workflows.get_run(aconn, "user-1", "00000000-0000-0000-0000-000000000000")


async def test_fail_records_the_error_and_finished_runs_stay_finished(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    assert await workflows.fail_run(aconn, created.run_id, "narration provider down") == "failed"
    run = await workflows.get_run(aconn, "user-1", created.run_id)
    assert (run.status, run.error) == ("failed", "narration provider down")
    with pytest.raises(Conflict):
        await workflows.cancel_run(aconn, "user-1", created.run_id)
    assert await workflows.fail_run(aconn, created.run_id, "again") == "failed"
    with pytest.raises(Conflict):
        await workflows.apply_step(aconn, created.run_id, 1, "script", {})


async def test_the_last_step_finishes_the_run(aconn: Conn) -> None:
    created = await new_lecture(aconn, workflow=TWO_STEPS)
    await workflows.start_run(aconn, created.run_id)
    first = await workflows.apply_step(aconn, created.run_id, 1, "first", {})
    assert first.run_status == "running"
    second = await workflows.apply_step(aconn, created.run_id, 2, "second", {})
    assert second.run_status == "succeeded"
    run = await workflows.get_run(aconn, "user-1", created.run_id)
    assert (run.status, run.current_step, run.updated_at >= run.created_at) == (
        "succeeded",
        2,
        True,
    )


async def test_one_run_in_progress_per_lecture(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    with pytest.raises(Conflict):
        await workflows.create_run(aconn, "user-1", created.lecture_id, TIMELINE_RESYNTHESIS)
    await workflows.cancel_run(aconn, "user-1", created.run_id)
    run_id = await workflows.create_run(aconn, "user-1", created.lecture_id, TIMELINE_RESYNTHESIS)
    run = await workflows.get_run(aconn, "user-1", run_id)
    assert (run.kind, run.total_steps, run.status) == ("timeline_resynthesis", 1, "queued")
    with pytest.raises(NotFound):
        await workflows.create_run(aconn, "user-2", created.lecture_id, TIMELINE_RESYNTHESIS)


async def test_bad_workflow_input_is_refused(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await workflows.cancel_run(aconn, "user-1", created.run_id)
    with pytest.raises(InvalidInput):
        await workflows.create_run(
            aconn, "user-1", created.lecture_id, WorkflowKind("Bad Kind", ("a",))
        )
    with pytest.raises(InvalidInput):
        await workflows.create_run(aconn, "user-1", created.lecture_id, WorkflowKind("empty", ()))
    with pytest.raises(NotFound):
        await workflows.start_run(aconn, "00000000-0000-0000-0000-000000000000")


async def test_run_work_carries_the_lecture_and_settings(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    work = await workflows.run_work(aconn, created.run_id)
    assert (work.lecture_id, work.kind, work.total_steps) == (
        created.lecture_id,
        LECTURE_GENERATION.name,
        6,
    )
    assert work.lecture["prompt"] == "Teach me about Rome"
    assert work.lecture["revision"] == 0
    assert work.settings["general"]["duration"] == "60"  # type: ignore[index,call-overload]


async def test_a_lecture_with_workflow_history_is_never_deleted(
    aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn, workflow=TWO_STEPS)
    await workflows.apply_step(aconn, created.run_id, 1, "first", {"title": "x"})
    with pytest.raises(psycopg.Error) as refused:  # its history must outlive it (docs/audit.md)
        await admin_aconn.execute(test_query("lecture_delete"), {"lecture_id": created.lecture_id})
    assert refused.value.sqlstate == "PT409"
    assert len(await rows(admin_aconn, "run_row", run_id=created.run_id)) == 1
