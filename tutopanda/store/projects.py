"""The project aggregate: create a project with its lecture and run, list projects."""

from __future__ import annotations

from psycopg.types.json import Jsonb

from tutopanda.db.execute import Connection, fetch_all, fetch_one
from tutopanda.models.base import stored_json
from tutopanda.models.project import CreatedProject, ProjectCreate, ProjectSummary
from tutopanda.workflows import LECTURE_GENERATION, WorkflowKind


async def create_project(
    conn: Connection,
    user_id: str,
    request: ProjectCreate,
    workflow: WorkflowKind = LECTURE_GENERATION,
) -> CreatedProject:
    """Project + lecture + queued run; the run's first job is enqueued in the same transaction."""
    settings = stored_json(request.settings)
    params = {
        "user_id": user_id,
        "prompt": request.prompt,
        "name": request.name,
        "settings": Jsonb(settings),
        "workflow_kind": workflow.name,
        "total_steps": workflow.total_steps,
    }
    return await fetch_one(conn, "project_create", params, CreatedProject)


async def list_projects(conn: Connection, user_id: str) -> list[ProjectSummary]:
    """The user's projects, newest first, with their lectures."""
    return await fetch_all(conn, "project_list", {"user_id": user_id}, ProjectSummary)
