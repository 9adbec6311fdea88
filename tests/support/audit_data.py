"""A database with a history worth auditing: saves, a forced save, a restore, workflow runs."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from tests.support.factories import SCRIPT, new_lecture, patch
from tutopanda.store import history, lectures, workflows
from tutopanda.workflows import WorkflowKind

TWO_STEPS = WorkflowKind("two_steps", ("script", "timeline"))


async def populate(conn: AsyncConnection[Any]) -> dict[str, Any]:
    """Create the history; return the ids the tests look at."""
    edited = await new_lecture(conn, "alice", "Rivers", workflow=TWO_STEPS)
    await workflows.start_run(conn, edited.run_id)
    await workflows.apply_step(conn, edited.run_id, 1, "script", {"script": SCRIPT})
    await workflows.apply_step(
        conn,
        edited.run_id,
        2,
        "timeline",
        {
            "timeline": {
                "tracks": {
                    "voice": [
                        {
                            "id": "v0",
                            "name": "Narration 1",
                            "kind": "voice",
                            "startTime": 0,
                            "duration": 4,
                        }
                    ]
                }
            }
        },
    )
    await lectures.save_draft(conn, "alice", edited.lecture_id, 2, patch(title="Rivers"))
    await lectures.save_draft(conn, "alice", edited.lecture_id, 2, patch(title="Mine"), force=True)
    await history.restore_revision(conn, "alice", edited.lecture_id, 3, base_revision=4)
    failed = await new_lecture(conn, "bob", "Deserts", workflow=TWO_STEPS)
    await workflows.start_run(conn, failed.run_id)
    await workflows.fail_run(conn, failed.run_id, "step 1 failed after 5 attempts: TimeoutError")
    return {"edited": edited, "failed": failed}
