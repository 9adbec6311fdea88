"""The project aggregate: create a project with its lecture and run, list projects, read and
update a project's name and settings."""

from __future__ import annotations

from psycopg.types.json import Jsonb

from tutopanda.db.execute import Connection, fetch_all, fetch_one
from tutopanda.models.base import stored_json
from tutopanda.models.project import (
    CreatedProject,
    ProjectCreate,
    ProjectDetail,
    ProjectSummary,
    ProjectUpdate,
)
from tutopanda.quotas import DEFAULT_QUOTAS, Quotas
from tutopanda.workflows import LECTURE_GENERATION, WorkflowKind


async def create_project(
    conn: Connection,
    user_id: str,
    request: ProjectCreate,
    workflow: WorkflowKind = LECTURE_GENERATION,
    *,
    quotas: Quotas = DEFAULT_QUOTAS,
) -> CreatedProject:
    """Project + lecture + queued run; the run's first job is enqueued in the same transaction.
    QuotaExceeded (nothing written) past the user's projects per hour or active runs."""
    settings = stored_json(request.settings)
    params = {
        "user_id": user_id,
        "prompt": request.prompt,
        "name": request.name,
        "settings": Jsonb(settings),
        "workflow_kind": workflow.name,
        "total_steps": workflow.total_steps,
        **quotas.project_params(),
    }
    return await fetch_one(conn, "project_create", params, CreatedProject)


async def list_projects(
    conn: Connection, user_id: str, *, limit: int = 50, before_id: int | None = None
) -> list[ProjectSummary]:
    """A page of the user's projects, newest first, with their lectures: `limit` (1 to 200) of
    those whose id is below `before_id` (the last id of the previous page)."""
    params = {"user_id": user_id, "limit": limit, "before_id": before_id}
    return await fetch_all(conn, "project_list", params, ProjectSummary)


async def get_project(conn: Connection, user_id: str, project_id: int) -> ProjectDetail:
    """A project of the user with its settings and their revision."""
    params = {"user_id": user_id, "project_id": project_id}
    return await fetch_one(conn, "project_get", params, ProjectDetail)


async def update_project(
    conn: Connection,
    user_id: str,
    project_id: int,
    update: ProjectUpdate,
    *,
    base_revision: int | None = None,
) -> ProjectDetail:
    """Rename and/or merge settings groups in, on `base_revision` when given (Conflict when the
    settings moved on); the project after. A change is a new settings revision."""
    params = {
        "user_id": user_id,
        "project_id": project_id,
        "base_revision": base_revision,
        "name": update.name,
        "settings": Jsonb(update.settings_sent()),
    }
    return await fetch_one(conn, "project_update", params, ProjectDetail)
