"""Workflow runs: start one on a lecture, follow it, cancel it."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.params import JSONBody

from tutopanda.api.database import Db
from tutopanda.api.params import LectureId, RunId, UserId
from tutopanda.api.problems import problems
from tutopanda.api.schemas import RunStatusResponse, WorkflowStartRequest
from tutopanda.models.workflow import WorkflowRun
from tutopanda.store import workflows
from tutopanda.workflows import workflow_kind


class LectureWorkflowController(Controller):
    """Workflows started on a lecture."""

    path = "/lectures/{lecture_id:int}/workflows"
    tags = ["workflows"]

    @post(
        "/",
        status_code=202,
        summary="Start a workflow on a lecture",
        responses=problems(401, 404, 409, 413, 422, 503),
    )
    async def start(
        self, db: Db, user: UserId, lecture: LectureId, data: JSONBody[WorkflowStartRequest]
    ) -> Response[RunStatusResponse]:
        """Queue a run (its first job is enqueued with it); 409 while another run is active."""
        run_id = await workflows.create_run(db, user, lecture, workflow_kind(data.kind))
        return Response(
            RunStatusResponse(run_id=run_id, status="queued"),
            status_code=202,
            headers={"Location": f"/workflow-runs/{run_id}"},
        )


class WorkflowRunController(Controller):
    """A workflow run of the signed-in user."""

    path = "/workflow-runs/{run_id:str}"
    tags = ["workflows"]

    @get("/", summary="Get a run with its completed steps", responses=problems(401, 404, 503))
    async def read(self, db: Db, user: UserId, run: RunId) -> WorkflowRun:
        """Status, current step of total steps, error, and each completed step's revision."""
        return await workflows.get_run(db, user, run)

    @post(
        "/cancel",
        status_code=200,
        summary="Cancel a run",
        responses=problems(401, 404, 409, 503),
    )
    async def cancel(self, db: Db, user: UserId, run: RunId) -> RunStatusResponse:
        """Stop at the next step boundary; nothing more is written. 409 when already finished."""
        status = await workflows.cancel_run(db, user, run)
        return RunStatusResponse(run_id=run, status=status)
