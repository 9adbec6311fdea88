"""`/projects`: create a lecture from a prompt, list my projects."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.params import JSONBody

from tutopanda.api.database import Db
from tutopanda.api.params import UserId
from tutopanda.api.problems import problems
from tutopanda.models.project import CreatedProject, ProjectCreate, ProjectSummary
from tutopanda.store import projects


class ProjectController(Controller):
    """Projects of the signed-in user."""

    path = "/projects"
    tags = ["projects"]

    @post(
        "/",
        status_code=201,
        summary="Create a lecture from a prompt",
        responses=problems(401, 413, 422, 503),
    )
    async def create(
        self, db: Db, user: UserId, data: JSONBody[ProjectCreate]
    ) -> Response[CreatedProject]:
        """Create a project, its lecture (revision 0) and a queued generation run.

        The run's first job is enqueued in the same transaction: no lecture without its job.
        """
        created = await projects.create_project(db, user, data)
        return Response(
            created,
            status_code=201,
            headers={"Location": f"/lectures/{created.lecture_id}"},
        )

    @get("/", summary="List my projects with their lectures", responses=problems(401, 503))
    async def list_mine(self, db: Db, user: UserId) -> list[ProjectSummary]:
        """The user's projects, newest first, each with its lectures (no content)."""
        return await projects.list_projects(db, user)
