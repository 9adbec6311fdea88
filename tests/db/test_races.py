"""Two sessions racing on one lecture: exactly one write wins, the other sees the winner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import SCRIPT, new_lecture, patch
from tests.support.races import race
from tests.support.sql import test_query
from tutopanda.errors import Conflict
from tutopanda.models.lecture import LecturePatch
from tutopanda.models.project import CreatedProject
from tutopanda.models.workflow import StepOutcome
from tutopanda.store import lectures, workflows
from tutopanda.workflows import WorkflowKind

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
ONE_STEP = WorkflowKind("one_step", ("script",))
ANOTHER_SCRIPT = {"segments": [{"narration": "Mine.", "backgroundMusic": "harp", "effect": "rain"}]}


@pytest_asyncio.fixture
async def sessions(database: TestDatabase) -> AsyncIterator[tuple[Conn, Conn]]:
    """Two runtime sessions with explicit transactions."""
    async with (
        await AsyncConnection.connect(database.runtime_conninfo) as first,
        await AsyncConnection.connect(database.runtime_conninfo) as second,
    ):
        yield first, second


async def committed_lecture(conn: Conn, workflow: WorkflowKind | None = None) -> CreatedProject:
    created = await (
        new_lecture(conn) if workflow is None else new_lecture(conn, workflow=workflow)
    )
    await conn.commit()
    return created


async def test_two_saves_on_the_same_base_exactly_one_wins(
    sessions: tuple[Conn, Conn], admin_aconn: Conn
) -> None:
    a, b = sessions
    lecture_id = (await committed_lecture(a)).lecture_id
    won, lost = await race(
        admin_aconn,
        a,
        b,
        lectures.save_draft(a, "user-1", lecture_id, 0, patch(title="A")),
        lectures.save_draft(b, "user-1", lecture_id, 0, patch(title="B")),
    )
    assert (won.status, won.revision) == ("saved", 1)
    assert (lost.status, lost.revision) == ("conflict", 1)
    assert lost.lecture is not None
    assert (lost.lecture.title, lost.lecture.revision) == ("A", 1)
    final = await lectures.get_lecture(a, "user-1", lecture_id)
    assert (final.title, final.revision) == ("A", 1)


async def test_the_loser_of_a_race_wins_after_rollback(
    sessions: tuple[Conn, Conn], admin_aconn: Conn
) -> None:
    a, b = sessions
    lecture_id = (await committed_lecture(a)).lecture_id
    _, saved = await race(
        admin_aconn,
        a,
        b,
        lectures.save_draft(a, "user-1", lecture_id, 0, patch(title="A")),
        lectures.save_draft(b, "user-1", lecture_id, 0, patch(title="B")),
        first_commits=False,
    )
    assert (saved.status, saved.revision) == ("saved", 1)


async def test_a_workflow_step_and_a_stale_editor_save(
    sessions: tuple[Conn, Conn], admin_aconn: Conn
) -> None:
    a, b = sessions
    created = await committed_lecture(a, ONE_STEP)
    step, editor = await race(
        admin_aconn,
        a,
        b,
        workflows.apply_step(a, created.run_id, 1, "script", {"script": SCRIPT}),
        lectures.save_draft(b, "user-1", created.lecture_id, 0, patch(title="Mine")),
    )
    assert (step.revision, step.run_status) == (1, "succeeded")
    assert editor.status == "conflict"
    assert editor.lecture is not None
    assert editor.lecture.script is not None


async def test_merge_lets_disjoint_sections_through_a_race(
    sessions: tuple[Conn, Conn], admin_aconn: Conn
) -> None:
    a, b = sessions
    lecture_id = (await committed_lecture(a)).lecture_id
    _, merged = await race(
        admin_aconn,
        a,
        b,
        lectures.save_draft(a, "user-1", lecture_id, 0, patch(title="A")),
        lectures.save_draft(b, "user-1", lecture_id, 0, patch(summary="B"), merge=True),
    )
    assert (merged.status, merged.revision) == ("saved", 2)
    final = await lectures.get_lecture(a, "user-1", lecture_id)
    assert (final.title, final.summary) == ("A", "B")


async def test_a_retried_step_racing_itself_writes_once(
    sessions: tuple[Conn, Conn], admin_aconn: Conn
) -> None:
    a, b = sessions
    created = await committed_lecture(a, ONE_STEP)
    first, second = await race(
        admin_aconn,
        a,
        b,
        workflows.apply_step(a, created.run_id, 1, "script", {"script": SCRIPT}),
        workflows.apply_step(b, created.run_id, 1, "script", {"title": "other"}),
    )
    assert (first.applied, second.applied) == (True, False)
    assert first.revision == second.revision == 1


async def a_step_behind(
    sessions: tuple[Conn, Conn], admin: Conn, edit: LecturePatch
) -> StepOutcome:
    """A step that read revision 0 writes its script while an editor's save of `edit` holds the
    lecture: the step loses that race and decides again on the editor's revision."""
    a, b = sessions
    created = await committed_lecture(a, ONE_STEP)
    _, step = await race(
        admin,
        a,
        b,
        lectures.save_draft(a, "user-1", created.lecture_id, 0, edit),
        workflows.apply_step(b, created.run_id, 1, "script", {"script": SCRIPT}, base_revision=0),
    )
    return step


async def test_a_step_that_loses_a_race_writes_on_the_revision_that_beat_it(
    sessions: tuple[Conn, Conn], admin_aconn: Conn
) -> None:
    step = await a_step_behind(sessions, admin_aconn, patch(title="Mine"))
    assert (step.revision, step.applied, step.moved) == (2, True, False)


async def test_a_step_that_loses_to_an_edit_of_its_section_decides_moved_on_that_revision(
    sessions: tuple[Conn, Conn], admin_aconn: Conn
) -> None:
    step = await a_step_behind(sessions, admin_aconn, patch(script=ANOTHER_SCRIPT))
    assert (step.revision, step.applied, step.moved) == (1, False, True)


async def test_a_write_that_loses_more_races_than_it_may_retry_gives_up(
    sessions: tuple[Conn, Conn], admin_aconn: Conn
) -> None:
    a, b = sessions
    lecture_id = (await committed_lecture(a)).lecture_id
    await admin_aconn.execute(test_query("write_attempts_one"))  # app.write_attempts() is 1
    with pytest.raises(Conflict):  # PT409: the forced save lost its one race
        await race(
            admin_aconn,
            a,
            b,
            lectures.save_draft(a, "user-1", lecture_id, 0, patch(title="A")),
            lectures.save_draft(b, "user-1", lecture_id, 0, patch(title="B"), force=True),
        )
    await b.rollback()
    final = await lectures.get_lecture(b, "user-1", lecture_id)
    assert (final.title, final.revision) == ("A", 1)
