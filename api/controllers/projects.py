"""`/projects`: create a lecture from a prompt, list my projects, read and update a project's
name and generation settings (optimistic, on a settings revision)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import JSONBody

from tutopanda.api.database import Db
from tutopanda.api.params import ProjectBefore, ProjectIdPath, ProjectLimit, UserId
from tutopanda.api.preconditions import IfMatch, base_revision, etag
from tutopanda.api.problems import problems
from tutopanda.models.project import (
    CreatedProject,
    ProjectCreate,
    ProjectDetail,
    ProjectUpdate,
)
from tutopanda.models.wire import ProjectPage
from tutopanda.settings import Settings
from tutopanda.store import projects


class ProjectController(Controller):
    """Projects of the signed-in user."""

    path = "/projects"
    tags = ["projects"]

    @post(
        "/",
        status_code=201,
        summary="Create a lecture from a prompt",
        responses=problems(401, 409, 413, 422, 503),
    )
    async def create(
        self,
        db: Db,
        user: UserId,
        data: JSONBody[ProjectCreate],
        request: Request[Any, Any, Any],
    ) -> Response[CreatedProject]:
        """Create a project, its lecture (revision 0) and a queued generation run.

        The run's first job is enqueued in the same transaction: no lecture without its job.
        429 `quota_exceeded` (nothing written) past the user's projects per hour
        (`TUTOPANDA_MAX_PROJECTS_PER_HOUR`) or active runs (`TUTOPANDA_MAX_ACTIVE_RUNS`).
        """
        settings: Settings = request.app.state.settings
        created = await projects.create_project(db, user, data, quotas=settings.quotas)
        return Response(
            created,
            status_code=201,
            headers={"Location": f"/lectures/{created.lecture_id}"},
        )

    @get(
        "/",
        summary="List my projects with their lectures, a page at a time",
        responses=problems(401, 422, 503),
    )
    async def list_mine(
        self, db: Db, user: UserId, limit: ProjectLimit = 50, before: ProjectBefore = None
    ) -> ProjectPage:
        """The user's projects, newest first, each with its lectures (no content): `limit` of
        them; `nextBefore` (null on the last page) is the `before` of the next page."""
        items = await projects.list_projects(db, user, limit=limit + 1, before_id=before)
        more = len(items) > limit  # one more than the page was read to know
        del items[limit:]
        return ProjectPage(items=items, next_before=items[-1].id if more else None)

    @get(
        "/{project_id:int}",
        summary="Get a project with its settings",
        responses=problems(401, 404, 503),
    )
    async def read(
        self, db: Db, user: UserId, project_id: ProjectIdPath
    ) -> Response[ProjectDetail]:
        """Name and generation settings (`LectureConfig`); the `ETag` is the settings revision."""
        detail = await projects.get_project(db, user, project_id)
        return Response(detail, headers={"ETag": etag(detail.settings_revision)})

    @patch(
        "/{project_id:int}",
        summary="Update a project's name or settings",
        responses=problems(401, 403, 404, 409, 413, 422, 503),
    )
    async def update(
        self,
        db: Db,
        user: UserId,
        project_id: ProjectIdPath,
        data: JSONBody[ProjectUpdate],
        if_match: IfMatch,
    ) -> Response[ProjectDetail]:
        """Rename, and/or change settings: each group sent is merged into the stored one (the
        options sent replace, the others stay; unknown groups or options are 422). On the
        settings revision last read (`If-Match`): 409 when it moved on. A change makes a new
        settings revision, recorded with who made it; runs already started keep the settings
        they started with."""
        base = base_revision(if_match)
        detail = await projects.update_project(db, user, project_id, data, base_revision=base)
        return Response(detail, headers={"ETag": etag(detail.settings_revision)})
