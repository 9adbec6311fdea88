"""Builders of test data through the real api functions."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from tutopanda.models.lecture import LecturePatch
from tutopanda.models.project import CreatedProject, ProjectCreate
from tutopanda.quotas import DEFAULT_QUOTAS, Quotas
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
    *,
    quotas: Quotas = DEFAULT_QUOTAS,
) -> CreatedProject:
    """A project with its lecture at revision 0 and a queued run of `workflow`."""
    request = ProjectCreate(prompt=prompt)
    return await projects.create_project(conn, user_id, request, workflow, quotas=quotas)


def patch(**sections: Any) -> LecturePatch:
    """A validated patch from camelCase JSON-like sections."""
    return LecturePatch.model_validate(sections)


def timeline_of(clips: int, *, shift: float = 0.0) -> dict[str, Any]:
    """A timeline in the original editor's shape with `clips` image and voice clips (7.5 s each);
    `shift` moves the first visual clip's start (a nudge)."""
    visual = [
        {
            "id": f"visual-{i}",
            "name": f"Segment {i + 1}",
            "kind": "kenBurns",
            "startTime": i * 7.5 + (shift if i == 0 else 0.0),
            "duration": 7.5,
            "effectName": "portraitZoomIn",
            "imageAssetId": f"img-{i}",
            "startScale": 1,
            "endScale": 1.2,
            "startX": 0,
            "startY": 0,
            "endX": 0,
            "endY": 0,
        }
        for i in range(clips)
    ]
    voice = [
        {
            "id": f"voice-{i}",
            "name": f"Narration {i + 1}",
            "kind": "voice",
            "startTime": i * 7.5,
            "duration": 7.5,
            "narrationAssetId": f"narration-{i}",
            "volume": 1,
        }
        for i in range(clips)
    ]
    return {"id": "timeline", "name": "Timeline", "tracks": {"visual": visual, "voice": voice}}
