"""A workflow step and a person writing the same section at once: the step never silently undoes
the person's change. The step's output is merged per JSON path onto the revision the person made;
where both changed the same path, the person's value stays and the step records the path."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.generators import Gate
from tests.support.sql import test_query
from tests.support.worker import running_worker, wait_for_run, worker_settings
from tests.workers.test_workflow_control import USER, content, generated_lecture
from tutopanda.models.lecture import LecturePatch
from tutopanda.store import lectures, workflows
from tutopanda.workflows import TIMELINE_RESYNTHESIS

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


def moved(timeline: dict[str, Any], track: str, index: int, start: float) -> dict[str, Any]:
    clips = [dict(clip) for clip in timeline["tracks"][track]]
    clips[index]["startTime"] = start
    return {**timeline, "tracks": {**timeline["tracks"], track: clips}}


async def resynthesis_during(
    conn: Conn, database: TestDatabase, lecture_id: int, generator: str, edit: dict[str, Any]
) -> tuple[str, int]:
    """Run a timeline resynthesis; while its step runs, the person saves `edit` (sections).
    Returns the run id and the person's revision."""
    Gate.reset()
    assert Gate.entered is not None
    assert Gate.release is not None
    run_id = await workflows.create_run(conn, USER, lecture_id, TIMELINE_RESYNTHESIS)
    settings = worker_settings(
        TUTOPANDA_GENERATORS=f"timeline=tests.support.generators:{generator}"
    )
    async with running_worker(settings, database.admin_url):
        await asyncio.wait_for(Gate.entered.wait(), timeout=30)  # the step has read the lecture
        current = await lectures.get_lecture(conn, USER, lecture_id)
        saved = await lectures.save_draft(
            conn, USER, lecture_id, current.revision, LecturePatch.model_validate(edit)
        )
        assert saved.status == "saved"
        Gate.release.set()
        run = await wait_for_run(conn, USER, run_id)
    assert run.status == "succeeded", run.error
    return run_id, saved.revision


async def step_record(admin: Conn, run_id: str) -> tuple[int, dict[str, Any]]:
    row = await (await admin.execute(test_query("step_summaries"), {"run_id": run_id})).fetchone()
    assert row is not None
    return int(row[0]), dict(row[1])


async def test_a_step_keeps_a_clip_a_person_moved_while_it_ran(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    before = (await content(aconn, lecture_id))["timeline"]
    nudged = before["tracks"]["visual"][1]["startTime"] + 0.5
    edit = {"timeline": moved(before, "visual", 1, nudged), "title": "Volcanoes, edited"}
    run_id, person = await resynthesis_during(aconn, database, lecture_id, "Gate", edit)

    after = await content(aconn, lecture_id)
    assert after["timeline"]["tracks"]["visual"][1]["startTime"] == nudged  # not undone
    assert after["title"] == "Volcanoes, edited"
    revision, summary = await step_record(admin_aconn, run_id)
    # The resynthesised timeline equals the one the person edited but for their move: merged
    # onto their revision, nothing is left to write.
    assert revision >= person
    assert summary["mergedOnto"] == person
    assert summary["keptConcurrentEdits"] == []


async def test_where_both_moved_the_same_clip_the_persons_value_stays_and_is_recorded(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    before = (await content(aconn, lecture_id))["timeline"]
    first = before["tracks"]["visual"][0]
    nudged = first["startTime"] + 1.5
    edit = {"timeline": moved(before, "visual", 0, nudged)}
    run_id, person = await resynthesis_during(
        aconn, database, lecture_id, "GateThenMovesFirstClip", edit
    )

    after = await content(aconn, lecture_id)
    assert after["timeline"]["tracks"]["visual"][0]["startTime"] == nudged
    revision, summary = await step_record(admin_aconn, run_id)
    assert summary["mergedOnto"] == person
    assert summary["keptConcurrentEdits"] == [f"/timeline/tracks/visual/{first['id']}/startTime"]
    assert revision >= person


async def test_a_step_writes_over_sections_nobody_else_touched(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    before = (await content(aconn, lecture_id))["timeline"]
    run_id, person = await resynthesis_during(
        aconn, database, lecture_id, "GateThenMovesFirstClip", {"title": "Only the title"}
    )
    after = await content(aconn, lecture_id)
    assert after["title"] == "Only the title"
    expected = before["tracks"]["visual"][0]["startTime"] + 0.25
    assert after["timeline"]["tracks"]["visual"][0]["startTime"] == expected
    revision, summary = await step_record(admin_aconn, run_id)
    assert revision == person + 1
    assert "mergedOnto" not in summary
