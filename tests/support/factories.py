"""Builders of test data through the real api functions."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from tutopanda.models.lecture import LecturePatch
from tutopanda.models.project import CreatedProject, ProjectCreate
from tutopanda.store import projects
from tutopanda.workflows import LECTURE_GENERATION, WorkflowKind

SCRIPT: dict[str, Any] = {
    "segments": [
        {"narration": "Rome grew from a village.", "backgroundMusic": "strings", "effect": "wind"},
        {"narration": "Its roads reached far.", "backgroundMusic": "drums", "effect": "hooves"},
    ]
}


async def new_lecture(
    conn: AsyncConnection[Any],
    user_id: str = "user-1",
    prompt: str = "Teach me about Rome",
    workflow: WorkflowKind = LECTURE_GENERATION,
) -> CreatedProject:
    """A project with its lecture at revision 0 and a queued run of `workflow`."""
    return await projects.create_project(conn, user_id, ProjectCreate(prompt=prompt), workflow)


def patch(**sections: Any) -> LecturePatch:
    """A validated patch from camelCase JSON-like sections."""
    return LecturePatch.model_validate(sections)
